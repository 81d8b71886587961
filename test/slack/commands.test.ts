import type { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTION, CONTEXT_INPUT, VIEW } from '../../src/slack/blocks/ids.js';
import { runTroubleshoot } from '../../src/slack/jobs/troubleshoot.js';
import { slackSignature } from '../support/sign.js';
import { commandBody } from '../support/sign.js';
import { actionIds, CHANNEL, findActionMessage, REQUESTER, SIGNING_SECRET, startHarness, textOf, tickedSections, type Harness, threadDone } from './harness.js';

/** Everything the bot sent that people in Slack can see: messages, views and response_url replies. */
function everythingSent(h: Harness): string {
  return JSON.stringify([h.slack.calls.map((c) => c.args), h.slack.responses.map((r) => r.body)]);
}

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
    const res = await h.command('api-gw !bad!');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { response_type: string; text: string; blocks: unknown[] };
    expect(body.response_type).toBe('ephemeral');
    expect(JSON.stringify(body.blocks)).toContain('name the API by its id (a1b2c3d4e5), an invoke URL');
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

  it('acks a troubleshoot privately with what is being investigated', async () => {
    const res = await h.command('api-gw a1b2c3d4e5 prod --since 30m');
    const body = (await res.json()) as { response_type: string; text: string };
    expect(body.response_type).toBe('ephemeral');
    expect(body.text).toBe('Investigating `a1b2c3d4e5` (stage prod, last 30m)…');
    await h.slack.waitFor(() => threadDone(h.slack), 30_000);
  }, 60_000);

  it('answers an unknown --account alias in the ack, privately, and posts nothing', async () => {
    const posted = h.slack.callsTo('chat.postMessage').length;
    const body = (await (await h.command('api-gw a1b2c3d4e5 prod --account nosuchalias')).json()) as { response_type: string; text: string };
    expect(body.response_type).toBe('ephemeral');
    expect(body.text).toContain('unknown account "nosuchalias"');
    expect(h.slack.callsTo('chat.postMessage')).toHaveLength(posted);
  });

  it('tells the user through the response_url when the parent message cannot be posted (not in channel)', async () => {
    const notInChannel = Object.assign(new Error('An API error occurred: not_in_channel'), { code: 'slack_webapi_platform_error', data: { ok: false, error: 'not_in_channel' } });
    const refusing = { chat: { postMessage: () => Promise.reject(notInChannel), postEphemeral: () => Promise.reject(notInChannel), update: () => Promise.reject(notInChannel) } } as unknown as WebClient;
    const responseUrl = h.slack.responseUrl('not-in-channel');
    await runTroubleshoot({ kind: 'troubleshoot', jobId: 'j-nic', request: { restApiId: 'a1b2c3d4e5', stage: 'prod', sinceMs: 7_200_000 }, channel: 'C0PRIVATE', user: REQUESTER, responseUrl }, h.services, refusing);
    const reply = h.slack.responses.find((r) => r.url === responseUrl);
    expect(reply?.body.response_type).toBe('ephemeral');
    expect(JSON.stringify(reply?.body)).toContain('/invite @firebreak');
    expect(JSON.stringify(reply?.body)).toMatch(/E-[0-9a-f]{8}/);
  }, 60_000);

  describe('add context', () => {
    let action: NonNullable<ReturnType<typeof findActionMessage>>;
    beforeAll(async () => {
      action = await h.slack.waitFor(() => findActionMessage(h.slack), 30_000);
    });

    async function openForm(): Promise<Record<string, unknown>> {
      const opens = h.slack.callsTo('views.open').length;
      await h.click(ACTION.addContext, action.investigationId, REQUESTER, { ts: action.ts, thread_ts: action.threadTs });
      // The loading modal is opened before anything is read (the trigger id lives 3 s) …
      const loading = await h.slack.waitFor(() => h.slack.callsTo('views.open')[opens]);
      expect((loading.args.view as { blocks: unknown[] }).blocks.length).toBeGreaterThan(0);
      expect(JSON.stringify(loading.args.view)).toContain('Loading');
      // … and the form replaces it in the same modal.
      const viewId = (loading.response?.view as { id: string }).id;
      const form = await h.slack.waitFor(() => h.slack.callsTo('views.update').find((u) => u.args.view_id === viewId));
      expect((form.args.view as { callback_id: string }).callback_id).toBe(VIEW.context);
      return form.args.view as Record<string, unknown>;
    }

    it('never shows a secret from the added context in any message', async () => {
      const form = await openForm();
      const bearer = 'Bearer abcdefghijklmnop0123456789QRSTUVWX';
      const awsKey = 'AKIAIOSFODNN7EXAMPLE';
      const updates = h.slack.callsTo('chat.update').length;
      await h.submitView(
        {
          callback_id: VIEW.context,
          private_metadata: form.private_metadata,
          state: {
            values: {
              [CONTEXT_INPUT.text.block]: { [CONTEXT_INPUT.text.action]: { type: 'plain_text_input', value: `curl sent Authorization: ${bearer} with key ${awsKey}; fails since 10:05` } },
              ...tickedSections(form),
            },
          },
        },
        REQUESTER,
      );
      const revised = await h.slack.waitFor(() => h.slack.callsTo('chat.update').slice(updates).find((u) => u.args.ts === action.ts));
      expect(textOf(revised)).toContain('fails since 10:05');
      expect(textOf(revised)).toContain('REDACTED');
      const sent = everythingSent(h);
      expect(sent).not.toContain(awsKey);
      expect(sent).not.toContain('abcdefghijklmnop0123456789QRSTUVWX');
    }, 60_000);

    it('refuses a submission with every section unticked, under the checkboxes, and changes nothing', async () => {
      const form = await openForm();
      const before = await h.app.currentBundle(action.investigationId);
      const updates = h.slack.callsTo('chat.update').length;
      const res = await h.submitView({ callback_id: VIEW.context, private_metadata: form.private_metadata, state: { values: {} } }, REQUESTER);
      expect(res.status).toBe(200);
      const body = (await res.json()) as { response_action: string; errors: Record<string, string> };
      expect(body.response_action).toBe('errors');
      expect(body.errors[`${CONTEXT_INPUT.sections.block}_0`]).toMatch(/at least one section/);
      expect(h.slack.callsTo('chat.update')).toHaveLength(updates);
      expect((await h.app.currentBundle(action.investigationId))?.revision).toBe(before?.revision);
    }, 60_000);

    it('keeps a short section choice as chosen when the modal is opened again', async () => {
      const form = await openForm();
      const updates = h.slack.callsTo('chat.update').length;
      await h.submitView(
        {
          callback_id: VIEW.context,
          private_metadata: form.private_metadata,
          state: { values: { [`${CONTEXT_INPUT.sections.block}_0`]: { [CONTEXT_INPUT.sections.action]: { type: 'checkboxes', selected_options: [{ value: firstSection(form) }] } } } },
        },
        REQUESTER,
      );
      await h.slack.waitFor(() => h.slack.callsTo('chat.update').slice(updates).find((u) => u.args.ts === action.ts));
      expect((await h.app.currentBundle(action.investigationId))?.choices.sections).toEqual([firstSection(form)]);
      const again = await openForm();
      const ticked = Object.values(tickedSections(again)).flatMap((v) => (Object.values(v)[0] as { selected_options: unknown[] }).selected_options);
      expect(ticked).toEqual([{ value: firstSection(form) }]);
    }, 60_000);

    it('turns the action message into the expired rendering when a click finds the investigation gone', async () => {
      const ts = '1699999999.000100';
      await h.click(ACTION.addContext, 'nosuchinvestigat', REQUESTER, { ts, thread_ts: action.threadTs });
      const expired = await h.slack.waitFor(() => h.slack.callsTo('chat.update').find((u) => u.args.ts === ts));
      expect(textOf(expired)).toContain('expired — run /troubleshoot again');
      expect(actionIds(expired.args)).toEqual([]);
      expect(h.slack.callsTo('views.update').some((u) => JSON.stringify(u.args.view).includes('expired'))).toBe(true);
    });
  });
});

function firstSection(form: Record<string, unknown>): string {
  const groups = Object.values(tickedSections(form));
  return ((Object.values(groups[0] ?? {})[0] as { selected_options: { value: string }[] }).selected_options[0] as { value: string }).value;
}
