/**
 * Counts per minute over the window (minute start, epoch ms → count): the timeline a figure's
 * onset and "still happening" are read from. Metrics give it at one minute; Logs Insights at five
 * (spread evenly over their minutes); log lines by their own times.
 */
export type Minutes = Map<number, number>;

export const MINUTE = 60_000;

export const minuteOf = (ms: number): number => Math.floor(ms / MINUTE) * MINUTE;

export function fromTimes(times: Iterable<number>): Minutes {
  const out: Minutes = new Map();
  for (const t of times) out.set(minuteOf(t), (out.get(minuteOf(t)) ?? 0) + 1);
  return out;
}

/** From a series of periods (start, value): each spread evenly over its minutes. */
export function fromPeriods(points: Iterable<{ start: number; value: number }>, periodMs: number): Minutes {
  const out: Minutes = new Map();
  const parts = Math.max(1, Math.round(periodMs / MINUTE));
  for (const { start, value } of points) {
    if (!value) continue;
    for (let k = 0; k < parts; k++) {
      const m = minuteOf(start) + k * MINUTE;
      out.set(m, (out.get(m) ?? 0) + value / parts);
    }
  }
  return out;
}

export function sumMinutes(minutes: Minutes, from = Number.NEGATIVE_INFINITY, until = Number.POSITIVE_INFINITY): number {
  let n = 0;
  for (const [m, v] of minutes) if (m >= from && m < until) n += v;
  return n;
}

export function addMinutes(into: Minutes, from: Minutes, factor = 1): Minutes {
  for (const [m, v] of from) into.set(m, (into.get(m) ?? 0) + v * factor);
  return into;
}

export function scaleMinutes(minutes: Minutes, factor: number): Minutes {
  return addMinutes(new Map(), minutes, factor);
}

/** The newest minute with a count. */
export function lastMinute(minutes: Minutes): number | undefined {
  let last: number | undefined;
  for (const [m, v] of minutes) if (v > 0 && (last === undefined || m > last)) last = m;
  return last;
}
