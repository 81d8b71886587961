import type { MetricSeries } from '../../core/evidence.js';
import type { Figure } from '../../core/finding.js';
import { addMinutes, fromPeriods, lastMinute, MINUTE, scaleMinutes, type Minutes } from './minutes.js';

export type Basis = Figure['basis'];

/**
 * A count with where it came from: exact when counted over its whole period (CloudWatch metrics,
 * Logs Insights, every line read), estimated otherwise. Exact wins; an estimate never replaces
 * an exact count of the same thing, and is never "the larger of" two.
 */
export interface Measure {
  n: number;
  exact: boolean;
  basis: Basis;
  /** Per minute, when known over the whole period. */
  minutes?: Minutes;
  /** The period counted (epoch ms). */
  from: number;
  until: number;
  /** Newest occurrence (epoch ms), when known. */
  last?: number;
}

/** Most to least trustworthy: metrics > insights > logs > estimate. */
const ORDER: readonly Basis[] = ['metrics', 'insights', 'logs', 'estimate'];

export function weaker(a: Basis, b: Basis): Basis {
  return ORDER.indexOf(a) >= ORDER.indexOf(b) ? a : b;
}

/** A count series (Sum) as a measure; `PartialData` and the like are never exact. */
export function fromSeries(series: MetricSeries): Measure {
  const step = series.periodSeconds * 1000;
  const minutes = fromPeriods(series.timestamps.map((start, i) => ({ start, value: series.values[i] ?? 0 })), step);
  const from = series.timestamps[0] ?? 0;
  const until = (series.timestamps[series.timestamps.length - 1] ?? from) + step;
  const last = lastMinute(minutes);
  return {
    n: series.total ?? series.values.reduce((n, v) => n + v, 0),
    exact: series.status === 'Complete',
    basis: 'metrics',
    minutes,
    from,
    until,
    ...(last !== undefined ? { last: last + MINUTE - 1 } : {}),
  };
}

/** Several measures of disjoint parts as one: exact only when every part is. */
export function sumMeasures(parts: readonly Measure[]): Measure | undefined {
  const [first] = parts;
  if (!first) return undefined;
  const minutes: Minutes | undefined = parts.every((p) => p.minutes) ? parts.reduce((m, p) => addMinutes(m, p.minutes as Minutes), new Map() as Minutes) : undefined;
  const lasts = parts.map((p) => p.last).filter((t): t is number => t !== undefined);
  return {
    n: parts.reduce((n, p) => n + p.n, 0),
    exact: parts.every((p) => p.exact),
    basis: parts.map((p) => p.basis).reduce(weaker),
    ...(minutes ? { minutes } : {}),
    from: Math.min(...parts.map((p) => p.from)),
    until: Math.max(...parts.map((p) => p.until)),
    ...(lasts.length ? { last: Math.max(...lasts) } : {}),
  };
}

/** A measure scaled by a factor (an estimate: a fraction of an exact count, or a sample scaled up). */
export function scaled(measure: Measure, factor: number, basis: Basis = measure.basis): Measure {
  return {
    n: measure.n * factor,
    exact: false,
    basis,
    ...(measure.minutes ? { minutes: scaleMinutes(measure.minutes, factor) } : {}),
    from: measure.from,
    until: measure.until,
    ...(measure.last !== undefined ? { last: measure.last } : {}),
  };
}
