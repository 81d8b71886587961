import { GetRestApiCommand } from '@aws-sdk/client-api-gateway';
import { GetApiCommand } from '@aws-sdk/client-apigatewayv2';
import type { AwsClients } from '../aws/clients.js';
import { classifyError, errorKindOf } from '../aws/errors.js';
import type { ApiType } from '../core/target.js';

/**
 * Which kind of API Gateway API an id is. REST and HTTP API ids look alike and share one invoke
 * host pattern, so only the control plane can tell: GetRestApi, then (when REST says NotFound)
 * API Gateway v2's GetApi, whose ProtocolType says HTTP or WEBSOCKET. Branching is on the
 * exception's name: both services answer an unknown id with the same text.
 */
export type ApiTypeResolution =
  | { apiType: ApiType; /** Why the answer is a fallback rather than a finding. */ note?: string }
  | { apiType: 'WEBSOCKET'; name?: string };

export async function resolveApiType(aws: AwsClients, apiId: string): Promise<ApiTypeResolution> {
  try {
    await aws.apigateway.send(new GetRestApiCommand({ restApiId: apiId }));
    return { apiType: 'REST' };
  } catch (err) {
    // Refused or throttled: not evidence either way. The REST sources then report the error as it is.
    if (errorKindOf(err) !== 'not_found') return { apiType: 'REST', note: `GetRestApi failed (${classifyError(err).kind})` };
  }
  try {
    const api = await aws.apigatewayv2.send(new GetApiCommand({ ApiId: apiId }));
    if (api.ProtocolType === 'WEBSOCKET') return { apiType: 'WEBSOCKET', ...(api.Name ? { name: api.Name } : {}) };
    return { apiType: 'HTTP' };
  } catch (err) {
    const kind = errorKindOf(err);
    // Neither kind has it: the REST sources say "not found" with where they looked.
    return { apiType: 'REST', note: kind === 'not_found' ? 'not an HTTP API either' : `could not check whether it is an HTTP API (${classifyError(err).kind})` };
  }
}

/** WebSocket APIs share the v2 control plane, but none of the sources or rules is about them yet. */
export class UnsupportedApiTypeError extends Error {
  override name = 'UnsupportedApiTypeError';
  constructor(apiId: string, apiName?: string) {
    super(
      `API ${apiId}${apiName ? ` (${apiName})` : ''} is a WebSocket API, which firebreak does not investigate yet; supported: REST APIs (API Gateway) and HTTP APIs (API Gateway v2, ProtocolType HTTP)`,
    );
  }
}
