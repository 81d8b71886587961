import type { Figure, Finding } from '../../src/core/finding.js';
import { isProbePath } from '../../src/rules/counting/scanners.js';
import type { SimRequest } from '../../src/sandbox/requests.js';
import type { Scenario, TrafficKind } from '../../src/sandbox/scenario.js';
import { trafficTruth, type RequestFilter, type TrafficTruth } from '../../src/sandbox/truth.js';
import { websocketTruthOf } from './websocket-truth.js';

/**
 * The scenario suite's oracle: for each count rule, which simulated requests ARE the failure it
 * counts, in the generator's own terms (REST traffic kinds, HTTP outcomes' `$context` values),
 * independent of how firebreak reads the logs. Every figure of every finding is held against it.
 */
type Match = (r: SimRequest, scenario: Scenario) => boolean;

const kinds = (...list: TrafficKind[]): Match => (r) => r.kind !== undefined && list.includes(r.kind);
const text = (r: SimRequest, ...keys: string[]) => keys.map((k) => r.context?.[k]).find((v) => v !== undefined && v !== '-' && v !== '');
const PERMISSION = /permissions to call|Invalid permissions on Lambda function/i;

/** Routes of an HTTP API with a given authorizer type (JWT, or a Lambda REQUEST authorizer). */
function httpRoutesWith(scenario: Scenario, r: SimRequest, type: 'JWT' | 'REQUEST'): boolean {
  const api = scenario.accounts.flatMap((a) => a.apigatewayv2?.apis ?? []).find((a) => a.ApiId === r.apiId);
  const route = api?.routes?.find((x) => x.RouteKey === r.route);
  if (!route?.AuthorizerId) return false;
  if (type === 'JWT') return route.AuthorizationType === 'JWT';
  return api?.authorizers?.find((a) => a.AuthorizerId === route.AuthorizerId)?.AuthorizerType === 'REQUEST';
}

/** Requests that matched no route and are not scanners' (probe paths, or from an address that probed). */
function unmatchedClient(r: SimRequest, scenario: Scenario, probing: Set<string>): boolean {
  if (r.status !== 404 || r.route !== undefined || text(r, 'integration.status', 'integrationStatus') !== undefined) return false;
  void scenario;
  return !isProbePath(r.path) && !probing.has(r.sourceIp);
}

const ORACLE: Record<string, Match> = {
  'I1.lambda-permission-missing': kinds('missing_permission'),
  'I2.integration-role-not-assumable': kinds('assume_role_denied'),
  'I3.malformed-proxy-response': kinds('malformed_response'),
  'I4.lambda-function-error': kinds('lambda_error'),
  'I5.lambda-throttled': kinds('lambda_throttled'),
  'I6.integration-timeout': kinds('integration_timeout'),
  'I7.backend-unreachable': kinds('network_error'),
  'I8.bad-uri-or-mapping': kinds('invalid_endpoint'),
  'T1.throttled': kinds('throttled'),
  'T2.quota-exceeded': kinds('quota_exceeded'),
  'T3.request-too-large': kinds('request_too_large'),
  'A1.authorizer-denies': kinds('authorizer_deny'),
  'A2.identity-source-missing': kinds('unauthorized'),
  'A3.authorizer-function-fails': kinds('authorizer_failure'),
  'A4.authorizer-not-invokable': kinds('authorizer_error'),
  'A5.iam-authorization-fails': kinds('bad_signature', 'iam_denied'),
  'A6.cognito-refuses-callers': kinds('unauthorized'),
  'A7.api-key-usage-plan': kinds('api_key_invalid'),
  'A8.waf-blocks': kinds('waf_blocked'),
  'R1.route-not-deployed': kinds('missing_auth_token'),
  'R7.mtls-refused': kinds('mtls_denied'),
  'O1.scp-denies-invoke': kinds('iam_denied'),
  'H10.jwt-rejected': (r, s) => (r.status === 401 || r.status === 403) && r.method !== 'OPTIONS' && httpRoutesWith(s, r, 'JWT'),
  'H12.authorizer-identity-missing': (r, s) => r.status === 401 && httpRoutesWith(s, r, 'REQUEST'),
  'H13.lambda-authorizer-denies': (r, s) => r.status === 403 && httpRoutesWith(s, r, 'REQUEST'),
  'H14.lambda-authorizer-invalid-response': (r) => r.status === 500 && text(r, 'authorizer.error') !== undefined && !PERMISSION.test(String(text(r, 'authorizer.error'))),
  'H14.authorizer-not-invokable': (r) => PERMISSION.test(String(text(r, 'authorizer.error') ?? '')),
  'H16.cors-preflight-authorized': (r) => r.method === 'OPTIONS' && (r.status === 401 || r.status === 403),
  'H18.lambda-permission-missing': (r) => r.status === 500 && PERMISSION.test(String(text(r, 'integrationErrorMessage', 'integration.error') ?? '')),
  'H19.payload-format-mismatch': (r) => r.status >= 500,
  'H21.integration-timeout': (r) => r.status === 503 || r.status === 504,
  'H23.vpc-link-sg-blocks': (r) => r.status >= 500,
  'H24.throttled': (r) => r.status === 429,
};

/** Requests to the default `https://<api-id>.execute-api.<region>.amazonaws.com` endpoint (H4, R6). */
const onDefaultEndpoint: Match = (r, s) => String(text(r, 'domainName') ?? '').toLowerCase() === `${r.apiId}.execute-api.${s.region}.amazonaws.com`;
const DEFAULT_ENDPOINT_RULES = new Set(['H4.default-endpoint-disabled', 'R6.default-endpoint-disabled']);

/**
 * The one figure counted over a period other than the window by design: the default endpoint's
 * share before the CloudTrail change that disabled it (later requests there are refused). Its end
 * must be that change, as the scenario wrote it; any other period is a slice.
 */
function deliberateUntil(scenario: Scenario, rule: string): number | undefined {
  if (!DEFAULT_ENDPOINT_RULES.has(rule)) return undefined;
  const times = scenario.accounts
    .flatMap((a) => a.cloudtrail?.events ?? [])
    .filter((e) => /disableExecuteApiEndpoint/.test(JSON.stringify(e)))
    .map((e) => Date.parse(String(e.EventTime)));
  return times.length ? Math.max(...times) : undefined;
}

export interface FigureProblem {
  rule: string;
  figure: string;
  problem: string;
}

const close = (got: number, want: number) => Math.abs(got - want) <= Math.max(1, 0.05 * want);
const closeShare = (got: number, want: number) => Math.abs(got - want) <= Math.max(0.005, 0.05 * want);
const MINUTE = 60_000;

function label(f: Figure): string {
  return `${f.what} on ${f.scope.kind} ${f.scope.name}${f.scope.stage ? `@${f.scope.stage}` : ''}: ${f.numerator}/${f.denominator ?? '?'}`;
}

/** The truth of one figure's scope: its requests (or invocations) and its failures, over a period. */
function truthOf(truth: TrafficTruth, scenario: Scenario, rule: string, f: Figure, probing: Set<string>, from?: number, until?: number): { failures: number; total: number } | undefined {
  const scope = f.scope;
  if (scope.kind === 'function') {
    const throttles = /throttl/i.test(f.what) || rule === 'I5.lambda-throttled';
    const authorizer = rule === 'A3.authorizer-function-fails';
    const failures = throttles
      ? truth.calls({ functionName: scope.name, outcome: 'throttled' }, from, until)
      : rule === 'I4.lambda-function-error' || rule === 'I6.integration-timeout'
        ? truth.count({ match: (r) => r.calls.some((c) => c.functionName === scope.name && c.outcome === 'error') && (rule === 'I4.lambda-function-error' ? r.kind === 'lambda_error' : r.kind === 'integration_timeout') }, from, until) +
          truth.declaredFailures(scope.name, rule === 'I4.lambda-function-error' ? 'error' : 'timeout', from, until)
        : truth.calls({ functionName: scope.name, outcome: 'error', ...(authorizer ? { role: 'authorizer' as const } : {}) }, from, until);
    const invocations = truth.calls({ functionName: scope.name }, from, until);
    // Throttles are a share of the invocations asked for: run and refused.
    return { failures, total: throttles ? invocations + failures : invocations };
  }
  if (scope.kind !== 'stage' && scope.kind !== 'route' && scope.kind !== 'api') return undefined;
  const match = matcherOf(rule, scenario, probing);
  if (!match) return undefined;
  const where = scopeFilter(f);
  const inApi = (r: SimRequest) => scope.kind !== 'api' || r.apiId === scope.name;
  return { failures: truth.count({ ...where, match: (r) => inApi(r) && match(r) }, from, until), total: truth.count({ ...where, match: inApi }, from, until) };
}

function matcherOf(rule: string, scenario: Scenario, probing: Set<string>): ((r: SimRequest) => boolean) | undefined {
  if (rule === 'H1.no-matching-route') return (r) => unmatchedClient(r, scenario, probing);
  if (DEFAULT_ENDPOINT_RULES.has(rule)) return (r) => onDefaultEndpoint(r, scenario);
  const match = ORACLE[rule];
  return match ? (r) => match(r, scenario) : undefined;
}

function scopeFilter(f: Figure): RequestFilter {
  const scope = f.scope;
  return { stage: scope.kind === 'stage' ? scope.name : scope.stage, ...(scope.kind === 'route' ? { route: scope.name } : {}) };
}

/**
 * Every count and share in the findings' figures against the truth (±5%, at least ±1): the
 * numerator, the denominator, the share, the period (the whole window, never a slice of lines),
 * and, with an onset, the counts since it.
 */
export function checkFigures(scenario: Scenario, findings: readonly Finding[], window: { since: string; until: string }): FigureProblem[] {
  const from = Date.parse(window.since);
  const until = Date.parse(window.until);
  const truth = trafficTruth(scenario, from, until);
  const probing = new Set(truth.requests.filter((r) => r.apiKind === 'HTTP' && isProbePath(r.path)).map((r) => r.sourceIp));
  const problems: FigureProblem[] = [];
  for (const finding of findings) {
    for (const f of finding.figures ?? []) {
      const say = (problem: string) => problems.push({ rule: finding.rule, figure: label(f), problem });
      const end = deliberateUntil(scenario, finding.rule) ?? until;
      if (Math.abs(Date.parse(f.from) - from) > MINUTE || Math.abs(Date.parse(f.until) - end) > MINUTE) say(`counted over ${f.from}–${f.until}, not the window ${window.since}–${new Date(end).toISOString()} (a slice of lines)`);
      // A disconnect's idle time is known only from the records read (its connectedAt and its
      // connection's messages): over a capped read W20's count is the sample's share applied to Logs
      // Insights' disconnects, an estimate that says so (not exact); only whole reads are held to ±5%.
      if (finding.rule.startsWith('W20.') && !f.exact) continue;
      const real = websocketTruthOf(scenario, finding.rule, f, from, end) ?? truthOf(truth, scenario, finding.rule, f, probing, from, end);
      if (!real) {
        say('no truth for this figure (add the rule to test/support/truth-oracle.ts)');
        continue;
      }
      if (!close(f.numerator, real.failures)) say(`numerator ${f.numerator}, truth ${real.failures}`);
      if (f.denominator !== undefined && !close(f.denominator, real.total)) say(`denominator ${f.denominator}, truth ${real.total}`);
      if (f.share !== undefined && real.total > 0 && !closeShare(f.share, real.failures / real.total)) say(`share ${(f.share * 100).toFixed(1)}%, truth ${((real.failures / real.total) * 100).toFixed(1)}%`);
      // A failure that began inside the window is dated, to the minute or two.
      const match = f.scope.kind === 'stage' || f.scope.kind === 'route' ? matcherOf(finding.rule, scenario, probing) : undefined;
      const began = match ? truth.onset({ ...scopeFilter(f), match }) : undefined;
      if (began !== undefined && began >= from + 5 * MINUTE && finding.severity !== 'low') {
        if (!f.onset) say(`no onset; the failure began at ${new Date(began).toISOString()}`);
        else if (Math.abs(Date.parse(f.onset) - began) > 2 * MINUTE) say(`onset ${f.onset}, truth ${new Date(began).toISOString()}`);
      }
      if (f.onset && f.sinceOnset) {
        const since = websocketTruthOf(scenario, finding.rule, f, Date.parse(f.onset), until) ?? truthOf(truth, scenario, finding.rule, f, probing, Date.parse(f.onset), until);
        if (since && !close(f.sinceOnset.numerator, since.failures)) say(`since ${f.onset}: numerator ${f.sinceOnset.numerator}, truth ${since.failures}`);
        if (since && !close(f.sinceOnset.denominator, since.total)) say(`since ${f.onset}: denominator ${f.sinceOnset.denominator}, truth ${since.total}`);
      }
    }
  }
  return problems;
}
