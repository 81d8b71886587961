import { z } from 'zod';

/**
 * The `recorded:` section a recording (`firebreak troubleshoot … --record`) writes: the answers a
 * replay must give exactly as they came back, because the scenario keeps only some of the lines
 * behind them (docs/scenarios.md, "Recording an incident"). Each entry names the request it
 * answers; a request that matches none is answered from the scenario like any other.
 */

const accountId = z.string().regex(/^\d{12}$/, { error: 'expected a 12-digit account id' });
/** A request as the SDK sends it (times as ISO strings, pagination tokens as the recording names them). */
const request = z.record(z.string(), z.unknown());
const count = z.number().int().nonnegative();
const epochMs = z.number({ error: 'expected epoch milliseconds' });

/**
 * One part of a FilterLogEvents page, in order: `[first, last]` are the group's own events by
 * position (0 is its first event), `{leftOut, from, until}` stands for events read and not kept,
 * replayed as that many placeholder lines spread from `from` to `until`.
 */
export const pagePartSchema = z.union(
  [z.tuple([count, count]), z.looseObject({ leftOut: z.number().int().positive(), from: epochMs, until: epochMs })],
  { error: 'expected [first, last] (the group’s events by position) or {leftOut, from, until}' },
);

const filterPageSchema = z.looseObject({
  account: accountId,
  request,
  answer: z.looseObject({ events: z.array(pagePartSchema).default([]), nextToken: z.string().optional() }),
});

const statistics = z.record(z.string(), z.unknown());

const insightsQuerySchema = z.looseObject({
  account: accountId,
  /** StartQuery's request: log groups, query string, start and end (epoch seconds), limit. */
  request,
  /** GetQueryResults answers before the last, in order (Scheduled, Running). */
  polls: z.array(z.looseObject({ status: z.string(), statistics: statistics.optional() })).default([]),
  /** The last answer; a query still Running here was stopped by the investigation, and stays Running. */
  answer: z.looseObject({
    status: z.string(),
    statistics: statistics.optional(),
    results: z.array(z.array(z.looseObject({ field: z.string().optional(), value: z.string().optional() }))).default([]),
  }),
  stopped: z.boolean().optional(),
});

const answerSchema = z.looseObject({
  /** `service:Operation`, e.g. `cloudwatch:GetMetricData`. */
  operation: z.string().regex(/^[a-z0-9]+:[A-Z][A-Za-z0-9]*$/, { error: 'expected service:Operation, e.g. cloudwatch:GetMetricData' }),
  account: accountId,
  request,
  answer: z.record(z.string(), z.unknown()),
});

export const recordedSchema = z.looseObject({
  /** What the recording could not keep, one line each (said on stderr when it was written too). */
  leftOut: z.array(z.string()).default([]),
  filterLogEvents: z.array(filterPageSchema).default([]),
  insights: z.array(insightsQuerySchema).default([]),
  /** Any other call's answer, verbatim: CloudWatch metric series (GetMetricData), ListMetrics… */
  answers: z.array(answerSchema).default([]),
});

export type Recorded = z.infer<typeof recordedSchema>;
export type RecordedFilterPage = Recorded['filterLogEvents'][number];
export type RecordedInsightsQuery = Recorded['insights'][number];

/** JSON with sorted keys, Dates as ISO strings, undefined left out: two equal requests, one text. */
export function canonical(value: unknown): string {
  const normal = (v: unknown): unknown => {
    if (v instanceof Date) return v.toISOString();
    if (Array.isArray(v)) return v.map(normal);
    if (v && typeof v === 'object') {
      return Object.fromEntries(
        Object.entries(v as Record<string, unknown>)
          .filter(([, x]) => x !== undefined)
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([k, x]) => [k, normal(x)]),
      );
    }
    return v;
  };
  return JSON.stringify(normal(value));
}

/** Finds the recorded entry answering a request, by account and request; built once per scenario. */
export function recordedIndex<T extends { account: string; request: Record<string, unknown> }>(entries: readonly T[], extra: (entry: T) => string = () => ''): (accountId: string, input: unknown, key?: string) => T | undefined {
  const byKey = new Map<string, T>();
  for (const entry of entries) byKey.set(`${entry.account}\u0000${extra(entry)}\u0000${canonical(entry.request)}`, entry);
  return (accountId, input, key = '') => byKey.get(`${accountId}\u0000${key}\u0000${canonical(input)}`);
}

/** An ISO time as `Date.toISOString()` writes it: what a recorded SDK timestamp field became. */
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{3})?Z$/;

/**
 * A verbatim answer as the SDK would hand it over: its timestamp fields (Timestamps of a metric
 * series, EventTime…) are Dates in the SDK's shapes, and ISO strings once written to a file.
 */
export function reviveTimes<T>(value: T): T {
  if (typeof value === 'string' && ISO_TIME.test(value)) return new Date(value) as T;
  if (Array.isArray(value)) return value.map(reviveTimes) as T;
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, reviveTimes(v)])) as T;
  return value;
}
