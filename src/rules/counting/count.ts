import type { MetricScope } from '../../core/evidence.js';
import type { Figure, Finding, Severity } from '../../core/finding.js';
import type { Rule, RuleInput } from '../types.js';
import { requestsIn } from './denominators.js';
import { weaker, type Measure } from './measure.js';
import { lastMinute, MINUTE, sumMinutes } from './minutes.js';
import { findOnset } from './onset.js';
import type { Tally } from './tallies.js';
import { RECENT_FRACTION, RECENT_MIN_MS, severityOf, THRESHOLDS, type Family, type Threshold } from './thresholds.js';

/**
 * The one counting model (docs/rules.md, "How a count rule uses it"): a rule hands over its
 * tallies (failures of its cause per scope), and gets back, per scope, the failures against the
 * scope's requests over the WHOLE window from the best source there is, the onset when the
 * failure began inside the window, whether the threshold is passed, the severity, the figures
 * for the finding and the words that say them.
 */
export interface CountSpec {
  /** What is counted, in the finding's words: `Lambda function errors`, `404 with no matching route`. */
  what: string;
  family: Family;
  tallies: readonly Tally[];
}

export interface ScopeCount {
  scope: MetricScope;
  failures: Measure;
  requests?: Measure;
  /** failures / requests over the window. */
  share?: number;
  onset?: { at: number; numerator: number; denominator?: number; share?: number };
  /** The newest failure (epoch ms) and whether it is still happening at the window's end. */
  last?: number;
  ongoing: boolean;
  passes: boolean;
  figure: Figure;
  /** Where the failures were counted, when the tally said so. */
  source?: string;
}

const iso = (ms: number) => new Date(ms).toISOString();
const clock = (ms: number) => iso(ms).slice(11, 16);
const whole = (n: number) => Math.round(n).toLocaleString('en-US');

export function percent(share: number): string {
  const value = share * 100;
  return `${value >= 10 || value === 0 ? value.toFixed(0) : value.toFixed(1)}%`;
}

export function scopeText(scope: MetricScope): string {
  switch (scope.kind) {
    case 'stage':
      return `stage ${scope.name}`;
    case 'route':
      return `${scope.name}${scope.stage !== undefined ? ` on stage ${scope.stage}` : ''}`;
    case 'function':
      return `function ${scope.name}`;
    case 'rule':
      return `WAF rule ${scope.name}`;
    case 'key':
      return `API key ${scope.name}`;
    case 'web-acl':
      return `web ACL ${scope.name}`;
    default:
      return `the API`;
  }
}

const unitOf = (tally: Tally): Figure['unit'] => tally.unit ?? (tally.scope.kind === 'function' ? 'invocations' : 'requests');

function weigh(input: RuleInput, tally: Tally, what: string, threshold: Threshold): ScopeCount {
  const window = { from: input.window.since.getTime(), until: input.window.until.getTime() };
  const { scope, failures } = tally;
  let requests = tally.of ?? requestsIn(input, scope);
  // A denominator smaller than the failures is not this scope's (error lines are not invocations);
  // none at all in the scope leaves the count on its own (the floor decides).
  if (requests && (Math.round(requests.n) === 0 || (Math.round(requests.n) < Math.round(failures.n) && requests.basis !== 'metrics'))) requests = undefined;
  const n = Math.round(failures.n);
  const d = requests ? Math.round(requests.n) : undefined;
  const share = d !== undefined && d > 0 ? Math.min(1, n / d) : undefined;
  const found = failures.minutes ? findOnset(failures.minutes, requests?.minutes, window, 2 * threshold.floor) : undefined;
  const onset = found ? { ...found, ...(found.denominator ? { share: Math.min(1, found.numerator / found.denominator) } : {}) } : undefined;
  const lastFailure = failures.last ?? (failures.minutes ? ((lastMinute(failures.minutes) ?? -MINUTE) + MINUTE - 1) : undefined);
  // It stopped when the last failure is older than the window's last part AND requests went on after it.
  const recent = window.until - Math.max(RECENT_MIN_MS, RECENT_FRACTION * (window.until - window.from));
  const laterTraffic = lastFailure !== undefined && requests
    ? requests.minutes
      ? sumMinutes(requests.minutes, lastFailure + MINUTE, Number.POSITIVE_INFINITY) > 0
      : (requests.last ?? Number.NEGATIVE_INFINITY) > lastFailure + MINUTE
    : false;
  const ongoing = lastFailure === undefined || lastFailure >= recent || !laterTraffic;
  const byShare = share === undefined || d === 0 || share >= threshold.minShare;
  const byOnset = onset?.share !== undefined && onset.numerator >= threshold.floor && onset.share >= threshold.minShare;
  const passes = n >= threshold.floor && (byShare || byOnset);
  const exact = failures.exact && (requests?.exact ?? true);
  const figure: Figure = {
    what,
    numerator: n,
    ...(d !== undefined ? { denominator: d } : {}),
    unit: unitOf(tally),
    ...(share !== undefined ? { share } : {}),
    scope,
    // Every count covers the whole window: counted over it, or (estimates) scaled to it.
    from: iso(window.from),
    until: iso(window.until),
    exact,
    basis: requests ? weaker(failures.basis, requests.basis) : failures.basis,
    ...(onset ? { onset: iso(onset.at) } : {}),
    ...(onset?.denominator !== undefined ? { sinceOnset: { numerator: Math.round(onset.numerator), denominator: Math.round(onset.denominator), share: onset.share ?? 0 } } : {}),
  };
  return { scope, failures, ...(tally.source ? { source: tally.source } : {}), ...(requests ? { requests } : {}), ...(share !== undefined ? { share } : {}), ...(onset ? { onset } : {}), ...(lastFailure !== undefined ? { last: lastFailure } : {}), ongoing, passes, figure };
}

/** The larger of a scope's shares: over the window, or since the onset. */
export function peakShare(s: Pick<ScopeCount, 'share' | 'onset'>): number | undefined {
  const shares = [s.share, s.onset?.share].filter((v): v is number => v !== undefined);
  return shares.length ? Math.max(...shares) : undefined;
}

const MAX_FIGURES = 4;
// The text says every figure the finding carries.
const MAX_PHRASES = MAX_FIGURES;

export class Count {
  readonly scopes: readonly ScopeCount[];
  readonly passing: readonly ScopeCount[];
  readonly threshold: Threshold;

  constructor(
    private readonly input: RuleInput,
    readonly spec: CountSpec,
  ) {
    this.threshold = THRESHOLDS[spec.family];
    // Worst first: the largest share (over the window or since the onset), then the most failures.
    this.scopes = spec.tallies.map((t) => weigh(input, t, spec.what, this.threshold)).sort((a, b) => (peakShare(b) ?? -1) - (peakShare(a) ?? -1) || b.figure.numerator - a.figure.numerator);
    this.passing = this.scopes.filter((s) => s.passes);
  }

  /** Some scope passed the threshold: the rule names a cause. */
  get passes(): boolean {
    return this.passing.length > 0;
  }

  /** Still happening at the window's end in some scope that passed. */
  get ongoing(): boolean {
    return this.passing.some((s) => s.ongoing);
  }

  /** The figures a finding carries: the scopes that passed, worst first (the headline first). */
  get figures(): Figure[] {
    return (this.passing.length ? this.passing : this.scopes).slice(0, MAX_FIGURES).map((s) => s.figure);
  }

  /** Severity from the worst scope's share (over the window or since the onset) and whether it is still happening. */
  severity(base: Severity): Severity {
    const shares = this.passing.map(peakShare).filter((v): v is number => v !== undefined);
    return severityOf(base, shares.length ? Math.max(...shares) : undefined, this.ongoing);
  }

  /** One scope in words, with exactly the figure's numbers. */
  static phrase(s: ScopeCount): string {
    const f = s.figure;
    const of = f.denominator !== undefined ? ` of ${whole(f.denominator)} ${f.unit}${f.share !== undefined ? ` (${percent(f.share)})` : ''}` : '';
    const since = f.sinceOnset ? `, ${percent(f.sinceOnset.share)} since ${clock(Date.parse(f.onset as string))} (${whole(f.sinceOnset.numerator)} of ${whole(f.sinceOnset.denominator)})` : f.onset ? `, since ${clock(Date.parse(f.onset))}` : '';
    const how = f.exact ? '' : f.basis === 'estimate' ? ' (estimated from a sample)' : ` (estimated from ${f.basis === 'metrics' ? 'CloudWatch metrics' : f.basis === 'insights' ? 'Logs Insights counts' : 'the logs'})`;
    return `${whole(f.numerator)}${of} on ${scopeText(f.scope)}${since}${how}`;
  }

  /** The sentence a finding's detail opens with: what, where, how much, since when, and whether it goes on. */
  text(): string {
    const shown = (this.passing.length ? this.passing : this.scopes).slice(0, MAX_PHRASES);
    const more = (this.passing.length ? this.passing : this.scopes).length - shown.length;
    const last = Math.max(...shown.map((s) => s.last ?? Number.NEGATIVE_INFINITY));
    const until = this.input.window.until.getTime();
    const when = !Number.isFinite(last)
      ? ''
      : this.ongoing
        ? ` Still happening at the window's end (last at ${clock(last)}).`
        : ` It stopped before the window's end: last at ${clock(last)}, window until ${clock(until)}.`;
    return `${this.spec.what}: ${shown.map(Count.phrase).join('; ')}${more > 0 ? `; and ${more} more` : ''}.${when}`;
  }

  /**
   * Below the threshold: a low "seen N times" note with the counts per scope, so they are visible
   * without claiming a cause. None when nothing was seen.
   */
  note(rule: Rule): Finding[] {
    // Route scopes repeat their stage's count; alone (WebSocket routes) they are the count.
    const stages = this.scopes.filter((s) => s.scope.kind !== 'route');
    const seen = stages.length ? stages : this.scopes;
    const total = seen.reduce((n, s) => n + s.figure.numerator, 0);
    if (total === 0) return [];
    const t = this.threshold;
    const source = (s: ScopeCount) => s.source ?? (s.scope.kind === 'function' ? 'logs.lambda' : this.input.target.apiType === 'HTTP' ? 'logs.access' : 'logs.execution');
    return [
      {
        rule: rule.id,
        severity: 'low',
        title: `${this.spec.what}: seen ${total} time${total === 1 ? '' : 's'}, below the threshold`,
        detail: `${seen.map(Count.phrase).join('; ')}. Below the threshold (at least ${t.floor} and ${percent(t.minShare)} of a route's, stage's or function's traffic), this is background noise rather than a cause.`,
        evidence: seen.map((s) => ({ source: source(s), quote: Count.phrase(s) })),
        fix: 'Nothing to fix for this incident; watch it if it grows.',
        figures: seen.slice(0, MAX_FIGURES).map((s) => s.figure),
      },
    ];
  }
}

/** Weighs a cause's tallies against their scopes' traffic: the entry point of every count rule. */
export function countFailures(input: RuleInput, spec: CountSpec): Count {
  return new Count(input, spec);
}
