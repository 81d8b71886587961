import { describe, expect, it } from 'vitest';
import type { BundleSummary } from '../../src/core/report.js';
import { QuotaExceededError } from '../../src/ledger/errors.js';
import { createLedger } from '../../src/ledger/ledger.js';
import type { QuotaConfig } from '../../src/ledger/quota.js';
import { AnalysisFailedError, analyze, type AnalyzeInput } from '../../src/app/analysis.js';
import { estimateFor } from '../../src/app/estimate.js';
import { loadConfig } from '../../src/config.js';
import { FakeBedrock, fakeErrors, sampleAnswer } from '../support/fake-bedrock.js';
import { MODEL_IDS } from '../../src/model/prices.js';
import { useDynalite } from '../support/dynalite.js';

const dynalite = useDynalite();
const NOW = new Date('2026-11-23T10:00:00Z');

const bundle: BundleSummary = {
  tokens: 120,
  rawTokens: 9_000,
  sections: [{ name: 'findings', tokens: 120, truncated: false }],
  redactions: {},
  sha256: 'a'.repeat(64),
  budget: 'medium',
  text: '## findings\nF1 integration missing on POST /orders (502 x 140)',
};

const routing = { small: MODEL_IDS.haiku45, large: MODEL_IDS.sonnet45, lite: MODEL_IDS.novaLite };
const config = loadConfig({}, { 'models.small': MODEL_IDS.haiku45, 'models.large': MODEL_IDS.sonnet45, 'models.maxTokens': 1_000 });
const estimate = estimateFor(bundle, 'small', config);

async function setup(quota: QuotaConfig = { dailyTokens: 100_000 }) {
  const store = await dynalite.freshStore();
  const ledger = createLedger(store, { quota, now: () => NOW });
  const base = (client: FakeBedrock, overrides: Partial<AnalyzeInput> = {}): AnalyzeInput => ({
    investigationId: 'inv-1',
    approvalId: 'appr-1',
    user: 'U1',
    bundle,
    ledger,
    client,
    routing,
    maxTokens: 1_000,
    retry: { sleep: async () => {} },
    now: () => NOW,
    ...overrides,
  });
  return { ledger, base };
}

describe('analyze', () => {
  it('reserves, calls, settles with real usage (input + cache + output) and records the spend', async () => {
    const { ledger, base } = await setup();
    const client = new FakeBedrock().answer(sampleAnswer(), { inputTokens: 700, outputTokens: 250, cacheReadInputTokens: 30, cacheWriteInputTokens: 20 });
    const result = await analyze(base(client));
    expect(result).toMatchObject({ cacheHit: false, model: MODEL_IDS.haiku45, tier: 'small', replayed: false, truncated: false });
    expect(result.answer).toEqual(sampleAnswer());
    expect(result.quota).toMatchObject({ used: 1_000, limit: 100_000, remaining: 99_000 });
    expect(result.costUsd).toBeCloseTo((700 * 1.1 + 250 * 5.5 + 30 * 0.11 + 20 * 1.375) / 1e6, 6);
    const week = await ledger.spend.spendForWeek(ledger.spend.weekOf(NOW));
    expect(week.spend).toHaveLength(1);
    expect(week.spend[0]).toMatchObject({ user: 'U1', inputTokens: 700, outputTokens: 250, cacheHit: false, tokensCollected: 9_000, tokensSent: 120, investigationId: 'inv-1' });
  });

  it('calls the model once and charges once for a double approval', async () => {
    const { ledger, base } = await setup();
    const client = new FakeBedrock().answer(sampleAnswer(), { inputTokens: 700, outputTokens: 300 });
    const [a, b] = await Promise.allSettled([analyze(base(client)), analyze(base(client))]);
    const outcomes = [a, b].map((r) => (r.status === 'fulfilled' ? 'ok' : (r.reason as Error).name)).sort();
    expect(outcomes).toEqual(['AnalysisInProgressError', 'ok']);
    const again = await analyze(base(client));
    expect(again).toMatchObject({ replayed: true, answer: sampleAnswer() });
    expect(client.calls).toHaveLength(1);
    expect((await ledger.quota.usage('U1')).used).toBe(1_000);
    expect((await ledger.spend.spendForWeek(ledger.spend.weekOf(NOW))).spend).toHaveLength(1);
  });

  it('serves a cache hit for the same bundle at zero cost and records it as a hit', async () => {
    const { ledger, base } = await setup();
    const client = new FakeBedrock().answer(sampleAnswer(), { inputTokens: 700, outputTokens: 300 });
    await analyze(base(client));
    const hit = await analyze(base(client, { approvalId: 'appr-2', user: 'U2', investigationId: 'inv-2' }));
    expect(hit).toMatchObject({ cacheHit: true, costUsd: 0, usage: { inputTokens: 0, outputTokens: 0 }, answer: sampleAnswer() });
    expect(client.calls).toHaveLength(1);
    expect((await ledger.quota.usage('U2')).used).toBe(0);
    const spend = (await ledger.spend.spendForWeek(ledger.spend.weekOf(NOW))).spend;
    // Both records carry the same instant (the clock is fixed), so order them by user.
    expect(spend.map((s) => [s.user, s.cacheHit, s.costUsd]).sort()).toEqual([
      ['U1', false, expect.any(Number)],
      ['U2', true, 0],
    ]);
  });

  it('misses the cache when the added context differs', async () => {
    const { base } = await setup();
    const client = new FakeBedrock().answer(sampleAnswer()).answer(sampleAnswer('low'));
    await analyze(base(client));
    const second = await analyze(base(client, { approvalId: 'appr-2', addedContext: 'only EU customers' }));
    expect(second.cacheHit).toBe(false);
    expect(client.calls).toHaveLength(2);
  });

  it('refunds the reservation and says so when the model call finally fails', async () => {
    const { ledger, base } = await setup();
    const client = new FakeBedrock().fail(fakeErrors.throttling()).fail(fakeErrors.throttling()).fail(fakeErrors.throttling());
    const err = await analyze(base(client)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AnalysisFailedError);
    expect((err as Error).message).toMatch(/throttling.*nothing was charged/);
    expect((err as AnalysisFailedError).refundedTokens).toBe(estimate.reservedTokens);
    expect((await ledger.quota.usage('U1')).used).toBe(0);
    // The same approval is not retried behind the user's back.
    await expect(analyze(base(client))).rejects.toThrow(/already failed/);
    expect(client.calls).toHaveLength(3);
  });

  it('refunds on a malformed answer but keeps its cost in the spend records', async () => {
    const { ledger, base } = await setup();
    const client = new FakeBedrock().answer({ summary: 'only this' }, { inputTokens: 600, outputTokens: 40 });
    await expect(analyze(base(client))).rejects.toBeInstanceOf(AnalysisFailedError);
    expect((await ledger.quota.usage('U1')).used).toBe(0);
    const spend = (await ledger.spend.spendForWeek(ledger.spend.weekOf(NOW))).spend;
    expect(spend[0]).toMatchObject({ inputTokens: 600, outputTokens: 40 });
  });

  it('refuses over quota with used, limit and reset time, and records the quota hit', async () => {
    const { ledger, base } = await setup({ dailyTokens: estimate.reservedTokens - 1 });
    const client = new FakeBedrock();
    const err = await analyze(base(client, { routing: { ...routing, lite: undefined } })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QuotaExceededError);
    expect(err).toMatchObject({ used: 0, limit: estimate.reservedTokens - 1, resetsAt: '2026-11-24T00:00:00.000Z' });
    expect(client.calls).toHaveLength(0);
    const events = (await ledger.spend.spendForWeek(ledger.spend.weekOf(NOW))).events;
    expect(events).toEqual([expect.objectContaining({ kind: 'quota_hit', user: 'U1' })]);
  });

  it('falls back to the lite model when its smaller reservation fits', async () => {
    const { ledger, base } = await setup({ dailyTokens: estimate.reservedTokens - 1 });
    const client = new FakeBedrock().answer(sampleAnswer(), { inputTokens: 300, outputTokens: 100 });
    const result = await analyze(base(client, { liteMaxTokens: 400 }));
    expect(result).toMatchObject({ model: MODEL_IDS.novaLite, tier: 'lite' });
    expect(client.calls[0]).toMatchObject({ modelId: MODEL_IDS.novaLite, inferenceConfig: { maxTokens: 400 } });
    expect((await ledger.quota.usage('U1')).used).toBe(400);
  });

  it('escalates a low-confidence small answer to the large model when configured', async () => {
    const { ledger, base } = await setup();
    const client = new FakeBedrock()
      .answer(sampleAnswer('low'), { inputTokens: 700, outputTokens: 100 })
      .answer(sampleAnswer('high'), { inputTokens: 700, outputTokens: 200 });
    const result = await analyze(base(client, { routing: { ...routing, autoEscalate: true } }));
    expect(result).toMatchObject({ escalated: true, model: MODEL_IDS.sonnet45, usage: { inputTokens: 1_400, outputTokens: 300 } });
    expect(client.calls.map((c) => c.modelId)).toEqual([MODEL_IDS.haiku45, MODEL_IDS.sonnet45]);
    expect((await ledger.quota.usage('U1')).used).toBe(1_700);
  });

  it('still returns a paid answer when a ledger write after the call fails, and reports it', async () => {
    const { ledger, base } = await setup();
    ledger.spend.record = async () => {
      throw new Error('dynamodb unavailable');
    };
    const failures: string[] = [];
    const client = new FakeBedrock().answer(sampleAnswer(), { inputTokens: 700, outputTokens: 300 });
    const result = await analyze(base(client, { onLedgerError: (step) => void failures.push(step) }));
    expect(result.answer).toEqual(sampleAnswer());
    expect(failures).toEqual(['spend']);
    expect((await ledger.quota.usage('U1')).used).toBe(1_000);
  });

  it('uses the large model only when asked', async () => {
    const { base } = await setup();
    const client = new FakeBedrock().answer(sampleAnswer('low'));
    const result = await analyze(base(client, { model: 'large' }));
    expect(result).toMatchObject({ tier: 'large', escalated: false });
    expect(client.calls).toHaveLength(1);
  });
});

describe('estimateFor', () => {
  it('reserves input plus maxTokens and prices the worst case', () => {
    expect(estimate.reservedTokens).toBe(estimate.inputTokens + 1_000);
    expect(estimate.modelId).toBe(MODEL_IDS.haiku45);
    expect(estimate.model).toBe('Claude Haiku 4.5');
    expect(estimate.costUsd).toBeCloseTo((estimate.inputTokens * 1.1 + 1_000 * 5.5) / 1e6, 6);
    expect(estimateFor(bundle, 'large', config).modelId).toBe(MODEL_IDS.sonnet45);
  });
});
