import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ACTION } from '../../src/slack/blocks/ids.js';
import { actionIds, APPROVER, closeAndCheck, REQUESTER, startHarness, textOf, type Harness } from './harness.js';

/**
 * The same incident asked again in Slack: a second /troubleshoot over another window is another
 * bundle (another sha256) with the same incident fingerprint, so its Analyze reuses the first
 * answer for free, says whose and how old, and offers Analyze fresh, which calls the model.
 */
describe('a reused answer in Slack', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(() => closeAndCheck(h));

  const answers = () => h.slack.callsTo('chat.postMessage').filter((p) => textOf(p).includes('Root cause'));
  const actionMessages = () => h.slack.callsTo('chat.postMessage').filter((p) => actionIds(p.args).includes(ACTION.analyze));

  async function troubleshootAndAnalyze(text: string, user: string, seen: number) {
    await h.command(text);
    const posted = await h.slack.waitFor(() => actionMessages()[seen], 30_000);
    const ts = String(posted.response?.ts);
    const threadTs = String(posted.args.thread_ts);
    const investigationId = String((posted.args.blocks as { elements?: { value?: string }[] }[]).flatMap((b) => b.elements ?? [])[0]?.value);
    await h.click(ACTION.analyze, investigationId, user, { ts, thread_ts: threadTs });
    const answer = await h.slack.waitFor(() => answers()[seen]);
    return { ts, threadTs, investigationId, answer };
  }

  it('serves the second Analyze from the first answer, then analyses fresh when asked', async () => {
    await troubleshootAndAnalyze('api-gw a1b2c3d4e5 prod --since 2h', REQUESTER, 0);
    expect(h.model.calls).toHaveLength(1);

    const second = await troubleshootAndAnalyze('api-gw a1b2c3d4e5 prod --since 3h', APPROVER, 1);
    expect(h.model.calls).toHaveLength(1);
    expect(textOf(second.answer)).toMatch(new RegExp(`Same evidence as (less than a minute|\\d+ minutes?) ago, asked by <@${REQUESTER}>; the error count`));
    expect((await h.ledger.quota.usage(APPROVER)).used).toBe(0);
    const fresh = (second.answer.args.blocks as { elements?: { action_id: string; value: string; text: { text: string } }[] }[]).flatMap((b) => b.elements ?? []).find((e) => e.action_id === ACTION.analyzeFresh);
    expect(fresh?.text.text).toMatch(/^Analyze fresh \(~\$[\d.]+\)$/);

    await h.click(ACTION.analyzeFresh, fresh!.value, APPROVER, { ts: String(second.answer.response?.ts), thread_ts: second.threadTs });
    await h.slack.waitFor(() => answers()[2]);
    expect(h.model.calls).toHaveLength(2);
    expect(textOf(answers()[2]!)).not.toContain('Same evidence as');
    expect((await h.ledger.quota.usage(APPROVER)).used).toBeGreaterThan(0);
    // The action message (not the answer) moved: analysed again, approved by the approver.
    await h.slack.waitFor(() => h.slack.callsTo('chat.update').filter((u) => u.args.ts === second.ts && textOf(u).includes('Analyzed')).length >= 2);
    const week = await h.ledger.spend.spendForWeek(h.ledger.spend.weekOf(new Date()));
    expect(week.spend.filter((r) => r.cacheKind === 'fingerprint')).toHaveLength(1);
  }, 90_000);
});
