import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandBody } from '../support/sign.js';
import { CHANNEL, closeAndCheck, findActionMessage, REQUESTER, startHarness, type Harness } from './harness.js';

/** How many parent messages (one per investigation) the bot posted. */
const parents = (h: Harness) => h.slack.callsTo('chat.postMessage').filter((c) => c.args.thread_ts === undefined && String(c.args.text ?? '').includes('a1b2c3d4e5'));

describe('a slash command delivered twice', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => closeAndCheck(h));

  it('starts one investigation for a replayed signed request and for Slack’s own retry', async () => {
    const body = commandBody({ command: '/troubleshoot', text: 'api-gw a1b2c3d4e5 prod', user_id: REQUESTER, channel_id: CHANNEL, trigger_id: 'trigger-dup-1', response_url: h.slack.responseUrl('dup-1'), team_id: 'T0EXAMPLE' });
    const first = await h.post(body);
    const replay = await h.post(body);
    const retry = await h.post(body, { headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' } });
    expect([first.status, replay.status, retry.status]).toEqual([200, 200, 200]);
    await h.slack.waitFor(() => findActionMessage(h.slack), 30_000);
    expect(parents(h)).toHaveLength(1);

    // Another command (a new trigger id) is a new investigation.
    await h.command('api-gw a1b2c3d4e5 prod');
    await h.slack.waitFor(() => (parents(h).length === 2 ? true : undefined), 30_000);
    expect(parents(h)).toHaveLength(2);
  }, 90_000);
});
