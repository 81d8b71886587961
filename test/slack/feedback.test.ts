import { afterEach, describe, expect, it, vi } from 'vitest';
import { feedbackValue, parseFeedbackValue } from '../../src/slack/blocks/feedback.js';
import { ACTION, FEEDBACK_INPUT, VIEW } from '../../src/slack/blocks/ids.js';
import { answersText } from '../../src/slack/blocks/summary.js';
import type { ButtonArgs } from '../../src/slack/listeners/actions/analyze.js';
import { feedbackAction, feedbackSubmitted } from '../../src/slack/listeners/actions/feedback.js';
import { buttonBody, fakeApp, fakeClient, fakeServices } from '../support/fake-app.js';
import { actionIds, BYSTANDER, closeAndCheck, findActionMessage, REQUESTER, startHarness, textOf, type Harness } from './harness.js';

const REF = { investigationId: 'inv1', approvalId: 'inv1:small:0f0e', answeredAt: '2026-11-23T10:00:00.000Z' };

describe('feedback on answers', () => {
  it('round-trips what a button carries', () => {
    expect(parseFeedbackValue(feedbackValue(REF))).toEqual(REF);
    expect(parseFeedbackValue('inv1')).toBeUndefined();
  });

  it('👍 records "right" and thanks the clicker privately', async () => {
    const app = fakeApp({ recordFeedback: vi.fn(async () => undefined) });
    const client = fakeClient();
    const ack = vi.fn(async () => undefined);
    await feedbackAction(fakeServices(app), 'right')({ ack, body: buttonBody('U0BOB', feedbackValue(REF)), client } as unknown as ButtonArgs);
    expect(ack).toHaveBeenCalled();
    expect(app.recordFeedback).toHaveBeenCalledWith({ ...REF, user: 'U0BOB', verdict: 'right' });
    expect(client.chat.postEphemeral).toHaveBeenCalledWith(expect.objectContaining({ user: 'U0BOB', text: expect.stringContaining('Marked right') }));
    expect(client.views.open).not.toHaveBeenCalled();
  });

  it('👎 opens the real-cause modal at once and records "wrong"; the note comes with the submission', async () => {
    const app = fakeApp({ recordFeedback: vi.fn(async () => undefined) });
    const client = fakeClient();
    await feedbackAction(fakeServices(app), 'wrong')({ ack: vi.fn(async () => undefined), body: buttonBody('U0BOB', feedbackValue(REF)), client } as unknown as ButtonArgs);
    const opened = client.views.open.mock.calls[0] as unknown as [{ trigger_id: string; view: { callback_id: string; private_metadata: string } }];
    expect(opened[0]).toMatchObject({ trigger_id: 'trigger-1', view: { callback_id: VIEW.feedback, private_metadata: feedbackValue(REF) } });
    expect(app.recordFeedback).toHaveBeenCalledWith({ ...REF, user: 'U0BOB', verdict: 'wrong' });

    const ack = vi.fn(async () => undefined);
    const view = { private_metadata: feedbackValue(REF), state: { values: { [FEEDBACK_INPUT.block]: { [FEEDBACK_INPUT.action]: { type: 'plain_text_input', value: 'The WAF rule, not the SG' } } } } };
    await feedbackSubmitted(fakeServices(app))({ ack, body: { user: { id: 'U0BOB' } }, view } as never);
    expect(ack).toHaveBeenCalled();
    expect(app.recordFeedback).toHaveBeenLastCalledWith({ ...REF, user: 'U0BOB', verdict: 'wrong', realCause: 'The WAF rule, not the SG' });
  });

  it('says accuracy next to spend', () => {
    expect(answersText({ total: 9, right: 7, wrong: 1 })).toBe('7 of 9 answers marked right (1 wrong)');
    expect(answersText({ total: 0, right: 0, wrong: 0 })).toBe('no answers this week');
  });
});

describe('feedback end to end', () => {
  let h: Harness;
  afterEach(() => closeAndCheck(h));

  it('is stored with the week’s spend and counted in the weekly summary; the last click wins', async () => {
    h = await startHarness();
    await h.command('api-gw a1b2c3d4e5 prod');
    const action = await h.slack.waitFor(() => findActionMessage(h.slack), 30_000);
    await h.click(ACTION.analyze, action.investigationId, REQUESTER, { ts: action.ts, thread_ts: action.threadTs });
    const answer = await h.slack.waitFor(() => h.slack.callsTo('chat.postMessage').find((p) => textOf(p).includes('Root cause')));
    expect(actionIds(answer.args)).toEqual([ACTION.feedbackRight, ACTION.feedbackWrong]);
    const value = ((answer.args.blocks as { block_id?: string; elements?: { value: string }[] }[]).find((b) => b.block_id === 'firebreak_feedback')?.elements ?? [])[0]?.value ?? '';

    await h.click(ACTION.feedbackWrong, value, BYSTANDER, { ts: String(answer.response?.ts), thread_ts: action.threadTs });
    const modal = await h.slack.waitFor(() => h.slack.callsTo('views.open').find((c) => (c.args.view as { callback_id?: string }).callback_id === VIEW.feedback));
    await h.submitView(
      { callback_id: VIEW.feedback, private_metadata: (modal.args.view as { private_metadata: string }).private_metadata, state: { values: { [FEEDBACK_INPUT.block]: { [FEEDBACK_INPUT.action]: { type: 'plain_text_input', value: 'Expired key AKIAIOSFODNN7EXAMPLE in the client' } } } } },
      BYSTANDER,
    );
    const week = h.ledger.spend.weekOf(new Date());
    await expect.poll(async () => (await h.ledger.spend.spendForWeek(week)).feedback?.[0]?.realCause, { timeout: 10_000 }).toBeDefined();
    const [feedback] = (await h.ledger.spend.spendForWeek(week)).feedback ?? [];
    expect(feedback).toMatchObject({ verdict: 'wrong', user: BYSTANDER, investigationId: action.investigationId });
    expect(feedback?.realCause).not.toContain('AKIAIOSFODNN7EXAMPLE');
    expect((await h.app.weeklySummary(new Date(), 'UTC')).answers).toEqual({ total: 1, right: 0, wrong: 1 });

    await h.click(ACTION.feedbackRight, value, REQUESTER, { ts: String(answer.response?.ts), thread_ts: action.threadTs });
    await expect.poll(async () => (await h.app.weeklySummary(new Date(), 'UTC')).answers, { timeout: 10_000 }).toEqual({ total: 1, right: 1, wrong: 0 });
  }, 60_000);
});
