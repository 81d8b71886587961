import { describe, expect, it } from 'vitest';
import { DuplicateReservationError, QuotaExceededError, ReservationNotFoundError } from '../../src/ledger/errors.js';
import { QuotaLedger } from '../../src/ledger/quota.js';
import { useDynalite } from '../support/dynalite.js';

const dynalite = useDynalite();
const fixedClock = (iso: string) => () => new Date(iso);

describe('QuotaLedger against dynalite', () => {
  it('never lets 50 concurrent reservations for one user exceed the limit', async () => {
    const store = await dynalite.freshStore();
    const ledger = new QuotaLedger(store, { dailyTokens: 10_000 });
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) => ledger.reserve('U1', 700, { reservationId: `a${i}` })),
    );
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r) => r.status === 'rejected');
    expect(won).toHaveLength(14); // 14 × 700 = 9,800; a 15th would make 10,500
    expect(lost.every((r) => r.reason instanceof QuotaExceededError)).toBe(true);
    const usage = await ledger.usage('U1');
    expect(usage).toMatchObject({ used: 9_800, limit: 10_000, remaining: 200 });
  });

  it('settles to the real usage and refunds the whole estimate', async () => {
    const store = await dynalite.freshStore();
    const ledger = new QuotaLedger(store, { dailyTokens: 10_000 });
    const first = await ledger.reserve('U1', 3_000, { reservationId: 'r1' });
    expect(first.quota).toMatchObject({ used: 3_000, remaining: 7_000 });
    await ledger.reserve('U1', 2_000, { reservationId: 'r2' });
    const settled = await ledger.settle('r1', 1_234);
    expect(settled).toMatchObject({ state: 'settled', tokens: 3_000, actualTokens: 1_234 });
    expect((await ledger.usage('U1')).used).toBe(3_234);
    await ledger.refund('r2');
    expect((await ledger.usage('U1')).used).toBe(1_234);
  });

  it('ignores a retried settle or refund instead of counting twice', async () => {
    const store = await dynalite.freshStore();
    const ledger = new QuotaLedger(store, { dailyTokens: 10_000 });
    await ledger.reserve('U1', 3_000, { reservationId: 'r1' });
    await Promise.all([ledger.settle('r1', 1_000), ledger.settle('r1', 1_000), ledger.refund('r1')]);
    const reservation = await ledger.getReservation('r1');
    const used = (await ledger.usage('U1')).used;
    expect(used).toBe(reservation.state === 'settled' ? 1_000 : 0);
    await ledger.refund('r1');
    expect((await ledger.usage('U1')).used).toBe(used);
  });

  it('refuses a second reservation with the same id', async () => {
    const store = await dynalite.freshStore();
    const ledger = new QuotaLedger(store, { dailyTokens: 10_000 });
    await ledger.reserve('U1', 1_000, { reservationId: 'same' });
    await expect(ledger.reserve('U1', 1_000, { reservationId: 'same' })).rejects.toBeInstanceOf(DuplicateReservationError);
    expect((await ledger.usage('U1')).used).toBe(1_000);
  });

  it('reports used, limit and reset time when over quota, and lets the same id retry smaller', async () => {
    const store = await dynalite.freshStore();
    const ledger = new QuotaLedger(store, { dailyTokens: 5_000 }, fixedClock('2026-11-23T15:00:00Z'));
    await ledger.reserve('U1', 4_000, { reservationId: 'r1' });
    const err = await ledger.reserve('U1', 2_000, { reservationId: 'r2' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QuotaExceededError);
    expect(err).toMatchObject({ used: 4_000, limit: 5_000, requested: 2_000, resetsAt: '2026-11-24T00:00:00.000Z' });
    await expect(ledger.reserve('U1', 1_000, { reservationId: 'r2' })).resolves.toMatchObject({ quota: { used: 5_000, remaining: 0 } });
  });

  it('refuses a request larger than the whole limit without charging', async () => {
    const store = await dynalite.freshStore();
    const ledger = new QuotaLedger(store, { dailyTokens: 5_000 });
    await expect(ledger.reserve('U1', 6_000, { reservationId: 'big' })).rejects.toBeInstanceOf(QuotaExceededError);
    expect((await ledger.usage('U1')).used).toBe(0);
  });

  it('rolls the day over at midnight in the configured timezone', async () => {
    const store = await dynalite.freshStore();
    let now = new Date('2026-11-23T04:30:00Z'); // 23:30 on the 22nd in New York
    const ledger = new QuotaLedger(store, { dailyTokens: 5_000, timezone: 'America/New_York' }, () => now);
    await ledger.reserve('U1', 5_000, { reservationId: 'late' });
    const before = await ledger.usage('U1');
    expect(before).toMatchObject({ used: 5_000, remaining: 0, resetsAt: '2026-11-23T05:00:00.000Z' });
    await expect(ledger.reserve('U1', 1, { reservationId: 'x' })).rejects.toBeInstanceOf(QuotaExceededError);

    now = new Date('2026-11-23T05:00:00Z'); // midnight in New York, still the 23rd in UTC
    expect(await ledger.usage('U1')).toMatchObject({ used: 0, remaining: 5_000, resetsAt: '2026-11-24T05:00:00.000Z' });
    await expect(ledger.reserve('U1', 1, { reservationId: 'x' })).resolves.toBeDefined();
  });

  it('applies per-user limits and leaves admins unlimited', async () => {
    const store = await dynalite.freshStore();
    const ledger = new QuotaLedger(store, { dailyTokens: 1_000, perUser: { UBIG: 50_000 }, admins: ['UADMIN'] });
    await expect(ledger.reserve('UBIG', 40_000, { reservationId: 'b' })).resolves.toBeDefined();
    await expect(ledger.reserve('UADMIN', 900_000, { reservationId: 'a' })).resolves.toMatchObject({ quota: { limit: null, remaining: null } });
    await expect(ledger.reserve('USMALL', 1_001, { reservationId: 's' })).rejects.toBeInstanceOf(QuotaExceededError);
  });

  it('says so when settling an unknown reservation', async () => {
    const store = await dynalite.freshStore();
    const ledger = new QuotaLedger(store, { dailyTokens: 1_000 });
    await expect(ledger.settle('nope', 1)).rejects.toBeInstanceOf(ReservationNotFoundError);
  });
});

describe('QuotaLedger settling concurrent reservations', () => {
  it('keeps exact sums when 50 concurrent reservations are settled and refunded concurrently', async () => {
    const store = await dynalite.freshStore();
    const ledger = new QuotaLedger(store, { dailyTokens: 50_000 });
    const won = (
      await Promise.allSettled(Array.from({ length: 50 }, (_, i) => ledger.reserve('U1', 2_000, { reservationId: `c${i}` })))
    ).flatMap((r) => (r.status === 'fulfilled' ? [r.value.reservation.reservationId] : []));
    expect(won).toHaveLength(25);
    // Even ids settle to 100 tokens, odd ids are refunded; every operation is sent twice.
    const closing = won.flatMap((id) => {
      const settle = Number(id.slice(1)) % 2 === 0;
      const op = () => (settle ? ledger.settle(id, 100) : ledger.refund(id));
      return [op(), op()];
    });
    await Promise.all(closing);
    const settledCount = won.filter((id) => Number(id.slice(1)) % 2 === 0).length;
    expect((await ledger.usage('U1')).used).toBe(settledCount * 100);
  });
});
