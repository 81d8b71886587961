import { expect } from 'vitest';
import { pino } from 'pino';
import { loadConfig, type Config } from '../../src/config.js';
import { CONTEXT_INPUT } from '../../src/slack/blocks/ids.js';
import { FakeBedrock } from '../support/fake-bedrock.js';
import { createFirebreak, type FirebreakInstance } from '../../src/app/index.js';
import type { Ledger } from '../../src/ledger/ledger.js';
import { startSlackApp, type RunningSlackApp } from '../../src/slack/app.js';
import { inProcessDispatch } from '../../src/slack/jobs/run.js';
import type { Dispatch } from '../../src/slack/jobs/types.js';
import { createSlackServices } from '../../src/slack/services-factory.js';
import type { SlackServices } from '../../src/slack/services.js';
import { startFakeSlack, type FakeSlack, type RecordedCall } from '../support/fake-slack.js';
import { commandBody, interactionBody, signedRequest } from '../support/sign.js';

export const SIGNING_SECRET = 'test-signing-secret-not-real';
export const CHANNEL = 'C0INCIDENT';
export const REQUESTER = 'U0ALICE';
export const APPROVER = 'U0APPROVER';
export const BYSTANDER = 'U0BOB';

/**
 * One bot as it runs in production (Bolt's HTTP receiver on loopback, real ledger on dynalite,
 * the sandbox engine, FakeBedrock as the model), talking to a fake Slack Web API.
 */
export interface Harness {
  slack: FakeSlack;
  services: SlackServices;
  /** The application the bot runs on, and its ledger: for assertions on stored state. */
  app: FirebreakInstance;
  ledger: Ledger;
  config: Config;
  model: FakeBedrock;
  running: RunningSlackApp;
  url: string;
  post(body: string, options?: { timestamp?: number; signature?: string; headers?: Record<string, string> }): Promise<Response>;
  command(text: string, user?: string, channel?: string): Promise<Response>;
  click(actionId: string, value: string, user: string, message: { ts: string; thread_ts?: string }): Promise<Response>;
  submitView(view: Record<string, unknown>, user: string): Promise<Response>;
  close(): Promise<void>;
}

let triggerSeq = 0;

export async function startHarness(
  overrides: Record<string, unknown> = {},
  model: FakeBedrock = FakeBedrock.answering(),
  options: { now?: () => Date; /** Wraps the in-process dispatch (e.g. to make it fail). */ dispatch?: (run: Dispatch) => Dispatch } = {},
): Promise<Harness> {
  const slack = await startFakeSlack();
  const config = loadConfig(
    {},
    {
      scenario: 'healthy',
      logLevel: 'silent',
      'slack.botToken': 'xoxb-test-not-a-real-token',
      'slack.signingSecret': SIGNING_SECRET,
      'slack.slackApiUrl': slack.apiUrl,
      'slack.approvers': [APPROVER],
      'slack.summary.channel': 'C0SUMMARY',
      'ledger.embedded': true,
      'models.enabled': true,
      ...overrides,
    },
  );
  const app = await createFirebreak(config, { modelClient: model, ...(options.now ? { now: options.now } : {}) });
  const services = await createSlackServices(config, { app, logger: pino({ level: 'silent' }), ...(options.now ? { now: options.now } : {}) });
  const ledger = await app.ledger();
  // Jobs run in process as in production; tracked so `close` waits for the thread to settle
  // instead of pulling the fake Slack away from a job mid-way.
  const inFlight = new Set<Promise<void>>();
  const inProcess = inProcessDispatch(services);
  const run = options.dispatch ? options.dispatch(inProcess) : inProcess;
  const dispatch: typeof run = (job, client) => {
    const promise = run(job, client).finally(() => inFlight.delete(promise));
    inFlight.add(promise);
    return promise;
  };
  const running = await startSlackApp(config, services, { host: '127.0.0.1', port: 0, timer: false, dispatch });
  const url = `http://127.0.0.1:${running.port}/slack/events`;

  const post: Harness['post'] = async (body, options = {}) => {
    const signed = signedRequest(SIGNING_SECRET, body, options.timestamp === undefined ? {} : { timestamp: options.timestamp });
    const headers = { ...signed.headers, ...(options.signature ? { 'x-slack-signature': options.signature } : {}), ...options.headers };
    return fetch(url, { method: 'POST', headers, body });
  };
  return {
    slack,
    services,
    app,
    ledger,
    config,
    model,
    running,
    url,
    post,
    command: (text, user = REQUESTER, channel = CHANNEL) =>
      post(
        commandBody({
          command: '/troubleshoot',
          text,
          user_id: user,
          user_name: user.toLowerCase(),
          channel_id: channel,
          channel_name: 'incident',
          team_id: 'T0EXAMPLE',
          trigger_id: `trigger-${++triggerSeq}`,
          response_url: slack.responseUrl(`cmd-${triggerSeq}`),
          token: 'legacy-verification-token',
        }),
      ),
    click: (actionId, value, user, message) =>
      post(
        interactionBody({
          type: 'block_actions',
          user: { id: user, username: user.toLowerCase(), team_id: 'T0EXAMPLE' },
          team: { id: 'T0EXAMPLE', domain: 'example' },
          api_app_id: 'A0APP',
          token: 'legacy-verification-token',
          trigger_id: `trigger-${++triggerSeq}`,
          response_url: slack.responseUrl(`act-${triggerSeq}`),
          container: { type: 'message', message_ts: message.ts, channel_id: CHANNEL, is_ephemeral: false },
          channel: { id: CHANNEL, name: 'incident' },
          message: { type: 'message', ts: message.ts, ...(message.thread_ts ? { thread_ts: message.thread_ts } : {}), text: '' },
          actions: [{ type: 'button', action_id: actionId, block_id: 'firebreak_actions', value, action_ts: String(Date.now() / 1000) }],
        }),
      ),
    submitView: (view, user) =>
      post(
        interactionBody({
          type: 'view_submission',
          user: { id: user, username: user.toLowerCase(), team_id: 'T0EXAMPLE' },
          team: { id: 'T0EXAMPLE', domain: 'example' },
          api_app_id: 'A0APP',
          token: 'legacy-verification-token',
          trigger_id: `trigger-${++triggerSeq}`,
          view: { id: 'V0MODAL', team_id: 'T0EXAMPLE', type: 'modal', hash: 'h', ...view },
        }),
      ),
    async close() {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
      await running.stop();
      await app.close();
      await slack.close();
    },
  };
}

/** The action message posted in the thread: its ts, and the investigation id its buttons carry. */
export function findActionMessage(slack: FakeSlack): { ts: string; threadTs: string; investigationId: string; call: RecordedCall } | undefined {
  const index = slack.calls.findIndex((c) => c.method === 'chat.postMessage' && JSON.stringify(c.args.blocks ?? '').includes('firebreak_actions'));
  if (index < 0) return undefined;
  const call = slack.calls[index] as RecordedCall;
  const ts = String(call.response?.ts);
  const value = buttonValues(call.args)[0] ?? '';
  return { ts, threadTs: String(call.args.thread_ts), investigationId: value, call };
}

/** Bundles uploaded (the Download button), not the incident chart the thread carries. */
export function bundleUploads(slack: FakeSlack): FakeSlack['uploads'] {
  return slack.uploads.filter((u) => u.bytes.subarray(1, 4).toString('latin1') !== 'PNG');
}

/** The whole thread is posted: the coverage message comes last (findings → chart → approval → coverage). */
export function threadDone(slack: FakeSlack): RecordedCall | undefined {
  return slack.calls.find((c) => c.method === 'chat.postMessage' && String(c.args.text ?? '').startsWith('Coverage:'));
}

export function buttonValues(args: Record<string, unknown>): string[] {
  const blocks = (args.blocks ?? []) as { type: string; elements?: { value?: string }[] }[];
  return blocks.filter((b) => b.type === 'actions').flatMap((b) => (b.elements ?? []).map((e) => e.value ?? ''));
}

export function actionIds(args: Record<string, unknown>): string[] {
  const blocks = (args.blocks ?? []) as { type: string; elements?: { action_id?: string }[] }[];
  return blocks.filter((b) => b.type === 'actions').flatMap((b) => (b.elements ?? []).map((e) => e.action_id ?? ''));
}

export function textOf(call: RecordedCall): string {
  return `${String(call.args.text ?? '')}\n${JSON.stringify(call.args.blocks ?? [])}`;
}

/**
 * The checkbox state Slack submits for a modal left as opened: every initially ticked section, per
 * checkbox group (block id → action id → selected options).
 */
export function tickedSections(view: Record<string, unknown>): Record<string, Record<string, unknown>> {
  const blocks = (view.blocks ?? []) as { block_id?: string; element?: { type?: string; action_id?: string; initial_options?: { value: string }[] } }[];
  const values: Record<string, Record<string, unknown>> = {};
  for (const block of blocks) {
    if (block.element?.type !== 'checkboxes' || !block.block_id || !block.element.action_id) continue;
    values[block.block_id] = { [block.element.action_id]: { type: 'checkboxes', selected_options: (block.element.initial_options ?? []).map((o) => ({ value: o.value })) } };
  }
  return values;
}

/** The checkbox state for the given section names, grouped as the modal groups them (10 a group). */
export function sectionValues(names: string[]): Record<string, Record<string, unknown>> {
  const values: Record<string, Record<string, unknown>> = {};
  for (let i = 0; i * 10 < names.length; i++) {
    values[`${CONTEXT_INPUT.sections.block}_${i}`] = {
      [CONTEXT_INPUT.sections.action]: { type: 'checkboxes', selected_options: names.slice(i * 10, i * 10 + 10).map((value) => ({ value })) },
    };
  }
  return values;
}

/** Closes a harness and fails the test if any message or view broke a Block Kit limit. */
export async function closeAndCheck(h: Harness): Promise<void> {
  await h.close();
  expect(h.slack.violations).toEqual([]);
}
