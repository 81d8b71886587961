/**
 * Once per delivery, through Bolt's real receiver: the same shortcut confirmation submitted twice
 * starts one investigation, a replayed Download click (and a double click) uploads one file, a
 * replayed Analyze click approves once, and a request stamped in the future is refused by the
 * signing check (Bolt refuses only old ones).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTION, SHORTCUT_INPUT, VIEW } from '../../src/slack/blocks/ids.js';
import { interactionBody, commandBody } from '../support/sign.js';
import { CHANNEL, closeAndCheck, findActionMessage, REQUESTER, startHarness, type Harness } from './harness.js';

function values(target: string) {
  const entry = (input: { block: string; action: string }, value: string | null) => ({ [input.block]: { [input.action]: { type: 'plain_text_input', value } } });
  return { ...entry(SHORTCUT_INPUT.target, target), ...entry(SHORTCUT_INPUT.stage, 'prod'), ...entry(SHORTCUT_INPUT.since, '2h'), ...entry(SHORTCUT_INPUT.until, null) };
}

/** One button click as Slack delivers it, with a fixed trigger id (posting it twice is a replay). */
function buttonClick(h: Harness, actionId: string, triggerId: string, action: { ts: string; threadTs: string; investigationId: string }): string {
  return interactionBody({
    type: 'block_actions',
    user: { id: REQUESTER, username: 'alice', team_id: 'T0EXAMPLE' },
    team: { id: 'T0EXAMPLE', domain: 'example' },
    api_app_id: 'A0APP',
    token: 'legacy',
    trigger_id: triggerId,
    response_url: h.slack.responseUrl(triggerId),
    container: { type: 'message', message_ts: action.ts, channel_id: CHANNEL, is_ephemeral: false },
    channel: { id: CHANNEL, name: 'incident' },
    message: { type: 'message', ts: action.ts, thread_ts: action.threadTs, text: '' },
    actions: [{ type: 'button', action_id: actionId, block_id: 'firebreak_actions', value: action.investigationId, action_ts: '1714564200.000100' }],
  });
}

/** Uploaded bundles (the thread's metrics chart is an upload too: a PNG). */
const bundles = (h: Harness) => h.slack.uploads.filter((u) => u.bytes.subarray(0, 4).toString('latin1') !== '\x89PNG');

/** Parent messages: one per investigation. */
const parents = (h: Harness) => h.slack.callsTo('chat.postMessage').filter((c) => c.args.thread_ts === undefined);

describe('once per delivery', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ scenario: 'long-night' });
  });
  afterAll(() => closeAndCheck(h));

  it('starts one investigation for the same shortcut confirmation submitted twice (and a replay of it)', async () => {
    const view = { id: 'V0SHORTCUT1', callback_id: VIEW.troubleshootThis, private_metadata: JSON.stringify({ channel: CHANNEL }), state: { values: values('a1b2c3d4e5') } };
    const body = interactionBody({ type: 'view_submission', user: { id: REQUESTER, username: 'alice', team_id: 'T0EXAMPLE' }, team: { id: 'T0EXAMPLE', domain: 'example' }, api_app_id: 'A0APP', token: 'legacy', trigger_id: 'trigger-confirm-1', view: { team_id: 'T0EXAMPLE', type: 'modal', hash: 'h1', ...view } });
    expect((await h.post(body)).status).toBe(200);
    expect((await h.post(body)).status).toBe(200);
    expect((await h.submitView(view, REQUESTER)).status).toBe(200);
    await h.slack.waitFor(() => findActionMessage(h.slack), 30_000);
    // Give a wrongly started second run every chance to show itself.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(parents(h)).toHaveLength(1);
  }, 60_000);

  it('uploads one file for a replayed Download click and for a double click', async () => {
    const action = findActionMessage(h.slack)!;
    const click = buttonClick(h, ACTION.download, 'trigger-download-1', action);
    expect((await h.post(click)).status).toBe(200);
    expect((await h.post(click)).status).toBe(200);
    await h.slack.waitFor(() => bundles(h)[0], 30_000);
    // A second click of the same person (a new delivery) within the minute: told, nothing uploaded.
    await h.click(ACTION.download, action.investigationId, REQUESTER, { ts: action.ts, thread_ts: action.threadTs });
    await h.slack.waitFor(() => h.slack.callsTo('chat.postEphemeral').find((c) => String(c.args.text).includes('already on its way')), 30_000);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(bundles(h)).toHaveLength(1);
  }, 60_000);

  it('approves once for a replayed Analyze click: one model call', async () => {
    const action = findActionMessage(h.slack)!;
    const click = buttonClick(h, ACTION.analyze, 'trigger-analyze-1', action);
    const ephemeralsBefore = h.slack.callsTo('chat.postEphemeral').length;
    expect((await h.post(click)).status).toBe(200);
    expect((await h.post(click)).status).toBe(200);
    await h.slack.waitFor(() => (h.model.calls.length > 0 ? true : undefined), 30_000);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(h.model.calls).toHaveLength(1);
    // The replay said nothing either ("in progress" is for a second person's click).
    expect(h.slack.callsTo('chat.postEphemeral').slice(ephemeralsBefore).filter((c) => String(c.args.text).includes('progress'))).toEqual([]);
  }, 60_000);
});

describe('the signing check refuses requests stamped in the future', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => closeAndCheck(h));

  const command = (trigger: string) => commandBody({ command: '/troubleshoot', text: 'help', user_id: REQUESTER, channel_id: CHANNEL, trigger_id: trigger, response_url: h.slack.responseUrl(trigger), team_id: 'T0EXAMPLE' });

  it('refuses 6 minutes and 1 day ahead; accepts a few seconds of clock skew and the present', async () => {
    const now = Math.floor(Date.now() / 1000);
    expect((await h.post(command('t-future-6m'), { timestamp: now + 6 * 60 })).status).toBe(401);
    expect((await h.post(command('t-future-1d'), { timestamp: now + 86_400 })).status).toBe(401);
    expect((await h.post(command('t-skew'), { timestamp: now + 20 })).status).toBe(200);
    expect((await h.post(command('t-now'))).status).toBe(200);
    // Bolt still refuses old ones.
    expect((await h.post(command('t-old'), { timestamp: now - 6 * 60 })).status).toBe(401);
  });
});
