import type { Scenario } from './scenario.js';
import { generateHttpTraffic } from './http-traffic.js';
import { generateTraffic } from './traffic.js';

/**
 * Every log group of every account, with the scenario's own events and the generated traffic
 * merged and sorted by time once, so FilterLogEvents is a binary search and a slice.
 */
export interface StoredEvent {
  timestamp: number;
  message: string;
  logStreamName: string;
  ingestionTime: number;
  eventId: string;
}

export interface StoredGroup {
  logGroupName: string;
  creationTime: number;
  retentionInDays?: number;
  events: StoredEvent[];
}

/** One account's log groups by name. */
export type LogStore = Map<string, StoredGroup>;

const DEFAULT_STREAM = '2024/01/01/[$LATEST]sandbox';
// Log ingestion lags the event a little; a fixed lag keeps answers reproducible.
const INGESTION_LAG_MS = 250;

function group(store: LogStore, name: string, creationTime: number): StoredGroup {
  let existing = store.get(name);
  if (!existing) {
    existing = { logGroupName: name, creationTime, events: [] };
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
          ingestionTime: event.timestamp + INGESTION_LAG_MS,
          eventId: '',
        });
      }
    }
  }
  for (const batch of [...generateTraffic(scenario), ...generateHttpTraffic(scenario)]) {
    const target = group(storeFor(batch.accountId), batch.logGroupName, defaultCreation);
    for (const event of batch.events) target.events.push({ ...event, ingestionTime: event.timestamp + INGESTION_LAG_MS, eventId: '' });
  }
  for (const store of stores.values()) {
    for (const stored of store.values()) {
      // Stable sort: events at the same millisecond keep the order they were written in.
      stored.events.sort((a, b) => a.timestamp - b.timestamp);
      stored.events.forEach((event, index) => {
        event.eventId = `${String(event.timestamp).padStart(16, '0')}${String(index).padStart(12, '0')}`;
      });
    }
  }
  return stores;
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
