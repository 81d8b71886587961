import type { Scenario } from './scenario.js';
import { generateHttpTraffic } from './http-traffic.js';
import { trafficSources, type GeneratedEvent, type TrafficSource } from './traffic.js';
import { websocketTrafficSources } from './websocket-traffic.js';

/**
 * Every log group of every account: the scenario's own events (sorted once) and the generated
 * traffic (generated per time slice, never held whole). A read walks the window in slices, each
 * slice merged and sorted, so FilterLogEvents and Logs Insights see one time-ordered stream of
 * events in bounded memory whatever the volume.
 */
export interface StoredEvent {
  timestamp: number;
  message: string;
  logStreamName: string;
  /** Orders events of one millisecond: source (0 = declared) × 2^32 + order of writing. */
  order: number;
}

export interface StoredGroup {
  logGroupName: string;
  creationTime: number;
  retentionInDays?: number;
  /** The scenario's declared events, sorted by time. */
  events: StoredEvent[];
  /** Generated traffic writing to this group. */
  traffic: TrafficSource[];
}

/** One account's log groups by name. */
export type LogStore = Map<string, StoredGroup>;

const DEFAULT_STREAM = '2024/01/01/[$LATEST]sandbox';
// Log ingestion lags the event a little; a fixed lag keeps answers reproducible.
const INGESTION_LAG_MS = 250;
/** Events generated per slice, about: large enough to amortise the look-back, small enough to stay lean. */
const EVENTS_PER_SLICE = 40_000;
const MIN_SLICE_MS = 1_000;

function group(store: LogStore, name: string, creationTime: number): StoredGroup {
  let existing = store.get(name);
  if (!existing) {
    existing = { logGroupName: name, creationTime, events: [], traffic: [] };
    store.set(name, existing);
  }
  return existing;
}

export function buildLogStores(scenario: Scenario): Map<string, LogStore> {
  const stores = new Map<string, LogStore>();
  const storeFor = (accountId: string) => {
    let store = stores.get(accountId);
    if (!store) {
      store = new Map();
      stores.set(accountId, store);
    }
    return store;
  };
  // Groups exist from well before the window unless the scenario says when they were made.
  const defaultCreation = scenario.now.getTime() - 90 * 24 * 3600_000;
  for (const account of scenario.accounts) {
    const store = storeFor(account.accountId);
    for (const declared of account.logs?.groups ?? []) {
      const target = group(store, declared.logGroupName, declared.creationTime ?? defaultCreation);
      if (declared.retentionInDays !== undefined) target.retentionInDays = declared.retentionInDays;
      for (const event of declared.events) {
        target.events.push({
          timestamp: event.timestamp,
          message: event.message,
          logStreamName: event.logStreamName ?? DEFAULT_STREAM,
          order: 0,
        });
      }
    }
  }
  for (const source of [...trafficSources(scenario), ...websocketTrafficSources(scenario)]) group(storeFor(source.accountId), source.logGroupName, defaultCreation).traffic.push(source);
  // HTTP API traffic is small (a few thousand records): declared-event style, generated once.
  for (const batch of generateHttpTraffic(scenario)) {
    const target = group(storeFor(batch.accountId), batch.logGroupName, defaultCreation);
    for (const event of batch.events) target.events.push({ timestamp: event.timestamp, message: event.message, logStreamName: event.logStreamName, order: 0 });
  }
  for (const store of stores.values()) {
    for (const stored of store.values()) {
      // Stable sort: events at the same millisecond keep the order they were written in.
      stored.events.sort((a, b) => a.timestamp - b.timestamp);
      stored.events.forEach((event, index) => {
        event.order = index;
      });
    }
  }
  return stores;
}

const SOURCE_STRIDE = 2 ** 32;

/** Event ids sort like the events: time, then source, then order of writing. */
export function eventIdOf(event: StoredEvent): string {
  return `${String(Math.max(0, event.timestamp)).padStart(16, '0')}${String(event.order).padStart(16, '0')}`;
}

/** When CloudWatch received the event: a fixed lag keeps answers reproducible. */
export function ingestionTimeOf(event: StoredEvent): number {
  return event.timestamp + INGESTION_LAG_MS;
}

/** Index of the first event at or after `timestamp` (events are sorted). */
export function firstAtOrAfter(events: readonly StoredEvent[], timestamp: number): number {
  let low = 0;
  let high = events.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((events[mid]?.timestamp ?? 0) < timestamp) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** Roughly how many events the group holds in all (declared plus generated). */
export function estimatedEvents(group: StoredGroup): number {
  return group.events.length + group.traffic.reduce((n, t) => n + t.estimatedEvents, 0);
}

/** The span the group's events can cover, for slicing an unbounded read. */
function extent(group: StoredGroup, from: number, to: number): { from: number; to: number } {
  if (Number.isFinite(from) && Number.isFinite(to)) return { from, to };
  const times = group.events.map((e) => e.timestamp);
  // Generated traffic lies within a day of its end; probing costs nothing when empty.
  let low = times.length ? Math.min(...times) : Number.POSITIVE_INFINITY;
  let high = times.length ? Math.max(...times) + 1 : Number.NEGATIVE_INFINITY;
  if (group.traffic.length) {
    const probe: GeneratedEvent[] = [];
    for (const source of group.traffic) source.eventsIn(Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY, probe);
    for (const e of probe) {
      low = Math.min(low, e.timestamp);
      high = Math.max(high, e.timestamp + 1);
    }
  }
  return { from: Number.isFinite(from) ? from : low, to: Number.isFinite(to) ? to : high };
}

/**
 * The group's events with `from <= timestamp < to`, in time order (declared events first within
 * a millisecond, then each traffic source in order), one sorted slice at a time.
 */
export function* scanGroup(group: StoredGroup, from: number, to: number): Generator<StoredEvent[]> {
  const span = extent(group, from, to);
  if (!(span.to > span.from)) return;
  const sliceMs = sliceMsOf(group);
  for (let start = span.from; start < span.to; start += sliceMs) {
    const slice = sliceOf(group, start, Math.min(span.to, start + sliceMs));
    if (slice.length > 0) yield slice;
  }
}

/** The same events newest first (FilterLogEvents with `startFromHead: false`), one slice at a time. */
export function* scanGroupBackward(group: StoredGroup, from: number, to: number): Generator<StoredEvent[]> {
  const span = extent(group, from, to);
  if (!(span.to > span.from)) return;
  const sliceMs = sliceMsOf(group);
  for (let end = span.to; end > span.from; end -= sliceMs) {
    const slice = sliceOf(group, Math.max(span.from, end - sliceMs), end);
    if (slice.length > 0) yield slice.reverse();
  }
}

function sliceMsOf(group: StoredGroup): number {
  const density = estimatedEvents(group) / (2 * 3600_000);
  return Math.max(MIN_SLICE_MS, Math.floor(EVENTS_PER_SLICE / Math.max(density, 1e-9)));
}

/** Events with `start <= timestamp < end`, sorted by time then order of writing. */
function sliceOf(group: StoredGroup, start: number, end: number): StoredEvent[] {
  {
    const slice: StoredEvent[] = [];
    for (let i = firstAtOrAfter(group.events, start); i < group.events.length; i++) {
      const event = group.events[i] as StoredEvent;
      if (event.timestamp >= end) break;
      slice.push(event);
    }
    group.traffic.forEach((source, index) => {
      const from = slice.length;
      // Generated events have the stored shape already: only their order gains the source.
      source.eventsIn(start, end, slice);
      for (let i = from; i < slice.length; i++) (slice[i] as StoredEvent).order += (index + 1) * SOURCE_STRIDE;
    });
    slice.sort((a, b) => a.timestamp - b.timestamp || a.order - b.order);
    return slice;
  }
}
