import { httpRequestsOf, type HttpRequest } from './http-traffic.js';
import type { Scenario, ScenarioAccount, TrafficKind } from './scenario.js';
import { planOf, type PlannedRequest, type SpecPlan } from './traffic.js';

/**
 * The requests a scenario's traffic generators make, one record per request, as API Gateway,
 * Lambda and WAF count them: the metrics generator sums them per minute and the ground truth
 * counts them per stage, route, status, cause and function. Drawn from the same seeds, in the
 * same order, as the log lines (`traffic.ts`, `http-traffic.ts`), so metrics, logs and the truth
 * agree request by request.
 */
export interface SimRequest {
  /** Arrival, epoch ms. */
  time: number;
  /** The API's account: its API Gateway metrics are there. */
  accountId: string;
  apiKind: 'REST' | 'HTTP';
  apiId: string;
  /** The `ApiName` dimension of a REST API. */
  apiName: string;
  stage: string;
  /** `GET /orders/{id}` (REST resource template, HTTP route key); absent when no route matched. */
  route?: string;
  /** Where it went (account, API, stage, route) as one key, the same for every request there. */
  place: string;
  /** The route-level dimensions (`Method`, `Resource`) when the stage publishes per-route metrics for it. */
  detailed?: { method: string; resource: string };
  method: string;
  path: string;
  status: number;
  /** What happened (REST traffic kinds; HTTP outcomes are described by `context`). */
  kind?: TrafficKind;
  /** HTTP: the `$context` values its access-log record holds. */
  context?: Readonly<Record<string, string | number | undefined>>;
  /** Time API Gateway took, and the integration's part of it, in ms. */
  latencyMs: number;
  integrationLatencyMs?: number;
  sourceIp: string;
  /** The Lambda invocations the request caused (or that Lambda throttled). */
  calls: FunctionCall[];
  /** The web ACL that evaluated it (REST stages only). */
  waf?: { webAcl: string; region: string; accountId: string; blockedBy?: string };
  /** Which spec it came from, and when that spec started sending (the truth's onset). */
  spec: { kind: 'traffic' | 'httpTraffic'; index: number; start: number };
}

export interface FunctionCall {
  accountId: string;
  functionName: string;
  role: 'integration' | 'authorizer';
  outcome: 'ok' | 'error' | 'throttled';
  durationMs: number;
}

// ------------------------------------------------------------------------------------- REST

/** Kinds whose request ran the integration function (its log has START … REPORT). */
const INVOKED: ReadonlySet<TrafficKind> = new Set(['ok', 'malformed_response', 'lambda_error', 'handled_error', 'integration_timeout']);
/** Kinds refused before the authorizer ran (catalogue §0.1, and denials decided first). */
const BEFORE_AUTHORIZER: ReadonlySet<TrafficKind> = new Set(['waf_blocked', 'missing_auth_token', 'request_too_large', 'bad_signature', 'resource_policy_deny', 'iam_denied', 'mtls_denied', 'unauthorized', 'authorizer_error']);
/** Kinds that reached the integration (an integration latency is logged). */
const REACHED_INTEGRATION: ReadonlySet<TrafficKind> = new Set(['ok', 'lambda_error', 'malformed_response', 'integration_timeout', 'missing_permission', 'lambda_throttled', 'handled_error', 'network_error']);

/** Time API Gateway took, by what happened: the integration's latency plus its own few ms, or the wait it gave up on. */
function restLatency(kind: TrafficKind, integrationLatencyMs: number, functionTimeoutSeconds: number): number {
  if (kind === 'integration_timeout') return Math.min(29_000, functionTimeoutSeconds * 1000) + 25;
  if (kind === 'network_error') return 10_000 + 25;
  if (REACHED_INTEGRATION.has(kind)) return integrationLatencyMs + 25;
  return 20;
}

function webAclOf(account: ScenarioAccount, arn: string | undefined, region: string): SimRequest['waf'] | undefined {
  if (!arn) return undefined;
  const acl = (account.wafv2?.webAcls ?? []).find((a) => (a.ARN ?? `arn:aws:wafv2:${region}:${account.accountId}:regional/webacl/${a.Name}/${a.Id}`) === arn);
  const name = arn.split('/')[2] ?? arn;
  if (!acl) return { webAcl: name, region, accountId: account.accountId };
  const metric = (v: unknown, fallback: string) => ((v as { MetricName?: string } | undefined)?.MetricName ?? fallback);
  const blocking = acl.Rules.find((r) => (r as { Action?: { Block?: unknown } }).Action?.Block !== undefined);
  const blockedBy = blocking ? metric(blocking.VisibilityConfig, blocking.Name) : acl.DefaultAction.Block !== undefined ? 'Default_Action' : undefined;
  return { webAcl: metric(acl.VisibilityConfig, acl.Name), region, accountId: account.accountId, ...(blockedBy ? { blockedBy } : {}) };
}

/** Per-method metrics: on for the whole stage (the star-slash-star key) or for the method's own settings key. */
const detailedCache = new WeakMap<object, SimRequest['detailed'] | null>();

function restDetailed(plan: SpecPlan, request: PlannedRequest): SimRequest['detailed'] {
  if (request.kind === 'missing_auth_token') return undefined;
  // One answer per route of a spec: the stage's settings do not change request by request.
  const known = detailedCache.get(request.route);
  if (known !== undefined) return known ?? undefined;
  const answer = routeDetailed(plan, request.route);
  detailedCache.set(request.route, answer ?? null);
  return answer;
}

function routeDetailed(plan: SpecPlan, route: PlannedRequest['route']): SimRequest['detailed'] {
  const resource = plan.api.resources?.find((r) => r.path === route.resourcePath);
  const method = resource?.resourceMethods?.[route.method] ? route.method : resource?.resourceMethods?.ANY ? 'ANY' : undefined;
  if (!method) return undefined;
  const settings = plan.stage.methodSettings ?? {};
  const key = `${route.resourcePath.replace(/\//g, '~1')}/${method}`;
  const on = settings[key]?.metricsEnabled ?? settings['*/*']?.metricsEnabled ?? false;
  return on ? { method, resource: route.resourcePath } : undefined;
}

function restCalls(plan: SpecPlan, request: PlannedRequest): FunctionCall[] {
  const calls: FunctionCall[] = [];
  const { route, kind } = request;
  const authorizer = plan.authorizerOf(request);
  if (authorizer?.functionArn && !BEFORE_AUTHORIZER.has(kind)) {
    const [, , , , accountId = '', , functionName = ''] = authorizer.functionArn.split(':');
    calls.push({ accountId, functionName, role: 'authorizer', outcome: kind === 'authorizer_failure' ? 'error' : 'ok', durationMs: kind === 'authorizer_failure' ? 9 : 12 });
  }
  if (route.fn && (INVOKED.has(kind) || kind === 'lambda_throttled')) {
    const timeout = kind === 'integration_timeout';
    calls.push({
      accountId: route.fn.accountId,
      functionName: route.fn.name,
      role: 'integration',
      outcome: kind === 'lambda_throttled' ? 'throttled' : kind === 'lambda_error' || timeout ? 'error' : 'ok',
      durationMs: timeout ? route.fn.timeoutSeconds * 1000 : request.durationMs,
    });
  }
  return calls;
}

function* restRequests(scenario: Scenario, from: number, to: number): Generator<SimRequest> {
  for (const [index, spec] of scenario.traffic.entries()) {
    const plan = planOf(spec, scenario);
    if (!plan) continue;
    const waf = webAclOf(plan.account, plan.stage.webAclArn, scenario.region);
    const allowed = waf ? { webAcl: waf.webAcl, region: waf.region, accountId: waf.accountId } : undefined;
    const origin = { kind: 'traffic' as const, index, start: plan.start };
    // Millions of requests: the per-route parts are made once, the request built without spreads.
    const routeKeys = new Map(plan.routes.map((r) => [r, `${r.method} ${r.resourcePath}`]));
    const place = new Map(plan.routes.map((r) => [r, `${plan.account.accountId} REST ${plan.apiId} ${spec.stage} ${r.method} ${r.resourcePath}`]));
    for (const request of plan.requestsIn(from, to)) {
      const { route, kind } = request;
      const detailed = restDetailed(plan, request);
      const sim: SimRequest = {
        time: request.time,
        accountId: plan.account.accountId,
        apiKind: 'REST',
        apiId: plan.apiId,
        apiName: plan.api.name,
        stage: spec.stage,
        place: kind === 'missing_auth_token' ? `${plan.account.accountId} REST ${plan.apiId} ${spec.stage}` : (place.get(route) as string),
        method: route.method,
        path: route.path,
        status: request.status,
        kind,
        latencyMs: restLatency(kind, request.integrationLatencyMs, route.fn?.timeoutSeconds ?? 29),
        sourceIp: request.sourceIp,
        calls: restCalls(plan, request),
        spec: origin,
      };
      if (kind !== 'missing_auth_token') sim.route = routeKeys.get(route) as string;
      if (detailed) sim.detailed = detailed;
      if (REACHED_INTEGRATION.has(kind)) sim.integrationLatencyMs = request.integrationLatencyMs;
      if (waf) sim.waf = kind === 'waf_blocked' ? waf : allowed;
      yield sim;
    }
  }
}

// ------------------------------------------------------------------------------------- HTTP

const PERMISSION_TEXT = /permissions to call|Invalid permissions on Lambda function/i;
const THROTTLE_TEXT = /Rate Exceeded|throttl|TooManyRequests/i;

function lambdaOfUri(uri: string | undefined): { accountId: string; functionName: string } | undefined {
  const arn = uri ? (/functions\/(arn:[^/]+)\/invocations/.exec(uri)?.[1] ?? (uri.startsWith('arn:aws:lambda:') ? uri : undefined)) : undefined;
  if (!arn) return undefined;
  const [, , , , accountId = '', , functionName = ''] = arn.split(':');
  return { accountId, functionName };
}

const text = (v: unknown) => (v === undefined ? '' : String(v));

/**
 * What Lambda saw of an HTTP API request, from its outcome: the integration ran when the request
 * succeeded or the record carries an integration status or latency; it failed when API Gateway
 * answered 5xx; a permission error never reached it, a "Rate Exceeded" was a throttle.
 */
function httpCalls(request: HttpRequest, scenario: Scenario): FunctionCall[] {
  const { api, values } = request;
  const routeKey = text(values.routeKey);
  const route = (api.routes ?? []).find((r) => r.RouteKey === routeKey);
  if (!route) return [];
  const calls: FunctionCall[] = [];
  const account = scenario.accounts.find((a) => a.accountId === request.accountId);
  const functionOf = (ref: { accountId: string; functionName: string }) =>
    scenario.accounts.find((a) => a.accountId === (ref.accountId || account?.accountId))?.lambda?.functions.find((f) => f.FunctionName === ref.functionName);
  const authorizer = route.AuthorizerId ? (api.authorizers ?? []).find((a) => a.AuthorizerId === route.AuthorizerId) : undefined;
  const authorizerFn = lambdaOfUri(authorizer?.AuthorizerUri);
  const authorizerError = text(values['authorizer.error']);
  if (authorizerFn && !PERMISSION_TEXT.test(authorizerError) && !(request.status === 401 && !authorizerError)) {
    calls.push({ ...authorizerFn, role: 'authorizer', outcome: authorizerError ? 'error' : 'ok', durationMs: 12 });
  }
  const integrationId = route.Target?.replace(/^integrations\//, '');
  const integration = (api.integrations ?? []).find((i) => i.IntegrationId === integrationId);
  const fn = lambdaOfUri(integration?.IntegrationUri);
  if (!fn) return calls;
  const errorText = text(values.integrationErrorMessage ?? values['integration.error']);
  if (PERMISSION_TEXT.test(errorText)) return calls;
  const reached = request.status < 400 || ['integration.status', 'integrationStatus', 'integration.integrationStatus', 'integration.latency', 'integrationLatency'].some((k) => values[k] !== undefined);
  // With reserved concurrency 0 every request that got as far as the integration is throttled (a 5xx to the caller).
  const throttled = THROTTLE_TEXT.test(errorText) || (functionOf(fn)?.reservedConcurrency === 0 && (reached || request.status >= 500));
  if (!reached && !throttled) return calls;
  const latency = Number(values['integration.latency'] ?? values.integrationLatency ?? values.responseLatency ?? 0);
  calls.push({ ...fn, role: 'integration', outcome: throttled ? 'throttled' : request.status >= 500 ? 'error' : 'ok', durationMs: Number.isFinite(latency) ? latency : 0 });
  return calls;
}

function httpDetailed(stage: HttpRequest['stage'], routeKey: string | undefined): SimRequest['detailed'] {
  if (!routeKey) return undefined;
  const on = stage.RouteSettings?.[routeKey]?.DetailedMetricsEnabled ?? stage.DefaultRouteSettings?.DetailedMetricsEnabled ?? false;
  if (!on) return undefined;
  if (routeKey === '$default') return { method: 'ANY', resource: '$default' };
  const space = routeKey.indexOf(' ');
  return { method: routeKey.slice(0, space), resource: routeKey.slice(space + 1) };
}

function toSimRequest(request: HttpRequest, index: number, start: number, scenario: Scenario): SimRequest {
  const { values } = request;
  const routeKey = text(values.routeKey);
  const matched = routeKey && routeKey !== '-' ? routeKey : undefined;
  const detailed = httpDetailed(request.stage, matched);
  const integrationLatency = Number(values['integration.latency'] ?? values.integrationLatency);
  return {
    time: request.time,
    accountId: request.accountId,
    apiKind: 'HTTP',
    apiId: request.apiId,
    apiName: request.api.Name,
    stage: request.spec.stage,
    ...(matched ? { route: matched } : {}),
    place: `${request.accountId} HTTP ${request.apiId} ${request.spec.stage} ${matched ?? ''}`,
    ...(detailed ? { detailed } : {}),
    method: request.route.method,
    path: request.route.path,
    status: request.status,
    context: values,
    latencyMs: Number(values.responseLatency ?? 0),
    ...(Number.isFinite(integrationLatency) ? { integrationLatencyMs: integrationLatency } : {}),
    sourceIp: text(values['identity.sourceIp']),
    calls: httpCalls(request, scenario),
    spec: { kind: 'httpTraffic', index, start },
  };
}

const DEFAULT_WINDOW_MS = 2 * 3600_000;

function* httpRequests(scenario: Scenario, from: number, to: number): Generator<SimRequest> {
  for (const [index, spec] of scenario.httpTraffic.entries()) {
    const end = (spec.end ?? scenario.now).getTime();
    const start = (spec.start ?? new Date(end - DEFAULT_WINDOW_MS)).getTime();
    if (start >= to || end < from) continue;
    for (const request of httpRequestsOf(spec, scenario).requests) {
      if (request.time >= from && request.time < to) yield toSimRequest(request, index, start, scenario);
    }
  }
}

/** Every request of the scenario that arrived with `from <= time < to` (REST specs, then HTTP specs). */
export function* simulatedRequests(scenario: Scenario, from = Number.NEGATIVE_INFINITY, to = Number.POSITIVE_INFINITY): Generator<SimRequest> {
  yield* restRequests(scenario, from, to);
  yield* httpRequests(scenario, from, to);
}
