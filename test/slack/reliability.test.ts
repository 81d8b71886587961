import { WebClient } from '@slack/web-api';
import { afterEach, describe, expect, it } from 'vitest';
import { PROTECTED_SECTIONS, SECTION_ORDER } from '../../src/bundle/sections.js';
import { FakeBedrock } from '../support/fake-bedrock.js';
import { ACTION, CONTEXT_INPUT, VIEW } from '../../src/slack/blocks/ids.js';
import { JOB_LEASE_SECONDS } from '../../src/slack/jobs/run.js';
import { runTroubleshoot } from '../../src/slack/jobs/troubleshoot.js';
import type { Dispatch, SlackJob } from '../../src/slack/jobs/types.js';
import { handleWorkerEvent } from '../../src/slack/receivers/worker.js';
import { actionIds, APPROVER, bundleUploads, CHANNEL, findActionMessage, REQUESTER, sectionValues, startHarness, textOf, type Harness, closeAndCheck } from './harness.js';

/** A client of the fake Slack, as the worker Lambda builds its own. */
function workerClient(h: Harness): WebClient {
  return new WebClient('xoxb-test-not-a-real-token', { slackApiUrl: h.slack.apiUrl, retryConfig: { retries: 0 } });
}

async function investigate(h: Harness) {
  await h.command('api-gw a1b2c3d4e5 prod');
  return h.slack.waitFor(() => findActionMessage(h.slack), 30_000);
}

function contextSubmission(action: { investigationId: string; ts: string; call: { args: Record<string, unknown> } }, text: string) {
  return {
    callback_id: VIEW.context,
    private_metadata: JSON.stringify({ id: action.investigationId, channel: action.call.args.channel, messageTs: action.ts }),
    state: {
      values: {
        [CONTEXT_INPUT.text.block]: { [CONTEXT_INPUT.text.action]: { type: 'plain_text_input', value: text } },
        ...sectionValues(SECTION_ORDER.filter((name) => !PROTECTED_SECTIONS.has(name))),
      },
    },
  };
}

describe('worker retries (Lambda async invoke, dead-letter queue)', () => {
  let h: Harness;
  afterEach(() => closeAndCheck(h));

  it('re-throws a crash after telling the thread, runs the job again on redelivery, and skips it once done', async () => {
    h = await startHarness();
    const action = await investigate(h);
    const client = workerClient(h);
    const job: SlackJob = { kind: 'download', jobId: 'download-once', investigationId: action.investigationId, user: REQUESTER, channel: CHANNEL, threadTs: action.threadTs };

    const lookup = h.services.app.lookup.bind(h.services.app);
    let crashes = 1;
    h.services.app.lookup = async (id: string) => {
      if (crashes-- > 0) throw new Error('DynamoDB is having a moment');
      return lookup(id);
    };
    await expect(handleWorkerEvent(job, h.services, client)).rejects.toThrow('DynamoDB is having a moment');
    const notice = await h.slack.waitFor(() => h.slack.callsTo('chat.postMessage').find((p) => textOf(p).includes('The download step failed')));
    expect(notice.args.thread_ts).toBe(action.threadTs);
    expect(textOf(notice)).toMatch(/E-[0-9a-f]{8}/);
    expect(bundleUploads(h.slack)).toHaveLength(0);

    // Lambda's retry: the failed attempt gave the job back, so it runs.
    expect(await handleWorkerEvent(job, h.services, client)).toEqual({ ran: true });
    expect(bundleUploads(h.slack)).toHaveLength(1);
    // A duplicate of a completed job does nothing.
    expect(await handleWorkerEvent(job, h.services, client)).toEqual({ ran: false });
    expect(bundleUploads(h.slack)).toHaveLength(1);
  }, 60_000);

  it('runs a job again once a silently dead attempt’s lease has run out, not before', async () => {
    let clock = Date.now();
    h = await startHarness({}, undefined, { now: () => new Date(clock) });
    const action = await investigate(h);
    const client = workerClient(h);
    const job: SlackJob = { kind: 'download', jobId: 'download-timed-out', investigationId: action.investigationId, user: REQUESTER, channel: CHANNEL, threadTs: action.threadTs };
    // An attempt that claimed the job and then died (Lambda timeout): no settle, only its lease.
    expect(await h.app.claimJob(job.jobId, job.kind, JOB_LEASE_SECONDS)).toBe(true);

    expect(await handleWorkerEvent(job, h.services, client)).toEqual({ ran: false });
    clock += (JOB_LEASE_SECONDS + 1) * 1000;
    expect(await handleWorkerEvent(job, h.services, client)).toEqual({ ran: true });
    expect(bundleUploads(h.slack)).toHaveLength(1);
  }, 60_000);
});

describe('an approval never stays stuck', () => {
  let h: Harness;
  afterEach(() => closeAndCheck(h));

  it('gives the approval back when the job cannot be handed on, and a later click works', async () => {
    let failures = 1;
    const flaky = (run: Dispatch): Dispatch => async (job, client) => {
      if (job.kind === 'analyze' && failures-- > 0) throw new Error('Lambda invoke throttled');
      await run(job, client);
    };
    h = await startHarness({}, undefined, { dispatch: flaky });
    const action = await investigate(h);
    await h.click(ACTION.analyze, action.investigationId, REQUESTER, { ts: action.ts, thread_ts: action.threadTs });
    const notice = await h.slack.waitFor(() => h.slack.calls.find((c) => textOf(c).includes('Approving the analysis failed')));
    expect(textOf(notice)).toMatch(/E-[0-9a-f]{8}/);
    const restored = await h.slack.waitFor(() => h.slack.callsTo('chat.update').filter((u) => u.args.ts === action.ts).at(-1));
    expect(actionIds(restored.args)).toContain(ACTION.analyze);
    expect((await h.ledger.investigations.get(action.investigationId))?.state).toBe('pending');

    await h.click(ACTION.analyze, action.investigationId, REQUESTER, { ts: action.ts, thread_ts: action.threadTs });
    await h.slack.waitFor(() => h.slack.callsTo('chat.postMessage').find((p) => textOf(p).includes('Root cause')));
    expect(h.model.calls).toHaveLength(1);
  }, 60_000);

  it('gives the approval back when the job finds the investigation expired', async () => {
    let clock = Date.now();
    // The job runs a day later than the click (a long-delayed retry): the investigation has expired.
    const late = (run: Dispatch): Dispatch => async (job, client) => {
      if (job.kind === 'analyze') clock += 25 * 3_600_000;
      await run(job, client);
    };
    h = await startHarness({}, undefined, { now: () => new Date(clock), dispatch: late });
    const action = await investigate(h);
    await h.click(ACTION.analyze, action.investigationId, REQUESTER, { ts: action.ts, thread_ts: action.threadTs });
    await h.slack.waitFor(() => h.slack.callsTo('chat.postEphemeral').find((c) => textOf(c).includes('expired')));
    expect(h.model.calls).toHaveLength(0);
    clock -= 25 * 3_600_000;
    expect((await h.ledger.investigations.get(action.investigationId))?.state).toBe('pending');
  }, 60_000);

  it('after a larger-model over-quota, shows the original approver again', async () => {
    h = await startHarness({ 'quota.perUser': { [APPROVER]: 1 } });
    const action = await investigate(h);
    await h.click(ACTION.analyze, action.investigationId, REQUESTER, { ts: action.ts, thread_ts: action.threadTs });
    await h.slack.waitFor(() => h.slack.callsTo('chat.update').find((u) => u.args.ts === action.ts && actionIds(u.args).includes(ACTION.analyzeLarge)));
    const before = h.slack.calls.length;
    await h.click(ACTION.analyzeLarge, action.investigationId, APPROVER, { ts: action.ts, thread_ts: action.threadTs });
    await h.slack.waitFor(() => h.slack.callsTo('chat.postEphemeral').find((c) => textOf(c).includes('Nothing was sent or charged')));
    const restored = await h.slack.waitFor(() =>
      h.slack.calls.slice(before).filter((c) => c.method === 'chat.update' && c.args.ts === action.ts && actionIds(c.args).includes(ACTION.analyzeLarge)).at(-1),
    );
    expect(textOf(restored)).toContain(`Analyzed, approved by <@${REQUESTER}>`);
    const stored = await h.ledger.investigations.get(action.investigationId);
    expect(stored?.state).toBe('answered');
    expect(stored?.approvedBy).toBe(REQUESTER);
    expect(h.model.calls).toHaveLength(1);
  }, 60_000);
});

describe('Add context and an approval racing', () => {
  let h: Harness;
  afterEach(() => closeAndCheck(h));

  it('sends the revision the approval pinned; context submitted after it is refused, not applied', async () => {
    let releaseAnalysis: () => void = () => {};
    const held = new Promise<void>((resolve) => (releaseAnalysis = resolve));
    const hold = (run: Dispatch): Dispatch => async (job, client) => {
      if (job.kind === 'analyze') await held;
      await run(job, client);
    };
    h = await startHarness({}, undefined, { dispatch: hold });
    const action = await investigate(h);

    await h.submitView(contextSubmission(action, 'first: only POST /orders fails'), REQUESTER);
    await h.slack.waitFor(() => h.slack.callsTo('chat.update').find((u) => u.args.ts === action.ts && textOf(u).includes('only POST /orders fails')));

    await h.click(ACTION.analyze, action.investigationId, REQUESTER, { ts: action.ts, thread_ts: action.threadTs });
    await h.slack.waitFor(() => h.slack.callsTo('chat.update').find((u) => u.args.ts === action.ts && textOf(u).includes('working on it')));
    const afterApproval = h.slack.calls.length;

    await h.submitView(contextSubmission(action, 'second: actually it is GET /health'), REQUESTER);
    const refused = await h.slack.waitFor(() => h.slack.callsTo('chat.postEphemeral').find((c) => textOf(c).includes('was not applied')));
    expect(refused.args.user).toBe(REQUESTER);
    releaseAnalysis();
    await h.slack.waitFor(() => h.slack.callsTo('chat.postMessage').find((p) => textOf(p).includes('Root cause')));

    const sent = JSON.stringify(h.model.calls);
    expect(sent).toContain('only POST /orders fails');
    expect(sent).not.toContain('GET /health');
    // The buttons never came back from the late edit.
    const laterUpdates = h.slack.calls.slice(afterApproval).filter((c) => c.method === 'chat.update' && c.args.ts === action.ts);
    expect(laterUpdates.every((u) => !actionIds(u.args).includes(ACTION.analyze))).toBe(true);
    expect((await h.app.currentBundle(action.investigationId))?.bundle.text).toContain('only POST /orders fails');
  }, 60_000);
});

describe('an investigation is stored before it is posted', () => {
  let h: Harness;
  afterEach(async () => {
    await h.close();
  });

  it('keeps the investigation downloadable and says so with an error id when posting the coverage fails', async () => {
    h = await startHarness({}, FakeBedrock.answering());
    const client = workerClient(h);
    const postMessage = client.chat.postMessage.bind(client.chat);
    client.chat.postMessage = (async (args: Parameters<typeof postMessage>[0]) => {
      if (JSON.stringify(args).toLowerCase().includes('coverage')) throw new Error('Slack said ratelimited');
      return postMessage(args);
    }) as typeof client.chat.postMessage;
    await runTroubleshoot({ kind: 'troubleshoot', jobId: 'ts-1', request: { restApiId: 'a1b2c3d4e5', stage: 'prod', sinceMs: 7_200_000 }, channel: CHANNEL, user: REQUESTER }, h.services, client);

    const failure = h.slack.callsTo('chat.postMessage').find((p) => textOf(p).includes('The investigation failed'));
    expect(failure).toBeDefined();
    expect(textOf(failure!)).toMatch(/E-[0-9a-f]{8}/);
    const action = findActionMessage(h.slack);
    expect(action).toBeDefined();
    expect(action!.threadTs).toBe(failure!.args.thread_ts);
    const stored = await h.ledger.investigations.get(action!.investigationId);
    expect(stored?.bundle?.text.length).toBeGreaterThan(0);

    await h.click(ACTION.download, action!.investigationId, REQUESTER, { ts: action!.ts, thread_ts: action!.threadTs });
    await h.slack.waitFor(() => bundleUploads(h.slack)[0]);
  }, 60_000);
});
