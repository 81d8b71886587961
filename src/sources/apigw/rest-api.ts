import { GetRestApiCommand, type GetRestApiCommandOutput } from '@aws-sdk/client-api-gateway';
import { recordCall } from '../../aws/call-context.js';
import { errorKindOf } from '../../aws/errors.js';
import type { RestApiEvidence } from '../../core/evidence.js';
import type { Describer } from '../../core/describe.js';
import { prefetchKey } from '../api-type.js';
import { defineSource } from '../types.js';
import { parsePolicyDocument } from './policy.js';
import { recordAnswers } from '../record.js';
import { writeApigwAnswer } from './record.js';

/** The API itself and its resource policy: where the configuration section starts. */
const describeRestApi: Describer<'apigw.rest-api'> = {
  order: 10,
  lines: (api, kit) => [
    `api ${kit.pairs({
      id: api.id,
      name: JSON.stringify(api.name),
      account: api.accountId,
      endpointTypes: api.endpointTypes,
      vpcEndpointIds: api.vpcEndpointIds,
      disableExecuteApiEndpoint: api.disableExecuteApiEndpoint,
      apiKeySource: api.apiKeySource,
    })}`,
    ...(api.policyParseError ? [`api resource policy: unparseable (${api.policyParseError})`] : kit.policy('api resource policy', api.policy)),
  ],
};

export const restApiSource = defineSource({
  id: 'apigw.rest-api',
  title: 'REST API',
  dependsOn: [],
  calls: { chain: 1 },
  readsTarget: true,
  async run(ctx) {
    const { restApiId, region } = ctx.target;
    const where = `account ${ctx.aws.accountId ?? '(the credentials’ own)'} region ${region}`;
    let api;
    try {
      // The kind probe may have read it already, side by side with API Gateway v2's GetApi.
      const prefetched = ctx.prefetched<GetRestApiCommandOutput>(prefetchKey('GetRestApi', restApiId));
      if (prefetched) recordCall('apigateway:GetRestApi');
      api = await (prefetched ?? ctx.aws.apigateway.send(new GetRestApiCommand({ restApiId })));
    } catch (err) {
      // The most common operator mistake: say plainly that the id does not exist where we looked.
      if (errorKindOf(err) !== 'not_found') throw err;
      const message = `REST API ${restApiId} not found in ${where}`;
      return {
        status: 'error',
        reason: message,
        error: { kind: 'not_found', message },
        hint: `check the API id (aws apigateway get-rest-apis), --region and --account`,
      };
    }
    const parsed = parsePolicyDocument(api.policy);
    const evidence: RestApiEvidence = {
      id: api.id ?? restApiId,
      name: api.name ?? '',
      endpointTypes: api.endpointConfiguration?.types ?? [],
      vpcEndpointIds: api.endpointConfiguration?.vpcEndpointIds ?? [],
      policy: parsed.policy,
      disableExecuteApiEndpoint: api.disableExecuteApiEndpoint ?? false,
    };
    if (ctx.aws.accountId) evidence.accountId = ctx.aws.accountId;
    if (api.createdDate) evidence.createdDate = api.createdDate.toISOString();
    if (api.apiKeySource) evidence.apiKeySource = api.apiKeySource;
    if (parsed.error) evidence.policyParseError = parsed.error;

    const parts = [`${evidence.endpointTypes.join('/') || 'unknown endpoint type'} API ${evidence.name || evidence.id}`];
    if (parsed.error) parts.push(`resource policy unreadable: ${parsed.error}`);
    else if (evidence.policy) parts.push(`resource policy with ${evidence.policy.Statement.length} statement(s)`);
    else parts.push('no resource policy');
    if (evidence.vpcEndpointIds.length > 0) parts.push(`${evidence.vpcEndpointIds.length} VPC endpoint(s) associated`);
    if (evidence.disableExecuteApiEndpoint) parts.push('default execute-api endpoint disabled');
    return { status: 'ok', evidence, count: 1, reason: parts.join(', ') };
  },
  describe: describeRestApi,
  record: recordAnswers(writeApigwAnswer),
});
