import { GetGatewayResponsesCommand } from '@aws-sdk/client-api-gateway';
import type { GatewayResponseEvidence } from '../../core/evidence.js';
import { collectPages } from '../paginate.js';
import type { Describer } from '../../core/describe.js';
import { defineSource } from '../types.js';
import { recordAnswers } from '../record.js';
import { writeApigwAnswer } from './record.js';

/**
 * Gateway responses can change the status and body a client sees (a DEFAULT_4XX turned into 404,
 * say); only the customised ones change the catalogue's defaults, so only those are evidence.
 */
const describeGatewayResponses: Describer<'apigw.gateway-responses'> = {
  order: 130,
  // Defaults say nothing about this API.
  lines: (responses) =>
    responses.filter((r) => !r.defaultResponse).map((r) => `gateway response ${r.responseType} customized statusCode=${r.statusCode ?? '-'}`),
};

export const gatewayResponsesSource = defineSource({
  id: 'apigw.gateway-responses',
  title: 'Gateway responses',
  dependsOn: [],
  calls: { chain: 1 },
  after: ['apigw.rest-api'],
  async run(ctx) {
    const { restApiId } = ctx.target;
    const collected = await collectPages(async (position) => {
      const out = await ctx.aws.apigateway.send(new GetGatewayResponsesCommand({ restApiId, limit: 500, ...(position ? { position } : {}) }));
      return { items: out.items ?? [], ...(out.position ? { next: out.position } : {}) };
    }, ctx.limits);
    const evidence: GatewayResponseEvidence[] = collected.items
      .filter((r) => r.defaultResponse === false)
      .map((r) => ({
        responseType: r.responseType ?? 'UNKNOWN',
        ...(r.statusCode ? { statusCode: r.statusCode } : {}),
        defaultResponse: false,
      }));
    if (evidence.length === 0) {
      return {
        status: 'empty',
        evidence,
        count: 0,
        reason:
          collected.items.length === 0
            ? 'no customised gateway responses'
            : `all ${collected.items.length} gateway responses are AWS defaults`,
      };
    }
    return {
      status: 'ok',
      evidence,
      count: evidence.length,
      reason: `customised: ${evidence.map((r) => `${r.responseType}${r.statusCode ? ` → ${r.statusCode}` : ''}`).join(', ')}`,
      ...(collected.truncated ? { truncated: collected.truncated } : {}),
    };
  },
  describe: describeGatewayResponses,
  record: recordAnswers(writeApigwAnswer),
});
