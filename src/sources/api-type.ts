import { GetRestApiCommand } from '@aws-sdk/client-api-gateway';
import { GetApiCommand } from '@aws-sdk/client-apigatewayv2';
import { callScope, type CallRecord } from '../aws/call-context.js';
import type { AwsClients } from '../aws/clients.js';
import { classifyError, errorKindOf } from '../aws/errors.js';
import type { ApiType } from '../core/target.js';

/**
 * Which kind of API Gateway API an id is. REST, HTTP and WebSocket API ids look alike and share one
 * invoke host pattern, so only the control plane can tell. The probe is the first read of both
 * kinds at once: API Gateway v2's GetApi (whose ProtocolType says HTTP or WEBSOCKET) and
 * GetRestApi, side by side, so a REST investigation does not wait for a v2 NotFoundException before
 * it starts. Whichever kind answers, its source uses the answer already read (`prefetched`)
 * instead of reading it again. Branching is on the exception's name: both services answer an
 * unknown id with the same text (aws/aws-sdk-js#2458, gruntwork-io/cloud-nuke#362).
 */
export interface ApiTypeResolution {
  apiType: ApiType;
  /** Why the answer is a fallback rather than a finding. */
  note?: string;
  /** The probe's reads by key (`prefetchKey`), for the source of the kind that answered. */
  prefetched?: Map<string, Promise<unknown>>;
}

/** The detection gets a deadline of its own: a hanging read must not hold the investigation. */
export const API_TYPE_TIMEOUT_MS = 10_000;

/** The key under which a probe's read is handed to the source that would have made it. */
export const prefetchKey = (operation: 'GetRestApi' | 'GetApi', apiId: string) => `${operation}:${apiId}`;

export async function resolveApiType(aws: AwsClients, apiId: string, timeoutMs = API_TYPE_TIMEOUT_MS, onCall?: (record: CallRecord) => void): Promise<ApiTypeResolution> {
  const scope = { sourceId: 'api-type', calls: [] as string[], signal: AbortSignal.timeout(timeoutMs), ...(onCall ? { trace: onCall } : {}) };
  const [v2, rest] = callScope.run(scope, () => [
    aws.apigatewayv2.send(new GetApiCommand({ ApiId: apiId })),
    aws.apigateway.send(new GetRestApiCommand({ restApiId: apiId })),
  ]);
  // The REST answer is the REST source's own first read: a rejection is its to report, not ours.
  rest.catch(() => undefined);
  const prefetched = new Map<string, Promise<unknown>>([[prefetchKey('GetRestApi', apiId), rest]]);
  const [api, restApi] = await Promise.allSettled([v2, rest]);
  if (api.status === 'fulfilled') {
    return { apiType: api.value.ProtocolType === 'WEBSOCKET' ? 'WEBSOCKET' : 'HTTP', prefetched: new Map([[prefetchKey('GetApi', apiId), v2]]) };
  }
  // Not a v2 API, or v2 could not be asked (refused, throttled, slow): the REST sources report what they find.
  if (restApi.status === 'fulfilled' || errorKindOf(api.reason) === 'not_found') return { apiType: 'REST', prefetched };
  return { apiType: 'REST', note: `could not check whether it is an HTTP API (${classifyError(api.reason).kind})`, prefetched };
}
