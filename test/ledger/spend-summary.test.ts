import { describe, expect, it } from 'vitest';
import type { SpendRecord } from '../../src/ledger/spend.js';
import { summarizeWeek } from '../../src/ledger/spend-summary.js';

const record = (user: string, model: string, costUsd: number, cacheHit = false): SpendRecord => ({
  user,
  model,
  inputTokens: cacheHit ? 0 : 1_000,
  outputTokens: cacheHit ? 0 : 200,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
  costUsd,
  cacheHit,
  tokensCollected: 20_000,
  tokensSent: cacheHit ? 0 : 1_000,
  investigationId: 'inv',
  at: '2026-11-23T10:00:00.000Z',
});

describe('summarizeWeek', () => {
  it('totals per user and model, prices cache savings and counts events', () => {
    const summary = summarizeWeek({
      week: '2026-W48',
      spend: [record('U1', 'haiku', 0.01), record('U1', 'haiku', 0.02), record('U2', 'sonnet', 0.05), record('U2', 'haiku', 0, true)],
      events: [
        { kind: 'closed_by_rules', user: 'U3', tokensCollected: 7_000, at: '2026-11-23T11:00:00.000Z' },
        { kind: 'quota_hit', user: 'U1', at: '2026-11-23T12:00:00.000Z' },
      ],
    });
    expect(summary.totals).toMatchObject({ calls: 3, cacheHits: 1, inputTokens: 3_000, costUsd: 0.08 });
    expect(summary.byUser.map((u) => [u.user, u.costUsd])).toEqual([
      ['U2', 0.05],
      ['U1', 0.03],
    ]);
    expect(summary.byModel.find((m) => m.model === 'haiku')).toMatchObject({ calls: 2, cacheHits: 1 });
    expect(summary.cacheSavedUsd).toBeCloseTo(0.015, 6);
    expect(summary).toMatchObject({ tokensCollected: 60_000, tokensSent: 3_000, closedByRules: 1, closedByRulesTokensAvoided: 7_000, quotaHits: 1 });
  });
});
