import { MINUTE, minuteOf, type Minutes } from './minutes.js';

export interface Onset {
  /** The first minute of the failure (epoch ms). */
  at: number;
  /** Failures and requests from that minute to the window's end. */
  numerator: number;
  denominator?: number;
}

/**
 * When a failure began inside the window, from the per-minute series: the split of the window
 * where the failure's share (of the scope's requests per minute, or its rate when they are not
 * known) jumps the most, provided it was close to absent before (at most a fifth of the failures,
 * and a third of what the share after it would have given, at least 5) and the window had traffic
 * before it. The earliest minute whose
 * jump is within 2% of the best is taken, so the onset is the first minute of the failure, not a
 * noisy one after it. Undefined when the failure was there from the start, or is too small to
 * date (fewer than `minFailures`).
 */
/**
 * Whether the failure was really absent before a split, not missing by chance: at the rate after
 * it, at least 5 would have been expected before, and at most a third of that was seen.
 */
function absentBefore(seen: number, expected: number): boolean {
  return expected >= 5 && seen <= expected / 3;
}

export function findOnset(failures: Minutes, requests: Minutes | undefined, window: { from: number; until: number }, minFailures: number): Onset | undefined {
  const start = minuteOf(window.from);
  const grid: number[] = [];
  for (let m = start; m < window.until; m += MINUTE) grid.push(m);
  const f = grid.map((m) => failures.get(m) ?? 0);
  const r = requests ? grid.map((m) => requests.get(m) ?? 0) : undefined;
  const total = f.reduce((n, v) => n + v, 0);
  const totalRequests = r ? r.reduce((n, v) => n + v, 0) : 0;
  if (total < Math.max(3, minFailures) || grid.length < 4) return undefined;
  type Split = { k: number; score: number; after: number; requestsAfter?: number };
  const splits: Split[] = [];
  let before = 0;
  let requestsBefore = 0;
  for (let k = 0; k < grid.length; k++) {
    if (k >= 2 && (f[k] ?? 0) > 0 && before <= 0.2 * total) {
      const after = total - before;
      if (r) {
        const requestsAfter = totalRequests - requestsBefore;
        if (requestsBefore > 0 && requestsAfter > 0) {
          const shareBefore = before / requestsBefore;
          const shareAfter = Math.min(1, after / requestsAfter);
          if (shareAfter - shareBefore >= 0.05 && absentBefore(before, shareAfter * requestsBefore)) splits.push({ k, score: shareAfter - shareBefore, after, requestsAfter });
        }
      } else {
        const rateBefore = before / k;
        const rateAfter = after / (grid.length - k);
        if (absentBefore(before, rateAfter * k)) splits.push({ k, score: rateAfter - rateBefore, after });
      }
    }
    before += f[k] ?? 0;
    requestsBefore += r?.[k] ?? 0;
  }
  if (splits.length === 0) return undefined;
  const best = Math.max(...splits.map((s) => s.score));
  const chosen = splits.find((s) => s.score >= 0.98 * best) as Split;
  return { at: grid[chosen.k] as number, numerator: chosen.after, ...(chosen.requestsAfter !== undefined ? { denominator: chosen.requestsAfter } : {}) };
}
