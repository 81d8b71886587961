import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import type { LedgerStore } from '../../src/ledger/client.js';
import { QuotaLedger } from '../../src/ledger/quota.js';
import { useDynalite } from '../support/dynalite.js';

const dynalite = useDynalite();

/** A store whose next `failures` counter corrections (ADD to a QUOTA item's `used` by a delta) fail. */
function failingCounterWrites(store: LedgerStore, failures: number): LedgerStore & { failed: number } {
  const wrapped = {
    tableName: store.tableName,
    failed: 0,
    doc: {
      send: async (command: unknown) => {
        const input = command instanceof UpdateCommand ? command.input : undefined;
        const isCorrection = typeof input?.UpdateExpression === 'string' && input.UpdateExpression.startsWith('ADD #used :delta') && String(input.Key?.pk).startsWith('QUOTA#');
        if (isCorrection && wrapped.failed < failures) {
          wrapped.failed++;
          throw Object.assign(new Error('Throughput exceeds the current capacity'), { name: 'ProvisionedThroughputExceededException' });
        }
        return store.doc.send(command as never);
      },
    },
  };
  return wrapped as unknown as LedgerStore & { failed: number };
}

describe('QuotaLedger: settle and refund survive a failed counter write', () => {
  it('a settle whose counter write failed is repaired by the retry, once', async () => {
    const store = await dynalite.freshStore();
    const flaky = failingCounterWrites(store, 1);
    const ledger = new QuotaLedger(flaky, { dailyTokens: 10_000 }, undefined, { retries: 0 });
    await ledger.reserve('U1', 4_000, { reservationId: 'r1' });
    await expect(ledger.settle('r1', 1_000)).rejects.toThrow(/capacity/);
    expect(flaky.failed).toBe(1);
    // The marker says settled, the counter still holds the whole estimate.
    expect((await ledger.usage('U1')).used).toBe(4_000);
    expect(await ledger.settle('r1', 1_000)).toMatchObject({ state: 'settled', actualTokens: 1_000 });
    expect((await ledger.usage('U1')).used).toBe(1_000);
    // Further retries (settle or refund) change nothing.
    await ledger.settle('r1', 1_000);
    await ledger.refund('r1');
    expect((await ledger.usage('U1')).used).toBe(1_000);
  });

  it('a refund whose counter write failed is repaired by the retry, once', async () => {
    const store = await dynalite.freshStore();
    const ledger = new QuotaLedger(failingCounterWrites(store, 1), { dailyTokens: 10_000 }, undefined, { retries: 0 });
    await ledger.reserve('U1', 2_500, { reservationId: 'r2' });
    await ledger.reserve('U1', 500, { reservationId: 'r3' });
    await expect(ledger.refund('r2')).rejects.toThrow();
    expect((await ledger.usage('U1')).used).toBe(3_000);
    expect(await ledger.refund('r2')).toMatchObject({ state: 'refunded', actualTokens: 0 });
    expect((await ledger.usage('U1')).used).toBe(500);
    await Promise.all([ledger.refund('r2'), ledger.refund('r2'), ledger.settle('r2', 9)]);
    expect((await ledger.usage('U1')).used).toBe(500);
  });

  it('concurrent repairs apply the correction exactly once', async () => {
    const store = await dynalite.freshStore();
    const ledger = new QuotaLedger(failingCounterWrites(store, 1), { dailyTokens: 10_000 }, undefined, { retries: 0 });
    await ledger.reserve('U1', 6_000, { reservationId: 'r4' });
    await expect(ledger.settle('r4', 2_000)).rejects.toThrow();
    await Promise.all(Array.from({ length: 5 }, () => ledger.settle('r4', 2_000)));
    expect((await ledger.usage('U1')).used).toBe(2_000);
  });
});
