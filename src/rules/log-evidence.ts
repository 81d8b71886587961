import type { Evidence } from '../core/evidence.js';
import type { EvidenceRef, Finding, Severity } from '../core/finding.js';
import { clip, coverageRow, finding } from './helpers.js';
import { EXECUTION_ROUTE, routeKey, summariseLogs, type LogSummary, type SignatureCount } from './execution-log-classifier.js';
import type { Rule, RuleInput } from './types.js';

// Many rules read the same log summary. It is computed once per RuleInput object: evaluateRules
// hands every rule the same (fresh) input, so one evaluation walks the logs once.
const cache = new WeakMap<RuleInput, LogSummary>();
const trafficCache = new WeakMap<RuleInput, Traffic>();
// And back: rules that only hold the summary (`significant(summary, …)`) still get the full
// traffic of the input it came from.
const inputOfSummary = new WeakMap<LogSummary, RuleInput>();

export function logSummaryOf(input: RuleInput): LogSummary {
  let summary = cache.get(input);
  if (!summary) {
    summary = summariseLogs(input.evidence);
    cache.set(input, summary);
    inputOfSummary.set(summary, input);
  }
  return summary;
}

/** One evidence ref per signature count: `3 × integration timed out`, quoting an example line. */
export function logRefs(counts: SignatureCount[]): EvidenceRef[] {
  return counts.map((c) => ({
    source: c.source,
    ...(c.stage ? { key: c.stage } : {}),
    quote: clip(`${c.count} × ${c.label}${c.examples[0] ? `: ${c.examples[0]}` : ''}`),
  }));
}

export function describeCounts(counts: SignatureCount[]): string {
  return counts.map((c) => `${c.count} × ${c.label}${c.stage ? ` on stage ${c.stage}` : ''} (${c.source})`).join('; ');
}

// ---------------------------------------------------------------------------------------------
// Proportion. A healthy API always has some background failures: a few function errors, a few
// timeouts, clients throttled now and then. A failure signature is a cause only when it is both
// frequent (an absolute floor) and a real share of the traffic it could affect (per route, per
// stage, or per function for Lambda logs). Below that it is at most a "seen N times" note.

/** The threshold a count-based rule applies. Documented per rule in docs/rules.md. */
export interface Threshold {
  /** Occurrences needed in one scope (route, stage or function). */
  minEvents: number;
  /** Share of that scope's requests (or invocations) needed, when the traffic is known. */
  minShare: number;
}

/** The default: 5xx-style failures (I3, I4, I5, I6) and most signatures. */
export const DEFAULT_THRESHOLD: Threshold = { minEvents: 5, minShare: 0.02 };
/** 429s (T1, T2): clients that burst are throttled now and then by design. */
export const THROTTLE_THRESHOLD: Threshold = { minEvents: 10, minShare: 0.05 };
/** Authorizer denies (A1): some callers always present a bad or expired token. */
export const DENY_THRESHOLD: Threshold = { minEvents: 10, minShare: 0.1 };
/**
 * Client-side 4xx (R1 unknown paths, A7 missing keys, A8 WAF blocks, A2/A5 bad credentials):
 * scanners, old clients and bots produce them on every public API.
 */
export const CLIENT_ERROR_THRESHOLD: Threshold = { minEvents: 10, minShare: 0.05 };
const CLIENT_ERROR_CAUSES = new Set(['R1', 'A7', 'A8', 'A2', 'A5']);
/** A signature API Gateway writes only when the cause is present (I1): one line decides. */
export const DECISIVE_THRESHOLD: Threshold = { minEvents: 1, minShare: 0 };

/** At or above this share of its scope's traffic, a failure keeps the rule's full severity. */
export const MAJOR_SHARE = 0.25;

/** Failures seen in the last `max(RECENT_MIN_MS, RECENT_FRACTION × window)` are "still happening". */
export const RECENT_MIN_MS = 10 * 60_000;
export const RECENT_FRACTION = 0.1;

/** Requests (or invocations) per scope: the denominators. Undefined when no log says. */
export interface Traffic {
  /** Requests per stage: access-log records, else INFO execution-log requests. */
  stages: Record<string, number>;
  /** Requests per stage and route (`GET /orders`). */
  routes: Record<string, Record<string, number>>;
  /** Invocations per function, from its log's REPORT lines. */
  functions: Record<string, number>;
  /** Newest request (or invocation) seen per stage or function: did traffic go on after a failure? */
  lastRequest: Record<string, number>;
  /** Request times per stage (sorted, unscaled sample): how much traffic since the failures began? */
  times: Record<string, number[]>;
}

/** The row's truncation as a scale factor: a capped read saw `kept` of `total`. */
function scaleOf(input: { coverage: RuleInput['coverage'] }, source: string): number {
  const truncated = coverageRow(input as RuleInput, source)?.truncated;
  return truncated && truncated.kept > 0 && truncated.total > truncated.kept ? truncated.total / truncated.kept : 1;
}

const REQUEST_ID = /^\(([^)]+)\)/;

/**
 * Execution logs name the request's actual path (`GET /orders/123`), access logs the resource
 * (`GET /orders/{id}`): map actual paths onto the API's resource templates so both count per route.
 */
export function routeTemplater(evidence: Evidence): (route: string) => string {
  const templates = [...new Set((evidence['apigw.resources'] ?? []).map((m) => m.path))]
    .filter((path) => path.includes('{'))
    .map((path) => ({
      path,
      pattern: new RegExp(`^${path.split('/').map((part) => (/^\{.+\+\}$/.test(part) ? '.+' : /^\{.+\}$/.test(part) ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('/')}$`),
    }))
    // Most specific first: more literal segments win over a greedy {proxy+}.
    .sort((a, b) => b.path.replace(/\{[^}]+\}/g, '').length - a.path.replace(/\{[^}]+\}/g, '').length);
  const cache = new Map<string, string>();
  return (route) => {
    let mapped = cache.get(route);
    if (mapped === undefined) {
      const space = route.indexOf(' ');
      const method = route.slice(0, space);
      const path = route.slice(space + 1);
      const template = (evidence['apigw.resources'] ?? []).some((m) => m.path === path) ? undefined : templates.find((t) => t.pattern.test(path));
      mapped = template ? `${method} ${template.path}` : route;
      cache.set(route, mapped);
    }
    return mapped;
  };
}

export function trafficOf(input: Pick<RuleInput, 'evidence' | 'coverage'>): Traffic {
  const evidence: Evidence = input.evidence;
  const traffic: Traffic = { stages: {}, routes: {}, functions: {}, lastRequest: {}, times: {} };
  const accessTimes: Record<string, number[]> = {};
  const executionTimes: Record<string, number[]> = {};
  const seen = (key: string, timestamp: number) => {
    if (timestamp > (traffic.lastRequest[key] ?? -Infinity)) traffic.lastRequest[key] = timestamp;
  };
  const add = (stage: string, route: string | undefined, n: number, into: Traffic) => {
    into.stages[stage] = (into.stages[stage] ?? 0) + n;
    if (route) {
      const routes = (into.routes[stage] ??= {});
      routes[route] = (routes[route] ?? 0) + n;
    }
  };
  // Access logs: one record per request.
  const accessScale = scaleOf(input, 'logs.access');
  const fromAccess: Traffic = { stages: {}, routes: {}, functions: {}, lastRequest: {}, times: {} };
  for (const log of evidence['logs.access'] ?? []) {
    for (const record of log.records) {
      add(log.stage, routeKey(record.httpMethod, record.resourcePath), accessScale, fromAccess);
      seen(`stage ${log.stage}`, record.timestamp);
      // Times only from a complete read: a capped one holds the newest records, not the period.
      if (accessScale === 1) (accessTimes[log.stage] ??= []).push(record.timestamp);
    }
  }
  // Execution logs: every request at INFO ends with "Method completed with status"; at ERROR only
  // failures are written, so those stages give no denominator.
  const infoStages = new Set((evidence['apigw.stages'] ?? []).filter((s) => s.loggingLevel === 'INFO').map((s) => s.stageName));
  const executionScale = scaleOf(input, 'logs.execution');
  const fromExecution: Traffic = { stages: {}, routes: {}, functions: {}, lastRequest: {}, times: {} };
  for (const log of evidence['logs.execution'] ?? []) {
    if (!infoStages.has(log.stage)) continue;
    const routeOf = new Map<string, string>();
    const completed = new Set<string>();
    for (const line of log.lines) {
      const message = line.message;
      if (message.includes('Method completed with status')) {
        const id = REQUEST_ID.exec(message)?.[1];
        if (id) completed.add(id);
        seen(`stage ${log.stage}`, line.timestamp);
        if (executionScale === 1) (executionTimes[log.stage] ??= []).push(line.timestamp);
      } else if (message.includes('Resource Path: ')) {
        const id = REQUEST_ID.exec(message)?.[1];
        const route = EXECUTION_ROUTE.exec(message);
        const key = route ? routeKey(route[1], route[2]) : undefined;
        if (id && key) routeOf.set(id, key);
      }
    }
    const template = routeTemplater(evidence);
    for (const id of completed) {
      const route = routeOf.get(id);
      add(log.stage, route ? template(route) : undefined, executionScale, fromExecution);
    }
  }
  // The two logs see the same requests: per stage, access logs (one record each) when there are
  // any, else the execution-log estimate. Never the sum.
  for (const stage of new Set([...Object.keys(fromAccess.stages), ...Object.keys(fromExecution.stages)])) {
    const pick = (fromAccess.stages[stage] ?? 0) > 0 ? fromAccess : fromExecution;
    traffic.stages[stage] = Math.round(pick.stages[stage] ?? 0);
    traffic.times[stage] = [...((pick === fromAccess ? accessTimes : executionTimes)[stage] ?? [])].sort((a, b) => a - b);
    traffic.routes[stage] = Object.fromEntries(Object.entries(pick.routes[stage] ?? {}).map(([route, n]) => [route, Math.round(n)]));
  }
  for (const log of evidence['logs.lambda'] ?? []) {
    if (log.invocations !== undefined) traffic.functions[log.functionName] = (traffic.functions[log.functionName] ?? 0) + log.invocations;
    if (log.lastInvocation !== undefined) seen(`function ${log.functionName}`, log.lastInvocation);
  }
  // A stage whose logs give no request count (ERROR-level execution logs, no access log) still
  // has a floor for its traffic: its integration functions' invocations. Without it, a handful
  // of background errors would be judged by the floor alone.
  const integrations = new Set((evidence['lambda.functions'] ?? []).filter((f) => f.usedBy.includes('integration')).map((f) => f.functionName));
  const invoked = Object.entries(traffic.functions).filter(([name]) => integrations.has(name)).reduce((n, [, count]) => n + count, 0);
  const lastInvoked = Math.max(...[...integrations].map((name) => traffic.lastRequest[`function ${name}`] ?? -Infinity));
  if (invoked > 0) {
    for (const stage of evidence['apigw.stages'] ?? []) {
      if (traffic.stages[stage.stageName] !== undefined) continue;
      traffic.stages[stage.stageName] = invoked;
      if (Number.isFinite(lastInvoked)) seen(`stage ${stage.stageName}`, lastInvoked);
    }
  }
  return traffic;
}

function cachedTraffic(input: RuleInput): Traffic {
  let traffic = trafficCache.get(input);
  if (!traffic) {
    traffic = trafficOf(input);
    trafficCache.set(input, traffic);
  }
  return traffic;
}

/** One place failures were counted against its own traffic: a route, a stage or a function. */
export interface ScopeAssessment {
  /** `stage prod`, `GET /orders on stage prod`, `function orders`. */
  scope: string;
  events: number;
  /** Requests or invocations in the scope, when known. */
  traffic?: number;
  share?: number;
  /** Share of the requests since the first failure: how bad it is while it happens. */
  activeShare?: number;
  lastSeen?: number;
  significant: boolean;
}

export interface Assessment {
  /** Counts of the scopes that passed the threshold (what a finding cites). */
  counts: SignatureCount[];
  /** Every scope considered, significant or not. */
  scopes: ScopeAssessment[];
  /** The scope that decides the severity: the largest share among the significant ones. */
  worst?: ScopeAssessment;
  ongoing: boolean;
  threshold: Threshold;
}

function recentSince(input: Pick<RuleInput, 'window'>): number {
  const until = input.window.until.getTime();
  const span = until - input.window.since.getTime();
  return until - Math.max(RECENT_MIN_MS, RECENT_FRACTION * span);
}

function minDefined(values: (number | undefined)[]): number | undefined {
  const defined = values.filter((v): v is number => v !== undefined);
  return defined.length ? Math.min(...defined) : undefined;
}

/**
 * The share of the requests since the first failure that failed: a total outage that began ten
 * minutes ago is a small share of two hours but all of the traffic now. Only with enough failures
 * (twice the floor) that a late cluster of noise cannot pass for an outage.
 */
function activeShareOf(events: number, firstSeen: number | undefined, times: number[] | undefined, threshold: Threshold): number | undefined {
  if (firstSeen === undefined || !times?.length || events < 2 * threshold.minEvents) return undefined;
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((times[mid] ?? 0) < firstSeen) lo = mid + 1;
    else hi = mid;
  }
  const since = times.length - lo;
  return since > 0 ? Math.min(1, events / since) : undefined;
}

function maxDefined(values: (number | undefined)[]): number | undefined {
  const defined = values.filter((v): v is number => v !== undefined);
  return defined.length ? Math.max(...defined) : undefined;
}

function passes(events: number, traffic: number | undefined, threshold: Threshold): boolean {
  if (events < threshold.minEvents) return false;
  return traffic === undefined || traffic <= 0 || events / traffic >= threshold.minShare;
}

/**
 * Weighs failure counts against their traffic. Execution and access logs count per stage (the
 * larger of the two, since they see the same requests) and per route; Lambda logs per function,
 * against its invocations. A scope passes when it reaches the floor and, when its traffic is
 * known, the share.
 */
export function assess(input: RuleInput, counts: SignatureCount[], threshold: Threshold = DEFAULT_THRESHOLD): Assessment {
  const traffic = cachedTraffic(input);
  const scopes: ScopeAssessment[] = [];
  const kept = new Set<SignatureCount>();
  const byStage = new Map<string, SignatureCount[]>();
  const byFunction = new Map<string, SignatureCount[]>();
  for (const c of counts) {
    if (c.source === 'logs.lambda') {
      const key = c.functionName ?? c.label;
      byFunction.set(key, [...(byFunction.get(key) ?? []), c]);
    } else {
      const key = c.stage ?? '';
      byStage.set(key, [...(byStage.get(key) ?? []), c]);
    }
  }
  const share = (events: number, total: number | undefined) => (total && total > 0 ? Math.min(1, events / total) : undefined);
  // Access records kept are a sample when the read was capped (or held to the execution lines'
  // period): their failures are scaled like their traffic, or a burst outside the sample is lost
  // while its share is measured against the whole window.
  const accessScale = scaleOf(input, 'logs.access');
  const scaled = (source: SignatureCount['source'], n: number) => (source === 'logs.access' ? Math.round(n * accessScale) : n);
  for (const [stage, list] of byStage) {
    const bySource = (source: SignatureCount['source']) => list.filter((c) => c.source === source);
    const sum = (l: SignatureCount[]) => l.reduce((n, c) => n + c.count, 0);
    const events = Math.max(sum(bySource('logs.execution')), scaled('logs.access', sum(bySource('logs.access'))));
    const stageTraffic = stage ? traffic.stages[stage] : undefined;
    const lastSeen = maxDefined(list.map((c) => c.lastSeen));
    const firstSeen = minDefined(list.map((c) => c.firstSeen));
    const active = activeShareOf(events, firstSeen, stage ? traffic.times[stage] : undefined, threshold);
    const stageScope: ScopeAssessment = {
      scope: stage ? `stage ${stage}` : 'the API',
      events,
      ...(stageTraffic !== undefined ? { traffic: stageTraffic } : {}),
      ...(share(events, stageTraffic) !== undefined ? { share: share(events, stageTraffic) as number } : {}),
      ...(lastSeen !== undefined ? { lastSeen } : {}),
      ...(active !== undefined ? { activeShare: active } : {}),
      significant: passes(events, stageTraffic, threshold),
    };
    scopes.push(stageScope);
    // Per route: a route that fails for most of its callers matters even on a busy stage.
    const routeEvents = new Map<string, number>();
    const template = routeTemplater(input.evidence);
    for (const source of ['logs.execution', 'logs.access'] as const) {
      const perSource = new Map<string, number>();
      for (const c of bySource(source)) {
        for (const [route, n] of Object.entries(c.routes ?? {})) {
          const key = source === 'logs.execution' ? template(route) : route;
          perSource.set(key, (perSource.get(key) ?? 0) + scaled(source, n));
        }
      }
      for (const [route, n] of perSource) routeEvents.set(route, Math.max(routeEvents.get(route) ?? 0, n));
    }
    let anyRoute = false;
    for (const [route, n] of routeEvents) {
      const routeTraffic = stage ? traffic.routes[stage]?.[route] : undefined;
      // A route whose traffic is unknown (ERROR-level logs, no access log) counts at stage level only.
      if (routeTraffic === undefined || routeTraffic <= 0) continue;
      const ok = passes(n, routeTraffic, threshold);
      anyRoute ||= ok;
      scopes.push({ scope: `${route}${stage ? ` on stage ${stage}` : ''}`, events: n, traffic: routeTraffic, share: Math.min(1, n / routeTraffic), significant: ok });
    }
    if (stageScope.significant || anyRoute) list.forEach((c) => kept.add(c));
  }
  for (const [fn, list] of byFunction) {
    const events = list.reduce((n, c) => n + c.count, 0);
    const invocations = traffic.functions[fn];
    const lastSeen = maxDefined(list.map((c) => c.lastSeen));
    const ok = passes(events, invocations, threshold);
    scopes.push({
      scope: `function ${fn}`,
      events,
      ...(invocations !== undefined ? { traffic: invocations } : {}),
      ...(share(events, invocations) !== undefined ? { share: share(events, invocations) as number } : {}),
      ...(lastSeen !== undefined ? { lastSeen } : {}),
      significant: ok,
    });
    if (ok) list.forEach((c) => kept.add(c));
  }
  const significantScopes = scopes.filter((s) => s.significant);
  // The worst scope: the largest known share; a scope of unknown traffic ranks below a known one.
  const worst = [...significantScopes].sort((a, b) => (b.share ?? -1) - (a.share ?? -1) || b.events - a.events)[0];
  // It stopped when every significant scope's last failure is older than the window's last part
  // AND requests went on after it; with no later traffic (or no times at all), it may well still
  // be happening, so it is not played down.
  const recent = recentSince(input);
  const stopped = (s: ScopeAssessment) => {
    if (s.lastSeen === undefined || s.lastSeen >= recent) return false;
    const key = s.scope.startsWith('function ') ? s.scope : s.scope.includes(' on stage ') ? `stage ${s.scope.split(' on stage ')[1]}` : s.scope;
    const later = traffic.lastRequest[key];
    return later !== undefined && later > s.lastSeen + 60_000;
  };
  const timed = significantScopes.filter((s) => s.lastSeen !== undefined);
  const ongoing = timed.length === 0 || !timed.every(stopped);
  return { counts: counts.filter((c) => kept.has(c)), scopes, ...(worst ? { worst } : {}), ongoing, threshold };
}

const STEPS: Severity[] = ['critical', 'high', 'medium', 'low', 'info'];

function lower(severity: Severity, steps: number, floor: Severity): Severity {
  const index = Math.min(STEPS.indexOf(severity) + steps, STEPS.indexOf(floor));
  return STEPS[Math.max(index, STEPS.indexOf(severity))] ?? severity;
}

/**
 * Severity follows the share of traffic and whether it is still happening: the rule's own
 * severity when at least MAJOR_SHARE of a scope fails and the last failure is recent; one step
 * lower (not below medium) for a smaller or unknown share; one more step lower (not below low)
 * when it stopped before the window's end, with requests going on after it. A finding that passed
 * its threshold and is still happening stays above low, apart from the "seen N times" notes.
 */
export function proportionalSeverity(base: Severity, assessment: Assessment): Severity {
  const shares = assessment.scopes.filter((s) => s.significant).flatMap((s) => [s.share, s.activeShare]);
  const share = maxDefined(shares);
  const small = share === undefined || share < MAJOR_SHARE;
  const current = small ? lower(base, 1, 'medium') : base;
  return assessment.ongoing ? current : lower(current, 1, 'low');
}

function percent(share: number): string {
  const value = share * 100;
  return `${value >= 10 || value === 0 ? value.toFixed(0) : value.toFixed(1)}%`;
}

function unitOf(scope: ScopeAssessment): string {
  return scope.scope.startsWith('function ') ? 'invocations' : 'requests';
}

export function describeScope(scope: ScopeAssessment): string {
  const of = scope.traffic !== undefined ? ` of ${scope.traffic} ${unitOf(scope)} (${percent(scope.share ?? 0)})` : '';
  const active = scope.activeShare !== undefined && scope.activeShare > (scope.share ?? 0) * 1.5 ? `, ${percent(scope.activeShare)} of the ${unitOf(scope)} since the first failure` : '';
  return `${scope.events}${of}${active} on ${scope.scope}`;
}

/** One sentence on proportion and timing, for a finding's detail. */
export function proportionText(input: RuleInput, assessment: Assessment): string {
  const worst = assessment.worst;
  const where = worst ? `Worst: ${describeScope(worst)}.` : '';
  const last = maxDefined(assessment.scopes.filter((s) => s.significant).map((s) => s.lastSeen));
  const when =
    last === undefined
      ? ''
      : assessment.ongoing
        ? ` Still happening at the window's end (last at ${new Date(last).toISOString()}).`
        : ` It stopped before the window's end: last at ${new Date(last).toISOString()}, window until ${input.window.until.toISOString()}.`;
  return `${where}${when}`.trim();
}

function thresholdText(threshold: Threshold): string {
  return `at least ${threshold.minEvents} and ${percent(threshold.minShare)} of a route's, stage's or function's traffic`;
}

/**
 * Below the threshold: a low "seen N times" note, so the count is visible without claiming a
 * cause. None when nothing was seen at all.
 */
export function belowThresholdNote(rule: Rule, input: RuleInput, assessment: Assessment, what: string): Finding[] {
  const seen = assessment.scopes.filter((s) => !s.scope.includes(' on stage '));
  const total = seen.reduce((n, s) => n + s.events, 0);
  if (total === 0) return [];
  return [
    {
      ...finding(rule, {
        severity: 'low',
        title: `${what}: seen ${total} time${total === 1 ? '' : 's'}, below the threshold`,
        detail: `${seen.map(describeScope).join('; ')}. Below the threshold (${thresholdText(assessment.threshold)}), this is background noise rather than a cause.`,
        evidence: seen.map((s) => ({ source: s.scope.startsWith('function ') ? 'logs.lambda' : 'logs.execution', quote: clip(describeScope(s)) })),
        fix: 'Nothing to fix for this incident; watch it if it grows.',
      }),
    },
  ];
}

/**
 * The counts that matter (compatibility for rules that only need the filter): see `assess`.
 * Lambda-log counts are weighed against the function's invocations when its log says them.
 */
export function significant(summary: LogSummary, counts: SignatureCount[], minEvents?: number, minShare?: number, input?: RuleInput): SignatureCount[] {
  // Without explicit numbers, the threshold of the counts' kind of cause.
  const base = counts.length > 0 && counts.every((c) => CLIENT_ERROR_CAUSES.has(c.cause)) ? CLIENT_ERROR_THRESHOLD : DEFAULT_THRESHOLD;
  const threshold = { minEvents: minEvents ?? base.minEvents, minShare: minShare ?? base.minShare };
  const source = input ?? inputOfSummary.get(summary);
  if (source) return assess(source, counts, threshold).counts;
  // Without the input, stage traffic comes from the summary's access-log counts alone.
  const pseudo: RuleInput = {
    target: { kind: 'api-gw', restApiId: '', region: '' },
    window: { since: new Date(0), until: new Date(0) },
    evidence: {},
    coverage: [],
  };
  trafficCache.set(pseudo, { stages: { ...summary.accessRecordsByStage }, routes: {}, functions: {}, lastRequest: {}, times: {} });
  return assess(pseudo, counts, threshold).counts;
}

