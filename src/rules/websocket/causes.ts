import type { HttpAuthorizerEvidence, HttpRouteEvidence } from '../../core/evidence.js';
import { evidenceOf } from '../helpers.js';
import type { RuleInput } from '../types.js';
import { wsRoutes, type WsEvent } from './events.js';

/**
 * Which W cause one failed event shows, so that each failure is claimed by one rule. The order is
 * the order in which API Gateway decides: throttling, then authorization (identity, IAM, API key,
 * the authorizer's answer or failure), then routing, then the integration (permission, timeout,
 * the function's own answer).
 */
export type Cause = 'W1' | 'W2' | 'W3' | 'W4' | 'W5' | 'W6' | 'W9' | 'W11' | 'W12' | 'W13' | 'W22' | 'other';

const PERMISSION = /Invalid permissions on Lambda function|doesn't have permissions to call the integration/i;
const TIMEOUT = /timed out|timeout error/i;
const IAM_DENY = /not authorized to perform: execute-api:Invoke/i;
const AUTHORIZER_FAILED = /Authorizer error|AuthorizerConfigurationException/i;
const AUTHORIZER_DENY = /not authorized to (?:perform this operation|access this resource)/i;
const FUNCTION_ERROR = /customer function error|Unhandled|Internal server error/i;

const any = (e: WsEvent, pattern: RegExp) => e.texts.some((t) => pattern.test(t));

/** The $connect route and the authorizer it runs, when it has one. */
export function connectAuthorization(input: RuleInput): { route?: HttpRouteEvidence; authorizer?: HttpAuthorizerEvidence } {
  const route = wsRoutes(input).find((r) => r.routeKey === '$connect');
  const authorizer = route?.authorizationType === 'CUSTOM' ? (evidenceOf(input, 'apigwv2.authorizers') ?? []).find((a) => a.authorizerId === route.authorizerId) : undefined;
  return { ...(route ? { route } : {}), ...(authorizer ? { authorizer } : {}) };
}

/** Why a handshake failed. */
export function connectCause(e: WsEvent): Cause | undefined {
  if (e.status === undefined || e.status < 400) return undefined;
  if (e.status === 429 || e.responseType === 'THROTTLED') return 'W22';
  if (any(e, PERMISSION)) return 'W11';
  if (e.status === 504 || e.responseType === 'INTEGRATION_TIMEOUT' || any(e, TIMEOUT)) return 'W13';
  if (e.status === 401 || e.responseType === 'UNAUTHORIZED' || e.responseType === 'INVALID_API_KEY') return 'W1';
  if (any(e, IAM_DENY)) return 'W5';
  if (e.responseType?.startsWith('AUTHORIZER_') || any(e, AUTHORIZER_FAILED) || (e.authorizerStatus !== undefined && e.authorizerStatus >= 500)) return 'W3';
  if (e.authorizerStatus === 403 || any(e, AUTHORIZER_DENY) || (e.responseType === 'ACCESS_DENIED' && e.integrationStatus === undefined)) return 'W2';
  return 'W4';
}

/** Why a client message failed, given the API's route keys. */
export function messageCause(e: WsEvent, routes: readonly HttpRouteEvidence[]): Cause | undefined {
  if (e.status === undefined || e.status < 400) return undefined;
  if (e.status === 429 || e.responseType === 'THROTTLED') return 'W22';
  const route = e.routeKey ? routes.find((r) => r.routeKey === e.routeKey) : undefined;
  // No route ran: the selection matched no key and there is no $default (the client gets "Forbidden").
  if (!route && e.status === 403) return 'W6';
  if (route && !route.integrationId) return 'W9';
  if (any(e, PERMISSION)) return 'W11';
  if (e.status === 504 || e.responseType === 'INTEGRATION_TIMEOUT' || any(e, TIMEOUT)) return 'W13';
  if (e.status >= 500 && (any(e, FUNCTION_ERROR) || e.responseType === 'INTEGRATION_FAILURE')) return 'W12';
  return 'other';
}

/** The cause of any failed event, by its type. */
export function causeOf(e: WsEvent, routes: readonly HttpRouteEvidence[]): Cause | undefined {
  if (e.eventType === 'CONNECT') return connectCause(e);
  if (e.eventType === 'MESSAGE') return messageCause(e, routes);
  // An ERROR-level execution log does not say the event type: a route key or the texts may.
  if (e.eventType === undefined) return e.routeKey === '$connect' ? connectCause(e) : messageCause(e, routes);
  return undefined;
}
