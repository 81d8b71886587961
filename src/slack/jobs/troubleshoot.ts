import { randomUUID } from 'node:crypto';
import type { WebClient } from '@slack/web-api';
import type { TroubleshootRequest } from '../../core/input.js';
import type { BundleChoices } from '../../core/report.js';
import { actionMessage } from '../blocks/actions.js';
import { coverageMessage } from '../blocks/coverage.js';
import { findingsMessage } from '../blocks/findings.js';
import { TargetResolutionError, type Plan } from '../../app/index.js';
import type { AlarmTrigger } from '../../core/alarm.js';
import { unresolvedTargetMessage } from '../blocks/notices.js';
import { parentMessage, type ParentView } from '../blocks/parent.js';
import { progressMessage, type ProgressView } from '../blocks/progress.js';
import type { SlackServices } from '../services.js';
import { actionView } from './action-view.js';
import { parentViewOf, permalinks, verdictOf } from './parent-view.js';
import { postToResponseUrl, reportFailure } from './errors.js';
import { throttled } from './progress-throttle.js';
import type { JobRequest, SlackJob } from './types.js';

/** Short, unguessable enough, readable in a message: the only thing a button carries. */
export function newInvestigationId(): string {
  return randomUUID().replace(/-/g, '').slice(0, 16);
}

/**
 * The whole deterministic flow for one `/troubleshoot api-gw …`: parent message, live progress in
 * its thread, then coverage, findings and the action message. No tokens are spent here.
 */
/** The validated request as JSON for the job, and back. */
export function toJobRequest(request: TroubleshootRequest): JobRequest {
  const { until, ...rest } = request;
  return { ...rest, ...(until ? { until: until.toISOString() } : {}) };
}

function fromJobRequest(request: JobRequest): TroubleshootRequest {
  const { until, ...rest } = request;
  return { ...rest, ...(until ? { until: new Date(until) } : {}) };
}

export async function runTroubleshoot(job: Extract<SlackJob, { kind: 'troubleshoot' }>, services: SlackServices, client: WebClient): Promise<void> {
  let plan;
  try {
    plan = await services.app.plan(fromJobRequest(job.request));
  } catch (err) {
    if (err instanceof TargetResolutionError) {
      // Nothing was posted in the channel yet: the person who asked is told, privately, what was tried.
      await tellPrivately(client, job, unresolvedTargetMessage(err.message));
      return;
    }
    await reportFailure(services, client, { channel: job.channel, user: job.user, ...(job.responseUrl ? { responseUrl: job.responseUrl } : {}) }, 'The investigation failed', err);
    return;
  }
  await postInvestigation(job, plan, services, client);
}

/** What an investigation an alarm started brings to the channel flow (see `jobs/alarm.ts`). */
export interface AlarmStart {
  investigationId: string;
  trigger: AlarmTrigger;
  /** The parent an earlier attempt of the same episode posted: updated, not posted again. */
  parentTs?: string;
  onParentPosted(ts: string): Promise<void>;
  /** The trigger as it stands when the verdict is posted (a re-fire or the recovery may have landed). */
  latest(): Promise<AlarmTrigger>;
}

/**
 * Parent message, live progress in its thread, then coverage, findings and the action message,
 * for a planned request: a person's (`user` asked) or an alarm's (`user` is `alarm:<name>`).
 */
export async function postInvestigation(job: { channel: string; user: string; responseUrl?: string }, plan: Plan, services: SlackServices, client: WebClient, alarm?: AlarmStart): Promise<void> {
  let threadTs: string | undefined;
  /** The action message of a stored investigation, until it is posted. */
  let storedActions: ReturnType<typeof actionMessage> | undefined;
  /** The parent as posted: updated in place with the progress, the verdict, or the failure. */
  let parentView: ParentView | undefined;
  const updateParent = async (view: ParentView) => {
    if (!threadTs) return;
    await client.chat.update({ channel: job.channel, ts: threadTs, ...parentMessage(view) });
  };
  try {
    const investigationId = alarm?.investigationId ?? newInvestigationId();
    parentView = {
      target: plan.target,
      window: plan.window,
      requester: job.user,
      origin: plan.origin,
      investigationId,
      status: { kind: 'collecting', done: 0, total: 0 },
      ...(plan.resolution ? { resolution: plan.resolution } : {}),
      ...(alarm ? { alarm: alarm.trigger } : {}),
    };
    if (alarm?.parentTs) {
      threadTs = alarm.parentTs;
      await updateParent(parentView);
    } else {
      const parent = await client.chat.postMessage({ channel: job.channel, ...parentMessage(parentView) });
      threadTs = parent.ts;
      if (alarm && threadTs) await alarm.onParentPosted(threadTs);
    }
    const posted = parentView;
    const inThread = { channel: job.channel, thread_ts: threadTs };
    const progressView: ProgressView = { done: 0, total: 0, recent: [], finished: false };
    const progress = await client.chat.postMessage({ ...inThread, ...progressMessage(progressView) });
    const updates = throttled<ProgressView>(
      async (view) => {
        await client.chat.update({ channel: job.channel, ts: progress.ts as string, ...progressMessage(view) });
      },
      1_000,
      (err) => services.logger.warn({ err }, 'progress update failed'),
    );
    // The channel sees the progress too, less often: chat.update is rate-limited per channel.
    const parentUpdates = throttled<ProgressView>(
      (view) => updateParent({ ...posted, status: { kind: 'collecting', done: view.done, total: view.total } }),
      3_000,
      (err) => services.logger.warn({ err }, 'parent progress update failed'),
    );

    const choices: BundleChoices = { budget: services.config.bundle.budget };
    const investigation = await services.app.troubleshoot(plan, {
      choices,
      onProgress: (event) => {
        if (event.type === 'started') progressView.total = event.total;
        if (event.type !== 'source-finished') return;
        progressView.done = event.done;
        progressView.total = event.total;
        progressView.recent = [event.row.title, ...progressView.recent].slice(0, 3);
        updates.push({ ...progressView });
        parentUpdates.push({ ...progressView });
      },
    });
    // A pending progress update lands now, so it cannot overwrite the verdict posted below.
    await parentUpdates.flush();
    await updates.flush({ ...progressView, done: investigation.report.coverage.length, total: investigation.report.coverage.length, finished: true, durationMs: investigation.report.durationMs });

    // Stored first: whatever fails next, the investigation (and its bundle) is there to download.
    const bundle = investigation.report.bundle!;
    await services.app.keep({ id: investigationId, requester: job.user, ref: { channel: job.channel, threadTs: threadTs as string }, investigation, choices, ...(alarm ? { trigger: await alarm.latest() } : {}) });
    const actions = actionMessage(actionView(services, { id: investigationId, bundle, choices, state: 'pending' }));
    storedActions = actions;
    const coverage = await client.chat.postMessage({ ...inThread, ...coverageMessage(investigation.report.coverage, { investigationId }) });
    const findings = await client.chat.postMessage({ ...inThread, ...findingsMessage(investigation.report.findings, investigation.report.coverage) });
    const actionPost = await client.chat.postMessage({ ...inThread, ...actions });
    storedActions = undefined;
    const links = await permalinks(client, job.channel, [
      { label: 'findings', ts: findings.ts },
      { label: 'coverage', ts: coverage.ts },
      { label: services.app.modelEnabled ? 'analyze' : 'download', ts: actionPost.ts },
    ]);
    const trigger = alarm ? await alarm.latest() : undefined;
    parentView = { ...parentViewOf({ report: investigation.report, requester: job.user, investigationId, ...(trigger ? { trigger } : {}) }), status: verdictOf(investigation.report, services.app.modelEnabled), links };
    await updateParent(parentView).catch((err: unknown) => services.logger.warn({ err }, 'could not show the verdict in the parent message'));
  } catch (err) {
    const errorId = await reportFailure(services, client, { channel: job.channel, user: job.user, ...(threadTs ? { threadTs } : job.responseUrl ? { responseUrl: job.responseUrl } : {}) }, 'The investigation failed', err);
    if (parentView && !storedActions) {
      // The channel must not keep reading "collecting" for a run that stopped.
      await updateParent({ ...parentView, status: { kind: 'failed', errorId } }).catch((updateErr: unknown) => services.logger.warn({ err: updateErr }, 'could not mark the parent as failed'));
    }
    if (storedActions && threadTs) {
      // Stored, but its buttons never went out: offer them, so the bundle can still be downloaded.
      await client.chat.postMessage({ channel: job.channel, thread_ts: threadTs, ...storedActions }).catch((postErr: unknown) => {
        services.logger.error({ err: postErr }, 'could not post the action message after a failure');
      });
    }
  }
}

/** An ephemeral reply through the command's response_url when there is one (works where the bot is not a member). */
async function tellPrivately(client: WebClient, job: Extract<SlackJob, { kind: 'troubleshoot' }>, message: ReturnType<typeof unresolvedTargetMessage>): Promise<void> {
  if (job.responseUrl) await postToResponseUrl(job.responseUrl, { response_type: 'ephemeral', ...message });
  else await client.chat.postEphemeral({ channel: job.channel, user: job.user, ...message });
}
