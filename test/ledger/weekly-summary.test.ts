import { describe, expect, it } from 'vitest';
import type { SpendRecord } from '../../src/ledger/spend.js';
import { computeWeeklySummary, daysOfIsoWeek } from '../../src/ledger/weekly-summary.js';
import { nextOccurrence } from '../../src/slack/summary/timer.js';

const record = (overrides: Partial<SpendRecord>): SpendRecord => ({
  user: 'U1',
  model: 'small',
  inputTokens: 1_000,
  outputTokens: 100,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
  costUsd: 0.011,
  cacheHit: false,
  tokensCollected: 10_000,
  tokensSent: 1_000,
  investigationId: 'i',
  at: '2026-11-17T10:00:00Z',
  ...overrides,
});

describe('weekly summary arithmetic', () => {
  it('lists the days of an ISO week, Monday first, across a year boundary', () => {
    expect(daysOfIsoWeek('2026-W48')[0]).toBe('2026-11-23');
    expect(daysOfIsoWeek('2026-W01')).toEqual(['2025-12-29', '2025-12-30', '2025-12-31', '2026-01-01', '2026-01-02', '2026-01-03', '2026-01-04']);
  });

  it('totals per user and model, prices cache hits at the paid rate, and compares with last week', () => {
    const summary = computeWeeklySummary(
      {
        week: '2026-W47',
        spend: [record({}), record({ user: 'U2', costUsd: 0, cacheHit: true }), record({ at: '2026-11-19T10:00:00Z', costUsd: 0.022, inputTokens: 2_000, outputTokens: 200 })],
        events: [{ kind: 'quota_hit', user: 'U3', at: '2026-11-17T10:00:00Z' }, { kind: 'closed_by_rules', user: 'U1', at: '2026-11-17T10:00:00Z' }],
      },
      { week: '2026-W46', spend: [record({ costUsd: 0.066 })], events: [] },
      (iso) => iso.slice(0, 10),
    );
    expect(summary.costUsd).toBeCloseTo(0.033);
    expect(summary.previousCostUsd).toBeCloseTo(0.066);
    expect(summary.calls).toBe(2);
    expect(summary.cacheHits).toBe(1);
    expect(summary.savedUsd).toBeCloseTo(0.011);
    expect(summary.quotaHits).toBe(1);
    expect(summary.closedByRules).toBe(1);
    expect(summary.tokensAvoided).toBe(27_000);
    expect(summary.perUser.find((u) => u.name === 'U1')?.calls).toBe(2);
    expect(summary.daily.map((d) => d.costUsd)).toEqual([0, 0.011, 0, 0.022, 0, 0, 0]);
  });
});

describe('weekly summary: counts that agree', () => {
  it('counts model calls and cache answers apart on every line, and "closed by the rules" only where no model was asked', () => {
    const summary = computeWeeklySummary(
      {
        week: '2026-W47',
        spend: [record({ investigationId: 'a' }), record({ investigationId: 'b', costUsd: 0, cacheHit: true })],
        events: [
          { kind: 'closed_by_rules', user: 'U1', investigationId: 'a', tokensCollected: 5_000, at: '2026-11-17T09:00:00Z' },
          { kind: 'closed_by_rules', user: 'U1', investigationId: 'b', tokensCollected: 5_000, at: '2026-11-17T09:00:00Z' },
          { kind: 'closed_by_rules', user: 'U1', investigationId: 'c', tokensCollected: 7_000, at: '2026-11-17T09:00:00Z' },
        ],
      },
      { week: '2026-W46', spend: [], events: [] },
      (iso) => iso.slice(0, 10),
    );
    expect(summary).toMatchObject({ calls: 1, cacheHits: 1, closedByRules: 1, rulesTokensAvoided: 7_000 });
    expect(summary.perUser).toEqual([{ name: 'U1', costUsd: 0.011, tokens: 1_100, calls: 1, cached: 1 }]);
    expect(summary.perModel[0]).toMatchObject({ calls: 1, cached: 1 });
  });
});

describe('summary schedule', () => {
  it('finds the next configured weekday and time in the configured timezone', () => {
    expect(nextOccurrence(new Date('2026-11-23T08:00:00Z'), 'MON', '09:00', 'UTC').toISOString()).toBe('2026-11-23T09:00:00.000Z');
    expect(nextOccurrence(new Date('2026-11-23T09:00:00Z'), 'MON', '09:00', 'UTC').toISOString()).toBe('2026-11-30T09:00:00.000Z');
    // 09:00 in Paris is 08:00 UTC in winter.
    expect(nextOccurrence(new Date('2026-11-20T00:00:00Z'), 'MON', '09:00', 'Europe/Paris').toISOString()).toBe('2026-11-23T08:00:00.000Z');
  });
});

describe('weekly summary: what the rules saved', () => {
  it('counts investigations closed by rules and the tokens they avoided', () => {
    const summary = computeWeeklySummary(
      {
        week: '2026-W47',
        spend: [record({ user: 'U1', costUsd: 0.01 }), record({ user: 'U2', costUsd: 0.05 }), record({ user: 'U2', costUsd: 0, cacheHit: true })],
        events: [
          { kind: 'closed_by_rules', user: 'U3', tokensCollected: 7_000, at: '2026-11-17T11:00:00Z' },
          { kind: 'closed_by_rules', user: 'U1', tokensCollected: 3_000, at: '2026-11-18T11:00:00Z' },
          { kind: 'quota_hit', user: 'U1', at: '2026-11-17T12:00:00Z' },
        ],
      },
      { week: '2026-W46', spend: [], events: [] },
      (iso) => iso.slice(0, 10),
    );
    expect(summary).toMatchObject({ closedByRules: 2, rulesTokensAvoided: 10_000, quotaHits: 1, cacheHits: 1 });
    expect(summary.perUser.map((u) => [u.name, u.costUsd])).toEqual(expect.arrayContaining([['U2', 0.05], ['U1', 0.01]]));
  });

  it('counts fingerprint hits apart, with the tokens and dollars of the calls they reused', () => {
    const hit = { cacheHit: true, costUsd: 0, inputTokens: 0, outputTokens: 0 };
    const summary = computeWeeklySummary(
      {
        week: '2026-W47',
        spend: [
          record({ costUsd: 0.02 }),
          record({ ...hit, cacheKind: 'exact', savedTokens: 1_100, savedUsd: 0.02 }),
          record({ ...hit, user: 'U2', cacheKind: 'fingerprint', savedTokens: 3_400, savedUsd: 0.03 }),
          record({ ...hit, user: 'U3', cacheKind: 'fingerprint', savedTokens: 3_400, savedUsd: 0.03 }),
        ],
        events: [],
      },
      { week: '2026-W46', spend: [], events: [] },
      (iso) => iso.slice(0, 10),
    );
    expect(summary).toMatchObject({ calls: 1, cacheHits: 3, fingerprintHits: 2, fingerprintSavedTokens: 6_800 });
    expect(summary.fingerprintSavedUsd).toBeCloseTo(0.06);
    expect(summary.savedUsd).toBeCloseTo(0.08);
    expect(summary.costUsd).toBeCloseTo(0.02);
  });
});
