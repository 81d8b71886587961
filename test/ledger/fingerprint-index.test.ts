import { describe, expect, it } from 'vitest';
import { AnswerCache, fingerprintIndexKey } from '../../src/ledger/cache.js';
import { useDynalite } from '../support/dynalite.js';

const dynalite = useDynalite();
const T0 = new Date('2026-11-23T10:00:00Z');

describe('the fingerprint index', () => {
  it('keeps one answer per model with who asked, when and the error count then, newest first, within the freshness asked for', async () => {
    const clock = { now: T0 };
    const cache = new AnswerCache(await dynalite.freshStore(), { now: () => clock.now });
    const key = fingerprintIndexKey('f'.repeat(64), 'v1');
    await cache.putFingerprint(key, { value: { answer: 'small one' }, modelId: 'small-model', askedBy: 'alice', investigationId: 'inv-1', errorCount: 212 });
    clock.now = new Date(T0.getTime() + 10 * 60_000);
    await cache.putFingerprint(key, { value: { answer: 'large one' }, modelId: 'large-model', askedBy: 'bob', investigationId: 'inv-2', errorCount: 260 });
    clock.now = new Date(T0.getTime() + 20 * 60_000);

    const all = await cache.findByFingerprint<{ answer: string }>(key, new Date(clock.now.getTime() - 60 * 60_000));
    expect(all.map((e) => [e.modelId, e.askedBy, e.errorCount, e.value.answer])).toEqual([
      ['large-model', 'bob', 260, 'large one'],
      ['small-model', 'alice', 212, 'small one'],
    ]);
    expect(all[1]!.askedAt).toBe(T0.toISOString());
    // A 15-minute limit leaves only the answer from 10 minutes ago.
    expect((await cache.findByFingerprint(key, new Date(clock.now.getTime() - 15 * 60_000))).map((e) => e.modelId)).toEqual(['large-model']);
    // Another prompt version is another index.
    expect(await cache.findByFingerprint(fingerprintIndexKey('f'.repeat(64), 'v2'), T0)).toEqual([]);
  });
});
