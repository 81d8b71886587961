import { GetVpcLinkCommand } from '@aws-sdk/client-api-gateway';
import { errorKindOf } from '../../aws/errors.js';
import type { VpcLinkEvidence } from '../../core/evidence.js';
import { listText, plural } from '../cross-account.js';
import { describeVpcLinks } from '../apigwv2/vpc-links.js';
import { recordAnswers } from '../record.js';
import { writeApigwAnswer } from '../apigw/record.js';
import { defineSource } from '../types.js';

const STAGE_VARIABLE = /^\$\{stageVariables\.([A-Za-z0-9_]+)\}$/;

/**
 * The VPC links of a WebSocket API's private integrations. WebSocket APIs use the REST-style link
 * (v1, to a network load balancer in the same account: KC api-gateway-vpc-link-integration), read
 * with API Gateway's GetVpcLink; a link named by a stage variable is resolved per stage in scope.
 */
export const websocketVpcLinksSource = defineSource({
  id: 'apigwv2.vpc-links',
  title: 'VPC links',
  dependsOn: ['apigwv2.routes'],
  calls: { chain: 1 },
  after: ['apigwv2.stages'],
  async run(ctx) {
    const integrations = (ctx.evidence['apigwv2.routes']?.integrations ?? []).filter((i) => i.connectionType === 'VPC_LINK' && i.connectionId);
    if (integrations.length === 0) return { status: 'not_applicable', evidence: [], reason: 'no integration goes through a VPC link' };
    const stages = (ctx.evidence['apigwv2.stages'] ?? []).filter((s) => !ctx.target.stage || s.stageName === ctx.target.stage);
    const usedBy = new Map<string, string[]>();
    const unresolved: VpcLinkEvidence[] = [];
    for (const i of integrations) {
      const variable = STAGE_VARIABLE.exec(i.connectionId as string)?.[1];
      const ids = variable ? stages.map((s) => ({ stage: s.stageName, id: s.stageVariables?.[variable] })) : [{ stage: undefined, id: i.connectionId }];
      for (const { stage, id } of ids) {
        if (!id) {
          unresolved.push({ vpcLinkId: i.connectionId as string, version: 'V1', subnetIds: [], securityGroupIds: [], usedBy: [i.integrationId], status: 'NOT_FOUND', unreadable: `stage ${stage} does not set stage variable ${variable}` });
          continue;
        }
        usedBy.set(id, [...new Set([...(usedBy.get(id) ?? []), i.integrationId])]);
      }
    }
    const read = await Promise.all(
      [...usedBy].map(async ([vpcLinkId, ids]): Promise<VpcLinkEvidence> => {
        try {
          const link = await ctx.aws.apigateway.send(new GetVpcLinkCommand({ vpcLinkId }));
          const e: VpcLinkEvidence = { vpcLinkId, version: 'V1', subnetIds: [], securityGroupIds: [], usedBy: ids, targetArns: link.targetArns ?? [] };
          if (link.name) e.name = link.name;
          if (link.status) e.status = link.status;
          if (link.statusMessage) e.statusMessage = link.statusMessage;
          return e;
        } catch (err) {
          if (errorKindOf(err) !== 'not_found') throw err;
          return { vpcLinkId, version: 'V1', subnetIds: [], securityGroupIds: [], usedBy: ids, status: 'NOT_FOUND', unreadable: `VPC link ${vpcLinkId} does not exist (deleted?)` };
        }
      }),
    );
    const evidence = [...read, ...unresolved];
    const notReady = evidence.filter((l) => l.status !== 'AVAILABLE');
    const parts = [`${plural(evidence.length, 'VPC link')} (v1, to a network load balancer): ${evidence.map((l) => `${l.vpcLinkId} ${l.status ?? '?'}`).join(', ')}`];
    if (notReady.length) parts.push(`not available: ${listText(notReady.map((l) => `${l.vpcLinkId}${l.statusMessage ? ` (${l.statusMessage})` : l.unreadable ? ` (${l.unreadable})` : ''}`))}`);
    return { status: 'ok', evidence, count: evidence.length, reason: parts.join('; ') };
  },
  describe: describeVpcLinks,
  record: recordAnswers(writeApigwAnswer),
});
