import type { Figure } from '../../core/finding.js';
import type { MetricScope } from '../../core/evidence.js';
import type { RuleInput } from '../types.js';
import type { EventType, StageEvents, WsEvent } from '../websocket/events.js';
import { functionInvocations } from './denominators.js';
import { sumMeasures, type Measure } from './measure.js';
import { fromPeriods, fromTimes, scaleMinutes } from './minutes.js';
import type { Tally } from './tallies.js';

/**
 * Tallies from WebSocket events (a handshake, a client message, a disconnect: rules/websocket/
 * events.ts), per stage or per route, each against the events of the same type in its scope: the
 * connections or messages there. The counts are, best first: Logs Insights' table of the window
 * (events per 5 minutes, type, route and status; exact), every event of the window read (exact),
 * or the events read scaled to the window (an estimate). CloudWatch's ConnectCount and MessageCount
 * are not denominators here: the first leaves out handshakes refused before the $connect
 * integration, the second counts the backend's callbacks too (websocket catalogue §3).
 */
const INSIGHTS_BUCKET_MS = 5 * 60_000;

const UNIT: Record<EventType, Figure['unit']> = { CONNECT: 'connections', MESSAGE: 'messages', DISCONNECT: 'events' };

export interface EventSpec {
  eventType: EventType;
  match: (e: WsEvent) => boolean;
  /** Per route (`$connect`, `sendmessage`, `-` when none matched) rather than per stage. */
  byRoute?: boolean;
  /**
   * The functions behind a scope whose log holds failures only (an ERROR-level execution log):
   * their invocations, plus the failures that stopped before a function ran, stand for its
   * traffic. None leaves the count to its floor.
   */
  functionsOf?: (route: string | undefined) => string[];
}

function windowOf(input: RuleInput) {
  return { from: input.window.since.getTime(), until: input.window.until.getTime() };
}

function measureOf(input: RuleInput, times: readonly number[], scale: number, whole: boolean): Measure {
  const minutes = fromTimes(times);
  return {
    n: times.length * scale,
    exact: whole,
    basis: whole ? 'logs' : 'estimate',
    minutes: scale === 1 ? minutes : scaleMinutes(minutes, scale),
    ...windowOf(input),
    ...(times.length ? { last: Math.max(...times) } : {}),
  };
}

/**
 * A count over the window from Logs Insights' rows: a row (route, status, 5 minutes) counts for
 * the cause in the share the events read with the same route and status show it, or, when none
 * was read (the failures were older than the events kept), by what its route and status alone say.
 * Exact only when every row is wholly the cause's or wholly not.
 */
function fromRows(input: RuleInput, stage: StageEvents, events: readonly WsEvent[], spec: EventSpec, route: string | undefined): { failures: Measure; traffic: Measure } {
  const rows = (stage.windowCounts ?? []).filter((c) => c.eventType === spec.eventType && (route === undefined || c.routeKey === route));
  let n = 0;
  let exact = true;
  const failed: { start: number; value: number }[] = [];
  for (const row of rows) {
    const same = events.filter((e) => (e.routeKey ?? '-') === row.routeKey && e.status === row.status);
    const probe: WsEvent = { timestamp: 0, eventType: spec.eventType, status: row.status, texts: [], ...(row.routeKey !== '-' ? { routeKey: row.routeKey } : {}) };
    const share = same.length ? same.filter(spec.match).length / same.length : spec.match(probe) ? 1 : 0;
    if (share > 0 && share < 1) exact = false;
    n += row.count * share;
    if (share > 0) failed.push({ start: Date.parse(row.bucket), value: row.count * share });
  }
  const window = windowOf(input);
  const failures: Measure = { n, exact, basis: 'insights', minutes: fromPeriods(failed, INSIGHTS_BUCKET_MS), ...window };
  const traffic: Measure = { n: rows.reduce((t, r) => t + r.count, 0), exact: true, basis: 'insights', minutes: fromPeriods(rows.map((r) => ({ start: Date.parse(r.bucket), value: r.count })), INSIGHTS_BUCKET_MS), ...window };
  return { failures, traffic };
}

function invocationsBehind(input: RuleInput, functions: readonly string[], failures: Measure): Measure | undefined {
  const invocations = [...new Set(functions)].map((f) => functionInvocations(input, f)).filter((m): m is Measure => m !== undefined);
  return invocations.length ? sumMeasures([...invocations, failures]) : undefined;
}

/** Failures of one kind of WebSocket event per stage (or route), against that scope's events of the type. */
export function fromEvents(input: RuleInput, stages: readonly StageEvents[], spec: EventSpec): Tally[] {
  const tallies: Tally[] = [];
  const unit = UNIT[spec.eventType];
  for (const stage of stages) {
    const groups = new Map<string, WsEvent[]>();
    for (const e of stage.events) {
      if (e.eventType !== spec.eventType) continue;
      const key = spec.byRoute ? (e.routeKey ?? '-') : '';
      groups.set(key, [...(groups.get(key) ?? []), e]);
    }
    // Failures the counts saw but the events read did not (older than those kept).
    for (const c of stage.windowCounts ?? []) {
      const key = spec.byRoute ? c.routeKey : '';
      if (c.eventType === spec.eventType && !groups.has(key)) groups.set(key, []);
    }
    for (const [key, events] of groups) {
      const route = spec.byRoute ? key : undefined;
      const scope: MetricScope = route !== undefined ? { kind: 'route', name: route, stage: stage.stage } : { kind: 'stage', name: stage.stage };
      const matched = events.filter(spec.match);
      let failures: Measure;
      let traffic: Measure | undefined;
      if (stage.windowCounts && !stage.whole) {
        ({ failures, traffic } = fromRows(input, stage, events, spec, route));
        // A failure seen in the events read is dated to the ms; one known only from the counts, to its bucket.
        const last = Math.max(...matched.map((e) => e.timestamp));
        if (Number.isFinite(last)) failures.last = last;
      } else {
        failures = measureOf(input, matched.map((e) => e.timestamp), stage.scale, stage.whole);
        traffic = stage.failuresOnly ? invocationsBehind(input, spec.functionsOf?.(route) ?? [], failures) : measureOf(input, events.map((e) => e.timestamp), stage.scale, stage.whole);
      }
      if (Math.round(failures.n) === 0) continue;
      tallies.push({ scope, failures, ...(traffic ? { of: traffic } : {}), unit, source: stage.source });
    }
  }
  return tallies;
}

/**
 * Failures read as log lines of one scope (their times, every one of the window), e.g. WebSocket
 * close reasons, against the scope's traffic: its lines' times when every line was read, else a
 * count of the window from elsewhere (the access log's disconnects).
 */
export function fromLines(input: RuleInput, scope: MetricScope, failed: readonly number[], traffic: readonly number[] | Measure, how: { whole: boolean; unit: Figure['unit']; source: string }): Tally {
  const of = Array.isArray(traffic) ? measureOf(input, traffic, 1, how.whole) : (traffic as Measure);
  return { scope, failures: measureOf(input, failed, 1, true), of, unit: how.unit, source: how.source };
}

/**
 * Failures counted in a function's log (its `@connections` failures, errors, timeouts), against
 * its invocations (the counting model's denominator for a function). `times` are the failures'
 * own times when the lines were kept (then the onset can be read), else only the newest is known.
 */
export function fromFunctionLog(input: RuleInput, functionName: string, count: number, seen: { times?: readonly number[]; last?: number }, exact: boolean): Tally {
  const times = seen.times ?? [];
  // The lines kept may be fewer than the count (a capped read): their minutes are scaled to it.
  const minutes = times.length ? scaleMinutes(fromTimes(times), count / times.length) : undefined;
  const last = times.length ? Math.max(...times) : seen.last;
  return {
    scope: { kind: 'function', name: functionName },
    failures: { n: count, exact, basis: exact ? 'logs' : 'estimate', ...(minutes ? { minutes } : {}), ...(last !== undefined ? { last } : {}), ...windowOf(input) },
    source: 'logs.lambda',
  };
}
