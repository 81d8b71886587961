import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleSchedule } from '../../src/slack/receivers/schedule.js';
import { dailySpendSvg } from '../../src/slack/summary/chart.js';
import { postWeeklySummary } from '../../src/slack/summary/post.js';
import { startHarness, textOf, type Harness, closeAndCheck } from './harness.js';

describe('weekly spend summary', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => closeAndCheck(h));

  it('is posted once per ISO week and channel when triggered twice (timer and scheduler)', async () => {
    const monday = new Date('2026-11-23T09:00:00Z');
    const lastWeek = new Date('2026-11-18T10:00:00Z');
    const base = { model: h.config.models.small, cacheReadTokens: 0, cacheWriteTokens: 0, investigationId: 'inv1', tokensCollected: 50_000, tokensSent: 5_000 };
    await h.ledger.spend.record({ ...base, user: 'U0ALICE', inputTokens: 5_000, outputTokens: 500, costUsd: 0.0085, cacheHit: false, at: lastWeek.toISOString() });
    await h.ledger.spend.record({ ...base, user: 'U0BOB', inputTokens: 5_000, outputTokens: 500, costUsd: 0, cacheHit: true, at: lastWeek.toISOString() });
    await h.ledger.spend.recordEvent({ kind: 'closed_by_rules', user: 'U0ALICE', tokensCollected: 40_000, at: lastWeek.toISOString() });

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
    expect(text).toContain('Answers from the cache*\\n1 same bundle');
    expect(text).toContain('Closed by the rules, 0 tokens*\\n1 investigation no model was asked about');
    // One model call and one answer from the cache, the same count everywhere.
    expect(text).toContain('1 model call · 1 answer from the cache · 2 answers in all');
    expect(text).toContain('<@U0BOB>: $0 · 0 tokens · 0 model calls + 1 from the cache');
    expect(text).toContain('new this week');
    // Tokens avoided by pruning: collected minus sent, over both analyses.
    expect(text).toContain('90k');
    // The daily chart, rendered without a browser, is uploaded in the summary's thread.
    const chart = await h.slack.waitFor(() => h.slack.callsTo('files.completeUploadExternal')[0]);
    expect(chart.args.thread_ts).toBe(posts[0]?.response?.ts);
    expect(h.slack.uploads[0]?.bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
  });

  it('draws the daily chart as SVG with one bar per day', () => {
    const svg = dailySpendSvg({ week: '2026-W47', daily: [{ day: '2026-11-16', costUsd: 1 }, { day: '2026-11-17', costUsd: 3 }] });
    expect(svg.match(/<rect x=/g)).toHaveLength(2);
    expect(svg).toContain('$3.00');
  });

  it('is posted again for another channel in the same week', async () => {
    const result = await postWeeklySummary(h.services, h.running.app.client, 'C0OTHER', new Date('2026-11-23T09:00:00Z'));
    expect(result).toBe('posted');
  });
});
