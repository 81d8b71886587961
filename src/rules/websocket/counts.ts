import type { LambdaLogEvidence, MetricScope } from '../../core/evidence.js';
import type { EvidenceRef, Figure, Finding, Severity } from '../../core/finding.js';
import { clip, finding } from '../helpers.js';
import { MAJOR_SHARE, RECENT_FRACTION, RECENT_MIN_MS, type Threshold } from '../log-evidence.js';
import type { Rule, RuleInput } from '../types.js';
import { routeBackends } from './backends.js';
import { isMessageRoute, stageEvents, wsRoutes, type EventType, type StageEvents, type WsEvent } from './events.js';

/**
 * Every count, share and threshold decision of the W rules, in one module: a rule says what it
 * counts (a Tally: failures of one kind in one scope, against that scope's traffic) and this
 * module decides whether it is a cause, how severe, and writes the figures. The model is REST's
 * (rules/log-evidence.ts): a floor and a share per scope; severity by share (MAJOR_SHARE) and by
 * whether it is still happening; below the threshold at most a low "seen N times" note. The one
 * counting model of src/rules/counting/ replaces this module at merge.
 */
export { CLIENT_ERROR_THRESHOLD, DECISIVE_THRESHOLD, DEFAULT_THRESHOLD, DENY_THRESHOLD, THROTTLE_THRESHOLD, type Threshold } from '../log-evidence.js';

/**
 * Backends meet closed connections all the time (a client leaves between a message and the
 * broadcast): GoneException is a cause only when it is a real share of the function's work.
 */
export const GONE_THRESHOLD: Threshold = { minEvents: 10, minShare: 0.1 };
/** Idle and 2-hour closes happen to every long-lived client; a cause when they are a fifth of the disconnects. */
export const LIFETIME_THRESHOLD: Threshold = { minEvents: 10, minShare: 0.2 };
/** Lines that appear only when the cause is there (a wrong callback endpoint): a few decide. */
export const FEW_THRESHOLD: Threshold = { minEvents: 3, minShare: 0 };

export interface Tally {
  /** What was counted: `401 at $connect`, `GoneException from PostToConnection`. */
  what: string;
  unit: Figure['unit'];
  scope: MetricScope;
  numerator: number;
  denominator?: number;
  exact: boolean;
  basis: Figure['basis'];
  firstSeen?: number;
  lastSeen?: number;
  /** Newest event of the denominator: did traffic go on after the last failure? */
  lastTraffic?: number;
  /**
   * Failures and traffic per 5 minutes over the whole window (oldest first), when the counts cover
   * it: what the share since the failures began is computed from.
   */
  series?: { start: number; failures: number; traffic: number }[];
  source: string;
  examples: string[];
}

export interface Weighed {
  tally: Tally;
  significant: boolean;
  share?: number;
  sinceOnset?: { numerator: number; denominator: number; share: number };
  onset?: number;
  ongoing: boolean;
}

const UNIT: Record<EventType, Figure['unit']> = { CONNECT: 'connections', MESSAGE: 'messages', DISCONNECT: 'events' };

const BIN_MS = 5 * 60_000;
const binOf = (ms: number) => ms - (ms % BIN_MS);

/** 5-minute bins of failures and traffic, scaled like the counts. */
function seriesOf(failures: readonly number[], traffic: readonly number[], scale: number): NonNullable<Tally['series']> {
  const bins = new Map<number, { start: number; failures: number; traffic: number }>();
  const add = (ms: number, key: 'failures' | 'traffic') => {
    const start = binOf(ms);
    const bin = bins.get(start) ?? { start, failures: 0, traffic: 0 };
    bin[key] += scale;
    bins.set(start, bin);
  };
  for (const t of failures) add(t, 'failures');
  for (const t of traffic) add(t, 'traffic');
  return [...bins.values()].sort((a, b) => a.start - b.start);
}

type Match = (e: WsEvent) => boolean;

/**
 * Traffic of a route known only from its function's log (its REPORT lines): at least the
 * invocations, plus the failures that stopped before the function ran. Undefined when unknown.
 */
function invocationsOf(input: RuleInput, eventType: EventType, route: string | undefined, failures: number): number | undefined {
  const keys = route !== undefined ? [route] : eventType === 'CONNECT' ? ['$connect'] : eventType === 'DISCONNECT' ? ['$disconnect'] : wsRoutes(input).map((r) => r.routeKey).filter(isMessageRoute);
  const functions = new Set(routeBackends(input).filter((b) => keys.includes(b.route.routeKey) && b.log?.invocations !== undefined).map((b) => b.log as LambdaLogEvidence));
  if (!functions.size) return undefined;
  return [...functions].reduce((n, l) => n + (l.invocations ?? 0), 0) + failures;
}

/**
 * Counts over the window from Logs Insights' rows (event type, route, status per 5 minutes): a
 * row is attributed to the cause in the share the events read with the same route and status show
 * it, or, when none was read (the failures were earlier than the newest events kept), by what its
 * route and status alone say.
 */
function fromWindowCounts(stage: StageEvents, events: readonly WsEvent[], eventType: EventType, match: Match, route: string | undefined) {
  const rows = (stage.windowCounts ?? []).filter((c) => c.eventType === eventType && (route === undefined || c.routeKey === route));
  let numerator = 0;
  let attributedWhole = true;
  const bins = new Map<number, { start: number; failures: number; traffic: number }>();
  for (const row of rows) {
    const same = events.filter((e) => (e.routeKey ?? '-') === row.routeKey && e.status === row.status);
    const share = same.length ? same.filter(match).length / same.length : match({ timestamp: 0, eventType, status: row.status, texts: [], ...(row.routeKey !== '-' ? { routeKey: row.routeKey } : {}) }) ? 1 : 0;
    if (share > 0 && share < 1) attributedWhole = false;
    const failures = row.count * share;
    numerator += failures;
    const start = Date.parse(row.bucket);
    const bin = bins.get(start) ?? { start, failures: 0, traffic: 0 };
    bin.failures += failures;
    bin.traffic += row.count;
    bins.set(start, bin);
  }
  const series = [...bins.values()].sort((a, b) => a.start - b.start);
  const failing = series.filter((b) => b.failures > 0);
  return {
    numerator: Math.round(numerator),
    denominator: series.reduce((n, b) => n + b.traffic, 0),
    exact: attributedWhole,
    series,
    ...(failing.length ? { firstBin: (failing[0] as { start: number }).start, lastBin: (failing[failing.length - 1] as { start: number }).start + BIN_MS } : {}),
    lastTraffic: series.length ? (series[series.length - 1] as { start: number }).start + BIN_MS : undefined,
  };
}

/**
 * Tallies events of one type matching `match`, per stage or per route (`byRoute`), against all
 * events of that type in the same scope. With Logs Insights' counts of the window they are the
 * numbers (see fromWindowCounts); otherwise the events read, scaled to the window when the read was capped.
 */
export function tallyEvents(
  input: RuleInput,
  spec: { what: string; eventType: EventType; match: Match; byRoute?: boolean },
): Tally[] {
  const tallies: Tally[] = [];
  for (const stage of stageEvents(input)) {
    const ofType = stage.events.filter((e) => e.eventType === spec.eventType);
    const groups = new Map<string, WsEvent[]>();
    for (const e of ofType) {
      const key = spec.byRoute ? (e.routeKey ?? '-') : '';
      groups.set(key, [...(groups.get(key) ?? []), e]);
    }
    if (spec.byRoute) for (const c of stage.windowCounts ?? []) if (c.eventType === spec.eventType && !groups.has(c.routeKey)) groups.set(c.routeKey, []);
    for (const [route, events] of groups) {
      const matched = events.filter(spec.match);
      const window = stage.windowCounts && !stage.whole ? fromWindowCounts(stage, events, spec.eventType, spec.match, spec.byRoute ? route : undefined) : undefined;
      if (matched.length === 0 && !window?.numerator) continue;
      const failureTimes = matched.map((e) => e.timestamp).sort((a, b) => a - b);
      const trafficTimes = events.map((e) => e.timestamp).sort((a, b) => a - b);
      const scope: MetricScope = spec.byRoute ? { kind: 'route', name: route, stage: stage.stage } : { kind: 'stage', name: stage.stage };
      const common = { what: spec.what, unit: UNIT[spec.eventType], scope, source: stage.source, examples: [...new Set(matched.flatMap((e) => e.texts))].slice(0, 2) };
      if (window) {
        const lastTraffic = Math.max(window.lastTraffic ?? -Infinity, trafficTimes[trafficTimes.length - 1] ?? -Infinity);
        tallies.push({
          ...common,
          numerator: window.numerator,
          denominator: window.denominator,
          exact: window.exact,
          basis: window.exact ? 'insights' : 'estimate',
          // A failure seen in the events read is dated to the ms; one known only from the counts, to its bin.
          ...(window.firstBin !== undefined ? { firstSeen: window.firstBin } : {}),
          ...(window.lastBin !== undefined || failureTimes.length ? { lastSeen: Math.max(failureTimes[failureTimes.length - 1] ?? -Infinity, Math.min(window.lastBin ?? -Infinity, input.window.until.getTime())) } : {}),
          ...(Number.isFinite(lastTraffic) ? { lastTraffic } : {}),
          series: window.series,
        });
        continue;
      }
      const numerator = Math.round(matched.length * stage.scale);
      // An ERROR-level log has no healthy lines: the route's function invocations stand for its traffic.
      const denominator = stage.failuresOnly ? invocationsOf(input, spec.eventType, spec.byRoute ? route : undefined, numerator) : Math.round(events.length * stage.scale);
      tallies.push({
        ...common,
        numerator,
        ...(denominator !== undefined ? { denominator } : {}),
        exact: stage.whole,
        basis: stage.whole ? 'logs' : 'estimate',
        ...(failureTimes.length ? { firstSeen: failureTimes[0] as number, lastSeen: failureTimes[failureTimes.length - 1] as number } : {}),
        ...(trafficTimes.length ? { lastTraffic: trafficTimes[trafficTimes.length - 1] as number } : {}),
        // Only a read of the whole window can say when the failures began.
        ...(stage.whole ? { series: seriesOf(failureTimes, trafficTimes, 1) } : {}),
      });
    }
  }
  return tallies;
}

/** A tally from one function's log: failures of a kind against its invocations (REPORT lines). */
export function tallyFunction(log: LambdaLogEvidence, what: string, count: number, seen: { firstSeen?: number; lastSeen?: number; examples: string[] }): Tally {
  return {
    what,
    unit: 'invocations',
    scope: { kind: 'function', name: log.functionName },
    numerator: count,
    ...(log.invocations !== undefined ? { denominator: log.invocations } : {}),
    exact: log.invocationsExact ?? false,
    basis: log.invocationsExact ? 'logs' : 'estimate',
    ...(seen.firstSeen !== undefined ? { firstSeen: seen.firstSeen } : {}),
    ...(seen.lastSeen !== undefined ? { lastSeen: seen.lastSeen } : {}),
    ...(log.lastInvocation !== undefined ? { lastTraffic: log.lastInvocation } : {}),
    source: 'logs.lambda',
    examples: seen.examples,
  };
}

function recentSince(input: RuleInput): number {
  const until = input.window.until.getTime();
  const span = until - input.window.since.getTime();
  return until - Math.max(RECENT_MIN_MS, RECENT_FRACTION * span);
}

/** Onset: the failures began inside the window (after its first tenth), and the share since then. */
function sinceOnsetOf(input: RuleInput, tally: Tally, threshold: Threshold): Pick<Weighed, 'onset' | 'sinceOnset'> {
  const since = input.window.since.getTime();
  const span = input.window.until.getTime() - since;
  if (!tally.series || tally.firstSeen === undefined || tally.firstSeen < since + 0.1 * span || tally.numerator < 2 * threshold.minEvents) return {};
  const from = binOf(tally.firstSeen);
  const after = tally.series.filter((b) => b.start >= from);
  const failures = Math.round(after.reduce((n, b) => n + b.failures, 0));
  const traffic = Math.round(after.reduce((n, b) => n + b.traffic, 0));
  return traffic > 0 ? { onset: tally.firstSeen, sinceOnset: { numerator: failures, denominator: traffic, share: Math.min(1, failures / traffic) } } : { onset: tally.firstSeen };
}

/** Decides each tally against the threshold; also says whether it is still happening. */
export function weigh(input: RuleInput, tallies: readonly Tally[], threshold: Threshold): Weighed[] {
  const recent = recentSince(input);
  return tallies.map((tally) => {
    const share = tally.denominator && tally.denominator > 0 ? Math.min(1, tally.numerator / tally.denominator) : undefined;
    const significant = tally.numerator >= threshold.minEvents && (share === undefined || share >= threshold.minShare);
    // Stopped: the last failure is older than the window's last part AND traffic went on after it.
    const stopped = tally.lastSeen !== undefined && tally.lastSeen < recent && tally.lastTraffic !== undefined && tally.lastTraffic > tally.lastSeen + 60_000;
    return { tally, significant, ...(share !== undefined ? { share } : {}), ongoing: !stopped, ...sinceOnsetOf(input, tally, threshold) };
  });
}

const STEPS: Severity[] = ['critical', 'high', 'medium', 'low', 'info'];
const step = (severity: Severity, by: number, floor: Severity) => STEPS[Math.max(STEPS.indexOf(severity), Math.min(STEPS.indexOf(severity) + by, STEPS.indexOf(floor)))] ?? severity;

/** The rule's severity at a major share still happening; a step lower (not below medium) for less; one more (not below low) when it stopped. */
export function severityOf(base: Severity, weighed: readonly Weighed[]): Severity {
  const significant = weighed.filter((w) => w.significant);
  const shares = significant.flatMap((w) => [w.share, w.sinceOnset?.share]).filter((s): s is number => s !== undefined);
  const major = shares.length > 0 && Math.max(...shares) >= MAJOR_SHARE;
  const current = major ? base : step(base, 1, 'medium');
  return significant.some((w) => w.ongoing) ? current : step(current, 1, 'low');
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** The figure of a weighed tally (core/finding.ts): numerator, denominator, scope, period, exact, basis, onset. */
export function figureOf(input: RuleInput, w: Weighed): Figure {
  const t = w.tally;
  return {
    what: t.what,
    numerator: t.numerator,
    ...(t.denominator !== undefined ? { denominator: t.denominator } : {}),
    unit: t.unit,
    ...(w.share !== undefined ? { share: w.share } : {}),
    scope: t.scope,
    from: input.window.since.toISOString(),
    until: input.window.until.toISOString(),
    exact: t.exact,
    basis: t.basis,
    ...(w.onset !== undefined ? { onset: iso(w.onset) } : {}),
    ...(w.sinceOnset ? { sinceOnset: w.sinceOnset } : {}),
  };
}

function percent(share: number): string {
  const value = share * 100;
  return `${value >= 10 || value === 0 ? value.toFixed(0) : value.toFixed(1)}%`;
}

function scopeText(scope: MetricScope): string {
  if (scope.kind === 'route') return `route ${scope.name}${scope.stage ? ` on stage ${scope.stage}` : ''}`;
  return `${scope.kind} ${scope.name}`;
}

/** `handshakes refused with 401: 41 of 300 connections (14%) on stage production, 80% since 11:20`. */
export function describeWeighed(w: Weighed): string {
  const t = w.tally;
  const of = t.denominator !== undefined ? ` of ${t.exact ? '' : '~'}${t.denominator} ${t.unit} (${percent(w.share ?? 0)})` : '';
  const since = w.sinceOnset && w.onset !== undefined && w.sinceOnset.share > (w.share ?? 0) * 1.5 ? `, ${percent(w.sinceOnset.share)} since ${iso(w.onset).slice(11, 16)}` : '';
  return `${t.what}: ${t.numerator}${of} on ${scopeText(t.scope)}${since}`;
}

/** One sentence: the worst scope and whether it is still happening. */
export function proportionSentence(input: RuleInput, weighed: readonly Weighed[]): string {
  const significant = weighed.filter((w) => w.significant);
  const worst = [...significant].sort((a, b) => (b.share ?? -1) - (a.share ?? -1) || b.tally.numerator - a.tally.numerator)[0];
  if (!worst) return '';
  const last = Math.max(...significant.map((w) => w.tally.lastSeen ?? -Infinity));
  const when = !Number.isFinite(last)
    ? ''
    : significant.some((w) => w.ongoing)
      ? ` Still happening at the window's end (last at ${iso(last)}).`
      : ` It stopped before the window's end: last at ${iso(last)}, window until ${input.window.until.toISOString()}.`;
  return `${describeWeighed(worst)}.${when}`;
}

/** Evidence references for the significant tallies, quoting an example text. */
export function tallyRefs(weighed: readonly Weighed[]): EvidenceRef[] {
  return weighed.map((w) => ({
    source: w.tally.source,
    key: w.tally.scope.stage ?? w.tally.scope.name,
    quote: clip(`${describeWeighed(w)}${w.tally.examples[0] ? `: ${w.tally.examples[0]}` : ''}`),
  }));
}

/** What a count rule writes; severity and figures come from the counts. */
export interface FindingParts {
  title?: string;
  detail: string;
  evidence: EvidenceRef[];
  fix: string;
  /** Overrides the proportional severity (e.g. a decisive configuration fact). */
  severity?: Severity;
}

/**
 * The finding a count rule emits: none when nothing was seen; a low "seen N times" note below its
 * threshold; otherwise the rule's finding (built by `make`) with proportional severity and figures.
 */
export function countFinding(
  rule: Rule,
  input: RuleInput,
  tallies: readonly Tally[],
  threshold: Threshold,
  make: (significant: Weighed[], severity: Severity) => FindingParts,
  noteWhat: string,
): Finding[] {
  const weighed = weigh(input, tallies, threshold);
  if (weighed.length === 0) return [];
  const significant = weighed.filter((w) => w.significant);
  if (significant.length === 0) return seenNote(rule, input, weighed, threshold, noteWhat);
  const severity = severityOf(rule.severity, significant);
  const parts = make(significant, severity);
  return [{ ...finding(rule, { ...parts, severity: parts.severity ?? severity }), figures: significant.map((w) => figureOf(input, w)) }];
}

function seenNote(rule: Rule, input: RuleInput, weighed: readonly Weighed[], threshold: Threshold, what: string): Finding[] {
  const total = weighed.reduce((n, w) => n + w.tally.numerator, 0);
  if (total === 0) return [];
  return [
    {
      ...finding(rule, {
        severity: 'low',
        title: `${what}: seen ${total} time${total === 1 ? '' : 's'}, below the threshold`,
        detail: `${weighed.map(describeWeighed).join('; ')}. Below the threshold (at least ${threshold.minEvents} and ${percent(threshold.minShare)} of a scope's traffic), this is background noise rather than a cause.`,
        evidence: tallyRefs(weighed),
        fix: 'Nothing to fix for this incident; watch it if it grows.',
      }),
      figures: weighed.map((w) => figureOf(input, w)),
    },
  ];
}
