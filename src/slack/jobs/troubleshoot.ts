import { randomUUID } from 'node:crypto';
import type { WebClient } from '@slack/web-api';
import type { TroubleshootRequest } from '../../core/input.js';
import type { BundleChoices } from '../../core/report.js';
import { actionMessage } from '../blocks/actions.js';
import { coverageMessage } from '../blocks/coverage.js';
import { findingsMessage } from '../blocks/findings.js';
import { incidentChartPng, incidentChartTitle, TargetNotFoundError, TargetResolutionError, WindowError, type Plan } from '../../app/index.js';
import type { AlarmTrigger } from '../../core/alarm.js';
import type { Report } from '../../core/report.js';
import { USAGE } from '../../core/input.js';
import { badInputMessage, unresolvedTargetMessage } from '../blocks/notices.js';
import { parentMessage, type ParentView } from '../blocks/parent.js';
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

/** The validated request as JSON for the job, and back. */
export function toJobRequest(request: TroubleshootRequest): JobRequest {
  const { since, until, ...rest } = request;
  return { ...rest, ...(since ? { since: since.toISOString() } : {}), ...(until ? { until: until.toISOString() } : {}) };
}

function fromJobRequest(request: JobRequest): TroubleshootRequest {
  const { since, until, ...rest } = request;
  return { ...rest, ...(since ? { since: new Date(since) } : {}), ...(until ? { until: new Date(until) } : {}) };
}

export async function runTroubleshoot(job: Extract<SlackJob, { kind: 'troubleshoot' }>, services: SlackServices, client: WebClient): Promise<void> {
  let plan;
  try {
    plan = await services.app.plan(fromJobRequest(job.request));
  } catch (err) {
    // Nothing was posted in the channel yet: the person who asked is told, privately, what was
    // tried (an API, account or region that cannot be read) or why the window cannot be read.
    if (err instanceof WindowError) await tellPrivately(client, job, badInputMessage(err.message, USAGE.until));
    else if (err instanceof TargetResolutionError) await tellPrivately(client, job, unresolvedTargetMessage(err.message, err instanceof TargetNotFoundError ? err.details : undefined));
    else await reportFailure(services, client, { channel: job.channel, user: job.user, ...(job.responseUrl ? { responseUrl: job.responseUrl } : {}) }, 'The investigation failed', err);
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
 * Parent message (with the progress), then findings, the chart, the action message and coverage in
 * its thread, for a planned request: a person's (`user` asked; `threadTs`: the thread of the message
 * "Troubleshoot this" was started from) or an alarm's (`user` is `alarm:<name>`).
 */
export async function postInvestigation(job: { channel: string; user: string; responseUrl?: string; threadTs?: string }, plan: Plan, services: SlackServices, client: WebClient, alarm?: AlarmStart): Promise<void> {
  /** The parent message; the thread is the parent's own, or the alarm message's the shortcut was started from. */
  let parentTs: string | undefined;
  let threadTs: string | undefined;
  /** The action message of a stored investigation, until it is posted. */
  let storedActions: ReturnType<typeof actionMessage> | undefined;
  /** The parent as posted: updated in place with the progress, the verdict, or the failure. */
  let parentView: ParentView | undefined;
  const updateParent = async (view: ParentView) => {
    if (!parentTs) return;
    await client.chat.update({ channel: job.channel, ts: parentTs, ...parentMessage(view) });
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
      parentTs = alarm.parentTs;
      await updateParent(parentView);
    } else {
      const parent = await client.chat.postMessage({ channel: job.channel, ...(job.threadTs ? { thread_ts: job.threadTs } : {}), ...parentMessage(parentView) });
      parentTs = parent.ts;
      if (alarm && parentTs) await alarm.onParentPosted(parentTs);
    }
    threadTs = job.threadTs ?? parentTs;
    const posted = parentView;
    const inThread = { channel: job.channel, thread_ts: threadTs as string };
    // The progress lives in the parent only (the thread opens on the findings), updated at most
    // every two seconds: chat.update is rate-limited per channel.
    const progress = { done: 0, total: 0, recent: [] as string[] };
    const parentUpdates = throttled<typeof progress>(
      (view) => updateParent({ ...posted, status: { kind: 'collecting', ...view } }),
      2_000,
      (err) => services.logger.warn({ err }, 'parent progress update failed'),
    );

    const choices: BundleChoices = { budget: services.config.bundle.budget };
    const investigation = await services.app.troubleshoot(plan, {
      choices,
      onProgress: (event) => {
        if (event.type === 'started') progress.total = event.total;
        if (event.type !== 'source-finished') return;
        progress.done = event.done;
        progress.total = event.total;
        progress.recent = [event.row.title, ...progress.recent].slice(0, 3);
        parentUpdates.push({ ...progress, recent: [...progress.recent] });
      },
    });
    // A pending progress update lands now, so it cannot overwrite the verdict posted below.
    await parentUpdates.flush();

    // Stored first: whatever fails next, the investigation (and its bundle) is there to download.
    const { report } = investigation;
    const bundle = report.bundle!;
    await services.app.keep({ id: investigationId, requester: job.user, ref: { channel: job.channel, threadTs: threadTs as string, parentTs: parentTs as string }, investigation, choices, ...(alarm ? { trigger: await alarm.latest() } : {}) });
    const verdict = verdictOf(report, services.app.modelEnabled);
    const actions = actionMessage(await actionView(services, { id: investigationId, bundle, choices, state: 'pending', ...(verdict.kind === 'verdict' ? { verdict: verdict.verdict.kind } : {}) }));
    storedActions = actions;
    // The thread, phone first: what is wrong and how to fix it, the picture, the approval, then what was read.
    const findings = await client.chat.postMessage({ ...inThread, ...findingsMessage(report.findings, report.coverage, { target: report.target, ...(report.given ? { given: report.given } : {}) }) });
    await postChart(services, client, inThread, investigationId, report);
    const actionPost = await client.chat.postMessage({ ...inThread, ...actions });
    storedActions = undefined;
    const coverage = await client.chat.postMessage({ ...inThread, ...coverageMessage(report.coverage, { investigationId, findings: report.findings }) });
    const links = await permalinks(client, job.channel, [
      { label: 'findings', ts: findings.ts },
      { label: services.app.modelEnabled ? 'analyze' : 'download', ts: actionPost.ts },
      { label: 'coverage', ts: coverage.ts },
    ]);
    const trigger = alarm ? await alarm.latest() : undefined;
    parentView = { ...parentViewOf({ report, requester: job.user, investigationId, ...(trigger ? { trigger } : {}) }), status: verdict, links };
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

/**
 * The picture of the incident in the thread: requests, 4xx, 5xx and p99 over the window with the
 * onset marked. A convenience: without traffic counts, or if the upload fails, the thread reads the same.
 */
async function postChart(services: SlackServices, client: WebClient, where: { channel: string; thread_ts: string }, investigationId: string, report: Report): Promise<void> {
  try {
    const png = report.traffic ? await incidentChartPng(report) : undefined;
    if (!png) return;
    await client.filesUploadV2({
      channel_id: where.channel,
      thread_ts: where.thread_ts,
      file: png,
      filename: `firebreak-${investigationId}-traffic.png`,
      title: incidentChartTitle(report),
    });
  } catch (err) {
    services.logger.warn({ err }, 'incident chart not attached');
  }
}

/** An ephemeral reply through the command's response_url when there is one (works where the bot is not a member). */
async function tellPrivately(client: WebClient, job: Extract<SlackJob, { kind: 'troubleshoot' }>, message: ReturnType<typeof unresolvedTargetMessage>): Promise<void> {
  if (job.responseUrl) await postToResponseUrl(job.responseUrl, { response_type: 'ephemeral', ...message });
  else await client.chat.postEphemeral({ channel: job.channel, user: job.user, ...(job.threadTs ? { thread_ts: job.threadTs } : {}), ...message });
}
