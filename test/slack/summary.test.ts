import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleSchedule } from '../../src/slack/receivers/schedule.js';
import { postWeeklySummary } from '../../src/slack/summary/post.js';
import { startHarness, textOf, type Harness } from './harness.js';

describe('weekly spend summary', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
    expect(h.slack.violations).toEqual([]);
  });

  it('is posted once per ISO week and channel when triggered twice (timer and scheduler)', async () => {
    const monday = new Date('2026-11-23T09:00:00Z');
    const lastWeek = new Date('2026-11-18T10:00:00Z');
    const base = { model: h.config.models.small, cacheReadTokens: 0, cacheWriteTokens: 0, investigationId: 'inv1', tokensCollected: 50_000, tokensSent: 5_000 };
    await h.services.spend.record({ ...base, user: 'U0ALICE', inputTokens: 5_000, outputTokens: 500, costUsd: 0.0085, cacheHit: false, at: lastWeek.toISOString() });
    await h.services.spend.record({ ...base, user: 'U0BOB', inputTokens: 5_000, outputTokens: 500, costUsd: 0, cacheHit: true, at: lastWeek.toISOString() });
    await h.services.spend.recordEvent({ kind: 'closed_by_rules', user: 'U0ALICE', tokensCollected: 40_000, at: lastWeek.toISOString() });

    const client = h.running.app.client;
    const results = await Promise.all([postWeeklySummary(h.services, client, 'C0SUMMARY', monday), postWeeklySummary(h.services, client, 'C0SUMMARY', monday)]);
    expect(results.sort()).toEqual(['already-posted', 'posted']);
    const again = await handleSchedule({ ...h.services, now: () => monday }, client);
    expect(again.result).toBe('already-posted');

    const posts = h.slack.callsTo('chat.postMessage').filter((c) => c.args.channel === 'C0SUMMARY');
    expect(posts).toHaveLength(1);
    const text = textOf(posts[0]!);
    expect(text).toContain('2026-W47');
    expect(text).toContain('<@U0ALICE>');
    expect(text).toContain('Cache hits*\\n1');
    expect(text).toContain('Closed by the rules, 0 tokens*\\n1');
    expect(text).toContain('new this week');
    // Tokens avoided by pruning: collected minus sent, over both analyses.
    expect(text).toContain('90k');
  });

  it('is posted again for another channel in the same week', async () => {
    const result = await postWeeklySummary(h.services, h.running.app.client, 'C0OTHER', new Date('2026-11-23T09:00:00Z'));
    expect(result).toBe('posted');
  });
});
