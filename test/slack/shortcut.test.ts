import { afterEach, describe, expect, it, vi } from 'vitest';
import { extractTarget, messageText } from '../../src/core/extract-target.js';
import { SHORTCUT_INPUT, VIEW } from '../../src/slack/blocks/ids.js';
import type { SlackJob } from '../../src/slack/jobs/types.js';
import { troubleshootThisShortcut, troubleshootThisSubmitted } from '../../src/slack/listeners/shortcuts/troubleshoot-this.js';
import { foundText, runPropose } from '../../src/slack/jobs/propose.js';
import { createFirebreak } from '../../src/app/index.js';
import { loadConfig } from '../../src/config.js';
import { ALARM_FIXTURES } from '../../src/preview/alarm-fixtures.js';
import { interactionBody } from '../support/sign.js';
import { fakeApp, fakeClient, fakeServices } from '../support/fake-app.js';
import { closeAndCheck, findActionMessage, REQUESTER, startHarness, textOf, type Harness } from './harness.js';

/** A CloudWatch alarm as Amazon Q / SNS posts it: the details are in an attachment. */
const ALARM = {
  text: '',
  attachments: [
    {
      fallback: 'ALARM: "orders-5xx" in US East (N. Virginia)',
      title: 'ALARM: "orders-5xx" in US East (N. Virginia)',
      text: 'Threshold Crossed: 1 datapoint [42.0] was greater than the threshold (5.0).\nState Change Time: 2024-05-01T11:50:00.000+0000\nDimensions: ApiName = shop-api, Stage = prod',
    },
  ],
};

function values(v: { target?: string; stage?: string; since?: string; until?: string }) {
  const entry = (input: { block: string; action: string }, value?: string) => ({ [input.block]: { [input.action]: { type: 'plain_text_input', value: value ?? null } } });
  return { ...entry(SHORTCUT_INPUT.target, v.target), ...entry(SHORTCUT_INPUT.stage, v.stage), ...entry(SHORTCUT_INPUT.since, v.since), ...entry(SHORTCUT_INPUT.until, v.until) };
}

describe('reading a message', () => {
  it('finds the API name, stage and time in an alarm notification', () => {
    expect(extractTarget(messageText(ALARM))).toMatchObject({ target: 'shop-api', stage: 'prod', at: new Date('2024-05-01T11:50:00Z') });
  });

  it('prefers a link: an invoke URL or a console link, as Slack wraps them', () => {
    expect(extractTarget('500s from <https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/prod/orders|the orders API> since 09:58')).toMatchObject({
      target: 'https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/prod/orders',
      stage: 'prod',
      region: 'us-east-1',
    });
    expect(extractTarget('see https://us-east-1.console.aws.amazon.com/apigateway/main/apis/a1b2c3d4e5/resources?api=a1b2c3d4e5&region=us-east-1.').target).toMatch(/api=a1b2c3d4e5&region=us-east-1$/);
    expect(extractTarget('nothing useful here')).toEqual({ candidates: [] });
  });
});

describe('Troubleshoot this listeners', () => {
  it('opens a modal at once, then a job shows what the message names once a read confirmed it (window ending 15 minutes after the alarm)', async () => {
    const client = fakeClient();
    const ack = vi.fn(async () => undefined);
    const dispatch = vi.fn(async () => undefined);
    await troubleshootThisShortcut(fakeServices(), dispatch)({ ack, shortcut: { trigger_id: 't1', user: { id: 'U1' }, channel: { id: 'C1' }, message: { ...ALARM, ts: '1714564200.000100' } }, client } as never);
    expect(ack).toHaveBeenCalled();
    const opened = client.views.open.mock.calls[0] as unknown as [{ trigger_id: string; view: { callback_id: string; private_metadata: string } }];
    expect(opened[0].trigger_id).toBe('t1');
    expect(opened[0].view.callback_id).toBe(VIEW.troubleshootThis);
    expect(JSON.parse(opened[0].view.private_metadata)).toEqual({ channel: 'C1', threadTs: '1714564200.000100' });
    // The listener reads the message (linear, capped) and hands the reads to a job: the Lambda front only acks.
    const job = (dispatch.mock.calls[0] as unknown as [Extract<SlackJob, { kind: 'propose' }>])[0];
    expect(job).toMatchObject({ kind: 'propose', viewId: 'V1', channel: 'C1', threadTs: '1714564200.000100', found: { target: 'shop-api', stage: 'prod', at: '2024-05-01T11:50:00.000Z' } });

    const app = fakeApp({ proposeTarget: vi.fn(async () => ({ target: 'shop-api', stage: 'prod', confirmed: true, note: 'REST API a1b2c3d4e5 in account 111111111111, us-east-1 (resolved shop-api → a1b2c3d4e5 via API name)', rejected: [{ text: '7f3a9c2b1e', why: 'no API 7f3a9c2b1e in account 111111111111, us-east-1' }] })) });
    await runPropose(job, fakeServices(app), client as never);
    const updated = client.views.update.mock.calls[0] as unknown as [{ view_id: string; view: { blocks: unknown[]; private_metadata: string } }];
    expect(updated[0].view_id).toBe('V1');
    expect(JSON.parse(updated[0].view.private_metadata)).toEqual({ channel: 'C1', threadTs: '1714564200.000100' });
    const text = JSON.stringify(updated[0].view.blocks);
    expect(text).toContain('"initial_value":"shop-api"');
    expect(text).toContain('"initial_value":"prod"');
    expect(text).toContain('"initial_value":"2024-05-01T12:05:00Z"');
    expect(text).toContain(':white_check_mark: REST API a1b2c3d4e5');
    expect(text).toContain('_Not an API:_ `7f3a9c2b1e`');
    expect((app.proposeTarget as ReturnType<typeof vi.fn>).mock.calls[0]?.[0]).toMatchObject({ candidates: [{ text: 'shop-api', kind: 'name' }], stage: 'prod', at: new Date('2024-05-01T11:50:00Z') });
  });

  it('refuses what the grammar refuses, in the modal, and dispatches the troubleshoot job otherwise', async () => {
    const dispatch = vi.fn(async () => undefined);
    const submit = troubleshootThisSubmitted(fakeServices(fakeApp()), dispatch);
    const bad = vi.fn(async () => undefined);
    await submit({ ack: bad, body: { user: { id: 'U1' } }, view: { private_metadata: '{"channel":"C1"}', state: { values: values({ target: 'a1b2c3d4e5', since: 'yesterday' }) } }, client: fakeClient() } as never);
    expect(bad).toHaveBeenCalledWith({ response_action: 'errors', errors: { [SHORTCUT_INPUT.target.block]: expect.stringContaining('--since') } });
    expect(dispatch).not.toHaveBeenCalled();
    const ok = vi.fn(async () => undefined);
    await submit({ ack: ok, body: { user: { id: 'U1' } }, view: { private_metadata: '{"channel":"C1"}', state: { values: values({ target: 'shop-api', stage: 'prod', since: '2h', until: '2024-05-01T12:05:00Z' }) } }, client: fakeClient() } as never);
    expect(ok).toHaveBeenCalledWith();
    expect(dispatch).toHaveBeenCalledWith(expect.objectContaining({ kind: 'troubleshoot', channel: 'C1', user: 'U1', request: expect.objectContaining({ restApiId: 'shop-api', stage: 'prod', until: '2024-05-01T12:05:00.000Z' }) }), expect.anything());
  });
});

describe('the preview’s alarm fixtures: three time formats, confirmed by a read', () => {
  it.each(ALARM_FIXTURES.map((f) => [f.id, f] as const))('%s: the time, and the API a read confirmed (a request id is refused)', async (_id, fixture) => {
    const found = extractTarget(messageText(fixture));
    expect(found.at?.toISOString()).toBe(fixture.expect.at);
    const app = await createFirebreak(loadConfig({}, { scenario: 'long-night', logLevel: 'silent', 'ledger.embedded': true }));
    try {
      const proposal = await app.proposeTarget(found);
      expect(proposal).toMatchObject({ target: fixture.expect.target, confirmed: true });
      if (fixture.expect.rejects) expect(proposal.rejected.map((r) => r.text)).toContain(fixture.expect.rejects);
      if (fixture.expect.rejects) expect(proposal.rejected.find((r) => r.text === fixture.expect.rejects)?.why).toContain('no API 7f3a9c2b1e in account 111111111111, us-east-1');
    } finally {
      await app.close();
    }
  }, 30_000);

  it('a message naming only a request id proposes nothing, and says why', async () => {
    const app = await createFirebreak(loadConfig({}, { scenario: 'long-night', logLevel: 'silent', 'ledger.embedded': true }));
    try {
      const found = extractTarget('502s, request id 7f3a9c2b1e');
      expect(found.candidates.map((c) => c.text)).toEqual(['7f3a9c2b1e']);
      const proposal = await app.proposeTarget(found);
      expect(proposal).toMatchObject({ confirmed: false, rejected: [{ text: '7f3a9c2b1e' }] });
      expect(proposal.target).toBeUndefined();
      expect(foundText(found, proposal)).toContain('*No API in the message could be confirmed:* name it below.');
    } finally {
      await app.close();
    }
  }, 30_000);
});

describe('Troubleshoot this, end to end', () => {
  let h: Harness;
  afterEach(() => closeAndCheck(h));

  it('from an alarm message to the investigation of the API it names, resolved by name', async () => {
    h = await startHarness({ scenario: 'long-night' });
    await h.post(
      interactionBody({
        type: 'message_action',
        callback_id: 'firebreak_troubleshoot_this',
        trigger_id: 'trigger-shortcut',
        action_ts: '1714564200.000100',
        message_ts: '1714564200.000100',
        response_url: h.slack.responseUrl('shortcut'),
        user: { id: REQUESTER, username: 'alice', team_id: 'T0EXAMPLE' },
        team: { id: 'T0EXAMPLE', domain: 'example' },
        channel: { id: 'C0INCIDENT', name: 'incident' },
        message: { type: 'message', ts: '1714564200.000100', ...ALARM },
        token: 'legacy',
      }),
    );
    const opened = await h.slack.waitFor(() => h.slack.callsTo('views.open').find((c) => (c.args.view as { callback_id?: string }).callback_id === VIEW.troubleshootThis));
    const view = opened.args.view as { private_metadata: string };
    await h.submitView({ callback_id: VIEW.troubleshootThis, private_metadata: view.private_metadata, state: { values: values({ target: 'shop-api', stage: 'prod', since: '2h', until: '2024-05-01T12:05:00Z' }) } }, REQUESTER);
    // Everything goes in the alarm message's thread: the parent first.
    const parent = await h.slack.waitFor(() => h.slack.callsTo('chat.postMessage').find((c) => textOf(c).includes('Troubleshooting')), 30_000);
    expect(textOf(parent)).toContain('resolved shop-api → a1b2c3d4e5 / prod via API name');
    expect(parent.args.channel).toBe('C0INCIDENT');
    expect(parent.args.thread_ts).toBe('1714564200.000100');
    await h.slack.waitFor(() => findActionMessage(h.slack), 30_000);
    expect(h.slack.callsTo('chat.postMessage').every((c) => c.args.thread_ts === '1714564200.000100')).toBe(true);
  }, 60_000);
});
