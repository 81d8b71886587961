import { randomUUID } from 'node:crypto';
import type { WebClient } from '@slack/web-api';
import type { TroubleshootRequest } from '../../core/input.js';
import type { BundleChoices } from '../../core/report.js';
import { actionMessage } from '../blocks/actions.js';
import { coverageMessage } from '../blocks/coverage.js';
import { findingsMessage } from '../blocks/findings.js';
import { parentMessage } from '../blocks/parent.js';
import { progressMessage, type ProgressView } from '../blocks/progress.js';
import type { SlackServices } from '../services.js';
import { actionView } from './action-view.js';
import { reportFailure } from './errors.js';
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
  let threadTs: string | undefined;
  /** The action message of a stored investigation, until it is posted. */
  let storedActions: ReturnType<typeof actionMessage> | undefined;
  try {
    const plan = await services.app.plan(fromJobRequest(job.request));
    const investigationId = newInvestigationId();
    const parent = await client.chat.postMessage({
      channel: job.channel,
      ...parentMessage({ target: plan.target, window: plan.window, requester: job.user, origin: plan.origin, investigationId }),
    });
    threadTs = parent.ts;
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
      },
    });
    await updates.flush({ ...progressView, done: investigation.report.coverage.length, total: investigation.report.coverage.length, finished: true, durationMs: investigation.report.durationMs });

    // Stored first: whatever fails next, the investigation (and its bundle) is there to download.
    const bundle = investigation.report.bundle!;
    await services.app.keep({ id: investigationId, requester: job.user, ref: { channel: job.channel, threadTs: threadTs as string }, investigation, choices });
    const actions = actionMessage(actionView(services, { id: investigationId, bundle, choices, state: 'pending' }));
    storedActions = actions;
    await client.chat.postMessage({ ...inThread, ...coverageMessage(investigation.report.coverage) });
    await client.chat.postMessage({ ...inThread, ...findingsMessage(investigation.report.findings) });
    await client.chat.postMessage({ ...inThread, ...actions });
    storedActions = undefined;
  } catch (err) {
    await reportFailure(services, client, { channel: job.channel, user: job.user, ...(threadTs ? { threadTs } : job.responseUrl ? { responseUrl: job.responseUrl } : {}) }, 'The investigation failed', err);
    if (storedActions && threadTs) {
      // Stored, but its buttons never went out: offer them, so the bundle can still be downloaded.
      await client.chat.postMessage({ channel: job.channel, thread_ts: threadTs, ...storedActions }).catch((postErr: unknown) => {
        services.logger.error({ err: postErr }, 'could not post the action message after a failure');
      });
    }
  }
}
