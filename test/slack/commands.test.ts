import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { slackSignature } from '../support/sign.js';
import { commandBody } from '../support/sign.js';
import { CHANNEL, REQUESTER, SIGNING_SECRET, startHarness, textOf, type Harness } from './harness.js';

describe('/troubleshoot commands and request verification', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ 'slack.allowedChannels': [CHANNEL, 'C0OTHER'] });
  });
  afterAll(async () => {
    await h.close();
    expect(h.slack.violations).toEqual([]);
  });

  it('answers bad input in the ack, ephemerally, with what is wrong and the usage', async () => {
    const res = await h.command('api-gw NOT-AN-ID');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { response_type: string; text: string; blocks: unknown[] };
    expect(body.response_type).toBe('ephemeral');
    expect(JSON.stringify(body.blocks)).toContain('a REST API id is 10 lowercase letters or digits');
    expect(JSON.stringify(body.blocks)).toContain('Usage:');
    expect(h.slack.callsTo('chat.postMessage')).toHaveLength(0);
  });

  it('rejects an unknown option and an unknown verb the same way', async () => {
    const option = (await (await h.command('api-gw a1b2c3d4e5 --sinse 2h')).json()) as { text: string };
    expect(option.text).toContain('unknown option --sinse');
    const verb = (await (await h.command('reboot prod')).json()) as { text: string };
    expect(verb.text).toContain('unknown command "reboot"');
  });

  it('answers help in the ack', async () => {
    const body = (await (await h.command('help')).json()) as { response_type: string; blocks: unknown[] };
    expect(body.response_type).toBe('ephemeral');
    expect(JSON.stringify(body.blocks)).toContain('/troubleshoot usage');
  });

  it('refuses a channel that is not allowed, clearly', async () => {
    const body = (await (await h.command('api-gw a1b2c3d4e5', REQUESTER, 'C0RANDOM')).json()) as { response_type: string; text: string; blocks: unknown[] };
    expect(body.response_type).toBe('ephemeral');
    expect(body.text).toContain('not enabled in this channel');
    expect(JSON.stringify(body.blocks)).toContain('<#C0INCIDENT>');
  });

  it('reports my quota for today through the response_url', async () => {
    const before = h.slack.responses.length;
    await h.command('usage');
    const response = await h.slack.waitFor(() => h.slack.responses[before]);
    expect(response.body.response_type).toBe('ephemeral');
    expect(JSON.stringify(response.body)).toMatch(/0 of 200k tokens used/);
  });

  it('sends the weekly spend summary now, to me only', async () => {
    await h.command('spend');
    const summary = await h.slack.waitFor(() => h.slack.callsTo('chat.postEphemeral').find((c) => textOf(c).includes('Model spend')));
    expect(summary.args.user).toBe(REQUESTER);
  });

  it('rejects a request with a bad signature (401) and runs nothing', async () => {
    const calls = h.slack.calls.length;
    const body = commandBody({ command: '/troubleshoot', text: 'help', user_id: REQUESTER, channel_id: CHANNEL, trigger_id: 't', response_url: h.slack.responseUrl('x') });
    const res = await h.post(body, { signature: slackSignature('some-other-secret', Math.floor(Date.now() / 1000), body) });
    expect(res.status).toBe(401);
    expect(h.slack.calls.length).toBe(calls);
  });

  it('rejects a correctly signed request with a timestamp older than 5 minutes (401)', async () => {
    const body = commandBody({ command: '/troubleshoot', text: 'help', user_id: REQUESTER, channel_id: CHANNEL, trigger_id: 't', response_url: h.slack.responseUrl('x') });
    const old = Math.floor(Date.now() / 1000) - 10 * 60;
    const res = await h.post(body, { timestamp: old });
    expect(res.status).toBe(401);
    // The same body signed now is accepted: the timestamp alone made the difference.
    expect((await h.post(body)).status).toBe(200);
    expect(SIGNING_SECRET).toBeTruthy();
  });
});
