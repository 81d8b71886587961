/**
 * Nothing half-written under load: with one DynamoDB call in five throttled (the sandbox's own
 * `dynamodb:` fault, injected inside the SDK's retry loop on the real wire protocol), 200
 * reservations settled or refunded leave no reservation open once the ledger has retried, and the
 * counter exact: with the retries off (every throttle a failure), what stays open is closed by
 * repair and the counter again equals what the closed reservations charged.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import { describe, expect, it } from 'vitest';
import type { LedgerStore } from '../../src/ledger/client.js';
import { QuotaLedger, quotaKey, reservationKey, type QuotaLedgerOptions } from '../../src/ledger/quota.js';
import { dayKey } from '../../src/ledger/day.js';
import { FaultInjector } from '../../src/sandbox/faults.js';
import { attachLedgerFaults } from '../../src/sandbox/ledger-faults.js';
import { faultSchema } from '../../src/sandbox/scenario.js';
import { useDynalite } from '../support/dynalite.js';

const dynalite = useDynalite();
const USER = 'U0BUSY';
const RESERVATIONS = 200;
const THROTTLE = faultSchema.parse({ operation: 'dynamodb:*', error: 'ProvisionedThroughputExceededException', rate: 0.2, seed: 27 });

/** The same table through a client whose calls are throttled one in five, with `maxAttempts` SDK attempts. */
function throttledStore(base: LedgerStore, maxAttempts: number, injector: FaultInjector): LedgerStore {
  const client = new DynamoDBClient({ region: 'us-east-1', endpoint: dynalite.endpoint(), credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, retryStrategy: new ConfiguredRetryStrategy(maxAttempts, () => 2) });
  const doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  attachLedgerFaults(doc as never, injector, '111111111111');
  return { doc, tableName: base.tableName };
}

/** 200 reservations, 20 at a time: even ones settle below their estimate, odd ones are refunded (a failed call). */
async function busyDay(ledger: QuotaLedger): Promise<{ failedCalls: number }> {
  let failedCalls = 0;
  const run = async (i: number) => {
    const id = `res-${i}`;
    try {
      await ledger.reserve(USER, 1_000 + i, { reservationId: id });
      if (i % 2 === 0) await ledger.settle(id, 400 + i);
      else await ledger.refund(id);
    } catch {
      failedCalls++;
    }
  };
  for (let start = 0; start < RESERVATIONS; start += 20) await Promise.all(Array.from({ length: 20 }, (_, k) => run(start + k)));
  return { failedCalls };
}

/** What the table says: the counter, its open reservations, and what the closed ones charged. */
async function audit(store: LedgerStore): Promise<{ used: number; open: string[]; charged: number; states: Record<string, number> }> {
  const day = dayKey(new Date(), 'UTC');
  const { Item } = await store.doc.send(new GetCommand({ TableName: store.tableName, Key: { pk: quotaKey(USER, day), sk: 'DAY' }, ConsistentRead: true }));
  const chargedIds = [...((Item?.charged as Set<string> | undefined) ?? [])];
  const closed = (Item?.closed as Set<string> | undefined) ?? new Set<string>();
  let charged = 0;
  const states: Record<string, number> = {};
  for (let i = 0; i < RESERVATIONS; i++) {
    const { Item: marker } = await store.doc.send(new GetCommand({ TableName: store.tableName, Key: { pk: reservationKey(`res-${i}`), sk: 'RESERVATION' }, ConsistentRead: true }));
    const state = String(marker?.state ?? 'none');
    states[state] = (states[state] ?? 0) + 1;
    if (marker && chargedIds.includes(`res-${i}`) && state === 'settled') charged += Number(marker.actualTokens);
  }
  return { used: Number(Item?.used ?? 0), open: chargedIds.filter((id) => !closed.has(id)), charged, states };
}

async function dayUnderThrottling(maxAttempts: number, options: QuotaLedgerOptions) {
  const base = await dynalite.freshStore();
  const injector = new FaultInjector([THROTTLE]);
  const ledger = new QuotaLedger(throttledStore(base, maxAttempts, injector), { dailyTokens: 100_000_000 }, undefined, { retryDelayMs: () => 1, ...options });
  const { failedCalls } = await busyDay(ledger);
  return { base, ledger, failedCalls, before: await audit(base) };
}

describe('200 reservations under 20% DynamoDB throttling', () => {
  it('with the ledger retrying, every reservation is closed when its call returns and the counter is exact', async () => {
    const { failedCalls, before } = await dayUnderThrottling(3, {});
    expect(failedCalls).toBe(0);
    expect(before.open).toEqual([]);
    expect(before.used).toBe(before.charged);
    expect(before.states).toEqual({ settled: RESERVATIONS / 2, refunded: RESERVATIONS / 2 });
  }, 120_000);

  it('with every throttle a failure, repair closes what was left open and the counter is exact again', async () => {
    const { base, failedCalls, before } = await dayUnderThrottling(1, { retries: 0 });
    // The throttling did bite: calls failed, and some reservations were left holding tokens.
    expect(failedCalls).toBeGreaterThan(20);
    console.info(`20% throttled, no retries: ${failedCalls} of ${RESERVATIONS} calls failed, ${before.open.length} reservations left open, counter ${before.used} vs ${before.charged} charged by closed ones`);
    // Repair (the next reservation of the user runs it too) with the table answering again.
    const clean = new QuotaLedger(base, { dailyTokens: 100_000_000 });
    await clean.repair(USER, { olderThanSeconds: 0 });
    const after = await audit(base);
    expect(after.open).toEqual([]);
    expect(after.used).toBe(after.charged);
    expect((after.states.pending ?? 0) + (after.states.reserved ?? 0)).toBeLessThanOrEqual(failedCalls);
    // A second repair changes nothing.
    expect(await clean.repair(USER, { olderThanSeconds: 0 })).toBe(0);
    expect((await audit(base)).used).toBe(after.used);
  }, 120_000);
});
