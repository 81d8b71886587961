import { simulatedRequests, type FunctionCall, type SimRequest } from './requests.js';
import type { Scenario } from './scenario.js';

/**
 * What really happened in a scenario's window, from its traffic specs: every request, where it
 * went and how it ended, and every Lambda invocation it caused. The scenario suite holds each
 * count and share a finding prints against this (±5%), so the numbers people repeat in the
 * channel are checked against the generator's own knowledge, not against what firebreak read.
 */
export interface RequestFilter {
  stage?: string;
  /** `GET /orders/{id}`; a request that matched no route has none. */
  route?: string;
  /** Which requests count as the failure (status, kind, `$context` values). */
  match?: (request: SimRequest) => boolean;
}

export interface CallFilter {
  functionName: string;
  outcome?: FunctionCall['outcome'];
  role?: FunctionCall['role'];
}

const MINUTE = 60_000;

/** A failure a scenario writes into a function's log by hand (not from traffic): part of its world too. */
export interface DeclaredFailure {
  functionName: string;
  time: number;
  kind: 'error' | 'timeout';
}

export class TrafficTruth {
  constructor(
    readonly from: number,
    readonly until: number,
    readonly requests: readonly SimRequest[],
    readonly declared: readonly DeclaredFailure[] = [],
  ) {}

  /** Failed invocations a scenario declared in a function's log, over a period. */
  declaredFailures(functionName: string, kind: DeclaredFailure['kind'], from = this.from, until = this.until): number {
    return this.declared.filter((d) => d.functionName === functionName && d.kind === kind && d.time >= from && d.time < until).length;
  }

  private inPeriod(from = this.from, until = this.until): SimRequest[] {
    return this.requests.filter((r) => r.time >= from && r.time < until);
  }

  /** Requests in scope (and matching, when `match` is given) over a period: the whole window by default. */
  count(filter: RequestFilter = {}, from?: number, until?: number): number {
    return this.inPeriod(from, until).filter((r) => (filter.stage === undefined || r.stage === filter.stage) && (filter.route === undefined || r.route === filter.route) && (!filter.match || filter.match(r))).length;
  }

  /** Lambda invocations (or throttles) of a function over a period. */
  calls(filter: CallFilter, from?: number, until?: number): number {
    let n = 0;
    for (const r of this.inPeriod(from, until)) {
      for (const c of r.calls) {
        if (c.functionName !== filter.functionName || (filter.role && c.role !== filter.role)) continue;
        if (filter.outcome ? c.outcome === filter.outcome : c.outcome !== 'throttled') n++;
      }
    }
    return n;
  }

  /**
   * The first minute of a failure that began inside the window: the start of the traffic that
   * carries it, when most of it (80%) comes from traffic that started after the window did.
   * Undefined when the failure was already there when the window opened.
   */
  onset(filter: RequestFilter): number | undefined {
    const failing = this.inPeriod().filter((r) => (filter.stage === undefined || r.stage === filter.stage) && (filter.route === undefined || r.route === filter.route) && (!filter.match || filter.match(r)));
    if (failing.length === 0) return undefined;
    const bySpec = new Map<string, { start: number; n: number }>();
    for (const r of failing) {
      const key = `${r.spec.kind}/${r.spec.index}`;
      const entry = bySpec.get(key) ?? { start: r.spec.start, n: 0 };
      entry.n++;
      bySpec.set(key, entry);
    }
    const late = [...bySpec.values()].filter((s) => s.start > this.from + MINUTE);
    const lateShare = late.reduce((n, s) => n + s.n, 0) / failing.length;
    if (lateShare < 0.8) return undefined;
    const carrying = late.filter((s) => s.n >= 0.2 * failing.length);
    const start = Math.min(...carrying.map((s) => s.start));
    return Number.isFinite(start) ? Math.floor(start / MINUTE) * MINUTE : undefined;
  }
}

// How runtimes write a failed invocation (a timeout, a traceback, Node's Invoke Error, an error object).
const TIMEOUT = /Task timed out/;
const FAILED = /Invoke Error|Traceback \(most recent call last\)|"?errorType"?\s*[:=]|Runtime\.\w+Error|\[ERROR\]\s+[\w.]*(?:Error|Exception)\b/;

function declaredFailures(scenario: Scenario, from: number, until: number): DeclaredFailure[] {
  const out: DeclaredFailure[] = [];
  for (const account of scenario.accounts) {
    for (const group of account.logs?.groups ?? []) {
      const functionName = /^\/aws\/lambda\/(.+)$/.exec(group.logGroupName)?.[1];
      if (!functionName) continue;
      for (const event of group.events) {
        if (event.timestamp < from || event.timestamp >= until) continue;
        const kind = TIMEOUT.test(event.message) ? 'timeout' : FAILED.test(event.message) ? 'error' : undefined;
        if (kind) out.push({ functionName, time: event.timestamp, kind });
      }
    }
  }
  return out;
}

/** The truth of the window `[from, until)` (arrival times, as CloudWatch stamps requests). */
export function trafficTruth(scenario: Scenario, from: number, until: number): TrafficTruth {
  return new TrafficTruth(from, until, [...simulatedRequests(scenario, from, until)], declaredFailures(scenario, from, until));
}
