import type { Severity } from '../../core/finding.js';

/**
 * The one threshold table every count-based rule uses, REST and HTTP alike (docs/rules.md,
 * "Thresholds"). A healthy API always fails a little; a count names a cause only when, in some
 * scope (a route, a stage, a function), it reaches the family's floor AND its share of that
 * scope's traffic — over the whole window, or since the failure's onset.
 */
export type Family = 'server' | 'throttle' | 'deny' | 'client' | 'decisive' | 'gone' | 'lifetime' | 'telltale';

export interface Threshold {
  /** Failures needed in one scope. */
  floor: number;
  /** Share of the scope's requests (or invocations) needed, when they are known. */
  minShare: number;
}

export const THRESHOLDS: Readonly<Record<Family, Threshold>> = {
  /** 5xx-class failures: function errors, timeouts, malformed responses, unreachable backends. */
  server: { floor: 5, minShare: 0.02 },
  /** 429s: clients that burst are throttled now and then by design. */
  throttle: { floor: 10, minShare: 0.05 },
  /** An authorizer's denies: some callers always present a bad or expired token. */
  deny: { floor: 10, minShare: 0.1 },
  /** Client-side 4xx (unknown paths, missing keys, bad tokens, WAF blocks): scanners, old clients, bots. */
  client: { floor: 10, minShare: 0.05 },
  /** Lines API Gateway writes only when the cause is present (a refused invoke permission): one decides. */
  decisive: { floor: 1, minShare: 0 },
  /**
   * WebSocket backends meet closed connections all the time (a client leaves between a message
   * and the broadcast): GoneException is a cause only when it is a real share of the function's work.
   */
  gone: { floor: 10, minShare: 0.1 },
  /** WebSocket idle and 2-hour closes happen to every long-lived client: a cause when they are a fifth of the disconnects. */
  lifetime: { floor: 10, minShare: 0.2 },
  /** Lines that appear only when the cause is there but may be a one-off (a wrong @connections endpoint): a few decide. */
  telltale: { floor: 3, minShare: 0 },
};

/** At or above this share of its scope's traffic (over the window or since the onset), a failure keeps the rule's full severity. */
export const MAJOR_SHARE = 0.25;

/** Failures seen in the last `max(RECENT_MIN_MS, RECENT_FRACTION × window)` are "still happening". */
export const RECENT_MIN_MS = 10 * 60_000;
export const RECENT_FRACTION = 0.1;

const STEPS: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'info'];

/** `steps` lower than `severity`, but never below `floor` (and never above where it started). */
export function lowered(severity: Severity, steps: number, floor: Severity): Severity {
  const index = Math.min(STEPS.indexOf(severity) + steps, STEPS.indexOf(floor));
  return STEPS[Math.max(index, STEPS.indexOf(severity))] ?? severity;
}

/**
 * Severity from share, volume and time: the rule's own severity when the worst scope fails at
 * least MAJOR_SHARE and it is still happening; one step lower (not below medium) for a smaller
 * share; one more (not below low) when it stopped before the window's end with traffic after it.
 * Volume is the floor: below it, a rule says at most a low "seen N times".
 */
export function severityOf(base: Severity, share: number | undefined, ongoing: boolean): Severity {
  const current = share === undefined || share < MAJOR_SHARE ? lowered(base, 1, 'medium') : base;
  return ongoing ? current : lowered(current, 1, 'low');
}
