import { describe, expect, it } from 'vitest';
import { AnswerCache, answerCacheKey } from '../../src/ledger/cache.js';
import { SpendLog, type SpendRecord } from '../../src/ledger/spend.js';
import { useDynalite } from '../support/dynalite.js';

const dynalite = useDynalite();

describe('answerCacheKey', () => {
  it('changes with the bundle, the model and the prompt version', () => {
    const base = answerCacheKey('a'.repeat(64), 'model-a', 'v1');
    expect(base).toMatch(/^[0-9a-f]{64}$/);
    expect(answerCacheKey('b'.repeat(64), 'model-a', 'v1')).not.toBe(base);
    expect(answerCacheKey('a'.repeat(64), 'model-b', 'v1')).not.toBe(base);
    expect(answerCacheKey('a'.repeat(64), 'model-a', 'v2')).not.toBe(base);
  });
});

describe('AnswerCache against dynalite', () => {
  it('returns what was put until it expires', async () => {
    let now = new Date('2026-11-23T10:00:00Z');
    const cache = new AnswerCache(await dynalite.freshStore(), { ttlSeconds: 60, now: () => now });
    await cache.put('k', { answer: 'it is DNS', n: 1 });
    expect((await cache.get('k'))?.value).toEqual({ answer: 'it is DNS', n: 1 });
    expect(await cache.get('other')).toBeUndefined();
    now = new Date('2026-11-23T10:01:00Z');
    expect(await cache.get('k')).toBeUndefined();
  });
});

function spend(at: string, user: string): SpendRecord {
  return {
    user,
    model: 'm',
    inputTokens: 10,
    outputTokens: 5,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    costUsd: 0.001,
    cacheHit: false,
    tokensCollected: 1_000,
    tokensSent: 10,
    investigationId: 'inv',
    at,
  };
}

describe('SpendLog against dynalite', () => {
  it('reads one ISO week back with its records and events, in time order', async () => {
    const log = new SpendLog(await dynalite.freshStore());
    await log.record(spend('2026-11-23T10:00:00.000Z', 'U2'));
    await log.record(spend('2026-11-22T23:59:59.000Z', 'U0')); // Sunday: the previous week
    await log.record(spend('2026-11-23T09:00:00.000Z', 'U1'));
    await log.recordEvent({ kind: 'closed_by_rules', user: 'U3', investigationId: 'inv9', tokensCollected: 5_000, at: '2026-11-24T08:00:00.000Z' });
    await log.recordEvent({ kind: 'quota_hit', user: 'U1', at: '2026-11-25T08:00:00.000Z' });

    const week = await log.spendForWeek('2026-W48');
    expect(week.spend.map((s) => s.user)).toEqual(['U1', 'U2']);
    expect(week.spend[0]).toEqual(spend('2026-11-23T09:00:00.000Z', 'U1'));
    expect(week.events.map((e) => e.kind)).toEqual(['closed_by_rules', 'quota_hit']);
    expect((await log.spendForWeek('2026-W47')).spend.map((s) => s.user)).toEqual(['U0']);
  });
});
