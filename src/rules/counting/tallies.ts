import type { AccessLogEvidence, AccessLogRecord, MetricScope, MetricSeries } from '../../core/evidence.js';
import type { Figure } from '../../core/finding.js';
import type { SignatureCount } from '../execution-log-classifier.js';
import { coverageRow } from '../helpers.js';
import type { RuleInput } from '../types.js';
import { accessLogOf, failedRequestsIn, functionInvocations, insightsRows, seriesOf } from './denominators.js';
import { fromSeries, scaled, sumMeasures, type Measure } from './measure.js';
import { addMinutes, fromTimes, type Minutes } from './minutes.js';
import { recordRoute, routeTemplater } from './routes.js';

/** Failures of one cause in one scope (a stage, a route on a stage, a function), with where the count came from. */
export interface Tally {
  scope: MetricScope;
  failures: Measure;
  /** What the failures are a share of, when not the scope's requests or invocations (throttles: invocation attempts). */
  of?: Measure;
  /** The unit of `of` when it is not the scope's (WebSocket: connections or messages). */
  unit?: Figure['unit'];
  /** The source the failures were counted in, when the scope does not say it (WebSocket events: access or execution log). */
  source?: string;
}

/** What one log showed of a cause in one scope: how many, when, and (access records) with which statuses. */
interface Seen {
  n: number;
  minutes: Minutes;
  statuses: Map<number, number>;
}

/** What one log showed of a cause on one stage: in all, and per route. */
interface Observed extends Seen {
  last?: number;
  routes: Map<string, Seen>;
}

function addStatuses(into: Map<number, number>, from: Record<number, number> | undefined): void {
  for (const [status, n] of Object.entries(from ?? {})) into.set(Number(status), (into.get(Number(status)) ?? 0) + n);
}

function observe(list: readonly SignatureCount[], template: (route: string) => string = (r) => r): Observed {
  const observed: Observed = { n: 0, minutes: new Map(), statuses: new Map(), routes: new Map() };
  for (const c of list) {
    observed.n += c.count;
    if (c.minutes) addMinutes(observed.minutes, c.minutes);
    addStatuses(observed.statuses, c.statuses?.['']);
    if (c.lastSeen !== undefined) observed.last = Math.max(observed.last ?? c.lastSeen, c.lastSeen);
    for (const [route, n] of Object.entries(c.routes ?? {})) {
      const key = template(route);
      const entry = observed.routes.get(key) ?? { n: 0, minutes: new Map(), statuses: new Map() };
      entry.n += n;
      const minutes = c.routeMinutes?.[route];
      if (minutes) addMinutes(entry.minutes, minutes);
      addStatuses(entry.statuses, c.statuses?.[route]);
      observed.routes.set(key, entry);
    }
  }
  return observed;
}

function windowOf(input: RuleInput) {
  return { from: input.window.since.getTime(), until: input.window.until.getTime() };
}

function exactly(input: RuleInput, n: number, minutes: Minutes, last?: number): Measure {
  return { n, exact: true, basis: 'logs', minutes, ...windowOf(input), ...(last !== undefined ? { last } : {}) };
}

/** Records of a slice of access records in a scope with a status (or any failed status). */
function sliceRecords(input: RuleInput, log: AccessLogEvidence, route: string | undefined, status?: number): number {
  return log.records.filter((r) => (status === undefined ? (r.status ?? 0) >= 400 : r.status === status) && (route === undefined || recordRoute(input, r) === route)).length;
}

/**
 * A count read from a slice of access records (the newest ones), as a count over the window: per
 * status, its share of the slice's records with that status, applied to the window's exact count
 * of that status (Logs Insights' table, or every record's of a window read whole); without that table, its share of the slice's failed requests
 * applied to the scope's 4xx and 5xx from CloudWatch metrics; else the slice scaled by what the
 * window held. Always an estimate, and it says so.
 */
function fromSlice(input: RuleInput, scope: MetricScope, log: AccessLogEvidence, seen: Seen, route?: string): Measure {
  const window = windowOf(input);
  const table = insightsRows(input, scope);
  if (table && seen.statuses.size > 0) {
    let n = 0;
    const minutes: Minutes = new Map();
    for (const [status, k] of seen.statuses) {
      const inSlice = sliceRecords(input, log, route, status);
      const row = table.rows.find((r) => r.status === status);
      if (!row || inSlice === 0) continue;
      const fraction = Math.min(1, k / inSlice);
      n += fraction * row.count;
      addMinutes(minutes, row.minutes, fraction);
    }
    return { n, exact: false, basis: table.basis, minutes, ...window };
  }
  const failed = failedRequestsIn(input, scope);
  const inSlice = sliceRecords(input, log, route);
  if (failed && inSlice > 0) return { ...scaled(failed, Math.min(1, seen.n / inSlice)), ...window };
  const factor = log.counts && log.records.length > 0 ? log.counts.events / log.records.length : 1;
  return { n: seen.n * factor, exact: false, basis: 'estimate', ...window };
}

/**
 * The tallies of one stage from what its logs showed. `complete` counted every occurrence in the
 * window (execution-log error lines, or access records that were all read); `slice` is a slice
 * of access records. Exact counts win; a route the complete log cannot place (its route line was
 * not kept) takes its part from the slice.
 */
function stageTallies(input: RuleInput, stage: string, complete: Observed | undefined, slice: { observed: Observed; log: AccessLogEvidence } | undefined): Tally[] {
  const tallies: Tally[] = [];
  const stageScope: MetricScope = { kind: 'stage', name: stage };
  let stageMeasure: Measure | undefined;
  if (complete && complete.n > 0) stageMeasure = exactly(input, complete.n, complete.minutes, complete.last);
  else if (slice && slice.observed.n > 0) stageMeasure = fromSlice(input, stageScope, slice.log, slice.observed);
  if (!stageMeasure) return tallies;
  tallies.push({ scope: stageScope, failures: stageMeasure });
  const routed = complete ? [...complete.routes.values()].reduce((n, r) => n + r.n, 0) : 0;
  const routesComplete = complete !== undefined && complete.n > 0 && routed >= complete.n;
  const routes = new Set([...(complete?.routes.keys() ?? []), ...(slice?.observed.routes.keys() ?? [])]);
  for (const route of routes) {
    const scope: MetricScope = { kind: 'route', name: route, stage };
    const own = complete?.routes.get(route);
    const sampled = slice?.observed.routes.get(route);
    let failures: Measure | undefined;
    if (routesComplete && own) failures = exactly(input, own.n, own.minutes);
    else if (sampled && slice && (insightsRows(input, scope) || failedRequestsIn(input, scope))) failures = fromSlice(input, scope, slice.log, sampled, route);
    else if (sampled && slice && slice.observed.n > 0) failures = scaled(stageMeasure, sampled.n / slice.observed.n, 'estimate');
    else if (own && routed > 0) failures = scaled(stageMeasure, own.n / routed, 'estimate');
    if (failures && failures.n > 0) tallies.push({ scope, failures });
  }
  return tallies;
}

/** The access records of a stage, and whether they are a slice (the newest) of the window. */
function accessView(input: RuleInput, stage: string): { log: AccessLogEvidence; sliced: boolean } | undefined {
  const log = accessLogOf(input, stage);
  return log ? { log, sliced: log.period !== undefined } : undefined;
}

/**
 * Tallies from the log summary's signature counts (REST): per stage and route from execution
 * and access logs, per function from Lambda logs. Execution-log error lines are read over the
 * whole window (the error pass), so their counts are exact; access records that were cut to the
 * newest are a slice. Lambda throttles come from Lambda's own metric when it was read.
 */
export function fromSignatures(input: RuleInput, counts: readonly SignatureCount[]): Tally[] {
  const tallies: Tally[] = [];
  const stages = new Set(counts.filter((c) => c.source !== 'logs.lambda').map((c) => c.stage ?? ''));
  const template = routeTemplater(input.evidence);
  for (const stage of stages) {
    const of = (source: SignatureCount['source']) => counts.filter((c) => c.source === source && (c.stage ?? '') === stage);
    const execution = of('logs.execution');
    const access = of('logs.access');
    const view = accessView(input, stage);
    const accessObserved = access.length && view ? observe(access) : undefined;
    const slice = accessObserved && view?.sliced ? { observed: accessObserved, log: view.log } : undefined;
    if (execution.length) {
      const complete = observe(execution, template);
      const routed = [...complete.routes.values()].reduce((n, r) => n + r.n, 0);
      // Routes the execution log could not place (their route lines were not kept) come from
      // the access records: exact when they were all read, else as a share of the slice.
      if (routed < complete.n && accessObserved && !view?.sliced) complete.routes = accessObserved.routes;
      tallies.push(...stageTallies(input, stage, complete, slice));
    } else if (accessObserved) {
      tallies.push(...stageTallies(input, stage, slice ? undefined : accessObserved, slice));
    }
  }
  const lambdaTruncated = coverageRow(input, 'logs.lambda')?.truncated !== undefined;
  for (const fn of new Set(counts.filter((c) => c.source === 'logs.lambda').map((c) => c.functionName ?? c.label))) {
    const list = counts.filter((c) => c.source === 'logs.lambda' && (c.functionName ?? c.label) === fn);
    const scope: MetricScope = { kind: 'function', name: fn };
    const throttles = list.every((c) => c.signature === 'lambda-function-throttled') ? seriesOf(input, 'metrics.lambda', 'throttles', scope) : undefined;
    if (throttles && (throttles.total ?? 0) > 0) {
      tallies.push(throttleTally(input, fn, throttles));
      continue;
    }
    const observed = observe(list);
    // Lambda's own Errors (timeouts included) is the count of failed invocations; the log's lines
    // are not (a function may write several per failure, or they were not all kept). When the two
    // disagree, Lambda's count is split the way the lines split it.
    const errors = seriesOf(input, 'metrics.lambda', 'errors', scope);
    const log = (input.evidence['logs.lambda'] ?? []).find((l) => l.functionName === fn);
    const logged = (log?.errors ?? 0) + (log?.timeouts ?? 0);
    if (errors && logged > 0 && Math.round(errors.total ?? 0) !== logged && list.every((c) => c.signature !== 'lambda-function-throttled')) {
      tallies.push({ scope, failures: scaled(fromSeries(errors), Math.min(1, observed.n / logged)) });
      continue;
    }
    tallies.push({ scope, failures: lambdaTruncated ? { ...exactly(input, observed.n, observed.minutes, observed.last), exact: false, basis: 'estimate' } : exactly(input, observed.n, observed.minutes, observed.last) });
  }
  return tallies.filter((t) => t.failures.n > 0);
}

/**
 * Tallies from access records that match (HTTP API rules, which read `$context` values, and REST
 * rules that judge records one by one): per stage and per route.
 */
export function fromRecords(input: RuleInput, match: (record: AccessLogRecord, log: AccessLogEvidence) => boolean, logs: readonly AccessLogEvidence[] = input.evidence['logs.access'] ?? []): Tally[] {
  const tallies: Tally[] = [];
  for (const log of logs) {
    const matching = log.records.filter((r) => match(r, log));
    if (matching.length === 0) continue;
    const observed: Observed = { n: matching.length, minutes: fromTimes(matching.map((r) => r.timestamp)), statuses: new Map(), last: Math.max(...matching.map((r) => r.timestamp)), routes: new Map() };
    const count = (into: Map<number, number>, status: number | undefined) => status !== undefined && into.set(status, (into.get(status) ?? 0) + 1);
    for (const record of matching) {
      count(observed.statuses, record.status);
      const route = recordRoute(input, record);
      if (!route) continue;
      const entry = observed.routes.get(route) ?? { n: 0, minutes: new Map<number, number>(), statuses: new Map<number, number>() };
      entry.n += 1;
      addMinutes(entry.minutes, fromTimes([record.timestamp]));
      count(entry.statuses, record.status);
      observed.routes.set(route, entry);
    }
    const sliced = log.period !== undefined;
    tallies.push(...stageTallies(input, log.stage, sliced ? undefined : observed, sliced ? { observed, log } : undefined));
  }
  return tallies;
}

/** Throttles are a share of the invocations Lambda was asked for: those it ran and those it refused. */
function throttleTally(input: RuleInput, functionName: string, throttles: MetricSeries): Tally {
  const failures = fromSeries(throttles);
  const invocations = functionInvocations(input, functionName);
  const of = invocations ? sumMeasures([invocations, failures]) : undefined;
  return { scope: { kind: 'function', name: functionName }, failures, ...(of ? { of } : {}) };
}

/** A function's errors or throttles from Lambda's own metric (exact, per minute), when it was read. */
export function fromFunctionMetric(input: RuleInput, functionName: string, metric: 'errors' | 'throttles'): Tally | undefined {
  const series = seriesOf(input, 'metrics.lambda', metric, { kind: 'function', name: functionName });
  if (!series) return undefined;
  return metric === 'throttles' ? throttleTally(input, functionName, series) : { scope: { kind: 'function', name: functionName }, failures: fromSeries(series) };
}
