import { GetApiCommand } from '@aws-sdk/client-apigatewayv2';
import { callScope } from '../aws/call-context.js';
import type { AwsClients } from '../aws/clients.js';
import { classifyError, errorKindOf } from '../aws/errors.js';
import type { ApiType } from '../core/target.js';

/**
 * Which kind of API Gateway API an id is. REST, HTTP and WebSocket API ids look alike and share one
 * invoke host pattern, so only the control plane can tell. One read: API Gateway v2's GetApi, whose
 * ProtocolType says HTTP or WEBSOCKET; its NotFoundException means "not a v2 API", so the REST
 * sources run (and their GetRestApi says whether the id exists at all). Asking v2 first leaves the
 * REST path's own calls exactly as they were. Branching is on the exception's name: both services
 * answer an unknown id with the same text (aws/aws-sdk-js#2458, gruntwork-io/cloud-nuke#362).
 */
export interface ApiTypeResolution {
  apiType: ApiType;
  /** Why the answer is a fallback rather than a finding. */
  note?: string;
}

/** The detection gets a deadline of its own: a hanging read must not hold the investigation. */
export const API_TYPE_TIMEOUT_MS = 10_000;

export async function resolveApiType(aws: AwsClients, apiId: string, timeoutMs = API_TYPE_TIMEOUT_MS): Promise<ApiTypeResolution> {
  const scope = { sourceId: 'api-type', calls: [] as string[], signal: AbortSignal.timeout(timeoutMs) };
  try {
    const api = await callScope.run(scope, () => aws.apigatewayv2.send(new GetApiCommand({ ApiId: apiId })));
    return { apiType: api.ProtocolType === 'WEBSOCKET' ? 'WEBSOCKET' : 'HTTP' };
  } catch (err) {
    // Not a v2 API, or v2 could not be asked (refused, throttled, slow): the REST sources report what they find.
    if (errorKindOf(err) === 'not_found') return { apiType: 'REST' };
    return { apiType: 'REST', note: `could not check whether it is an HTTP API (${classifyError(err).kind})` };
  }
}
