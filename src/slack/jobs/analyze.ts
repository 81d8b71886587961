import type { WebClient } from '@slack/web-api';
import { AnalysisInProgressError, type AnalysisResult, type CurrentBundle, modelDisplayName, QuotaExceededError } from '../../app/index.js';
import { actionMessage } from '../blocks/actions.js';
import { answerMessage } from '../blocks/answer.js';
import { expiredMessage, overQuotaMessage } from '../blocks/notices.js';
import type { SlackServices } from '../services.js';
import { parentMessage } from '../blocks/parent.js';
import { actionView } from './action-view.js';
import { parentViewOf, permalinks, verdictOf } from './parent-view.js';
import { releaseApproval, type Approval } from './approval.js';
import { reportFailure } from './errors.js';
import type { SlackJob } from './types.js';

type AnalyzeJob = Extract<SlackJob, { kind: 'analyze' }>;

/**
 * Sends the approved bundle to the model and posts the answer. The approval (the conditional
 * state move that stops a double click) already happened in the listener; the quota is charged
 * inside `analyze`, idempotently per approval id, so a redelivered job never charges twice.
 * Anything that stops the analysis before the model answered gives the approval back (the
 * Analyze button returns), so a later click can try again.
 */
export async function runAnalyze(job: AnalyzeJob, services: SlackServices, client: WebClient): Promise<void> {
  const approval: Approval = { investigationId: job.investigationId, approvalId: job.jobId, size: job.size, ...(job.fresh ? { fresh: true } : {}), channel: job.channel, messageTs: job.messageTs };
  const where = { channel: job.channel, threadTs: job.threadTs, user: job.user };

  let prepared: CurrentBundle | 'skip';
  try {
    prepared = await prepare(job, services, client, approval);
  } catch (err) {
    const errorId = await reportFailure(services, client, where, 'The analysis could not start', err);
    await releaseApproval(services, client, approval, { failure: `last attempt failed (error id ${errorId}), nothing charged` });
    return;
  }
  if (prepared === 'skip') return;
  const { bundle, choices } = prepared;

  let outcome: AnalysisResult;
  try {
    outcome = await services.app.analyze({ investigationId: job.investigationId, approvalId: job.jobId, user: job.user, bundle, size: job.size, ...(job.fresh ? { fresh: true } : {}) });
  } catch (err) {
    if (err instanceof AnalysisInProgressError) {
      // Another attempt of this very approval holds it; it finishes (or releases) the job.
      services.logger.info({ jobId: job.jobId }, 'analysis already in progress for this approval; skipped');
      return;
    }
    if (err instanceof QuotaExceededError) {
      // Nothing was sent or charged: put the investigation back so someone else may approve it.
      await releaseApproval(services, client, approval);
      await client.chat.postEphemeral({
        channel: job.channel,
        user: job.user,
        ...overQuotaMessage({ used: err.used, limit: err.limit, resetsAt: new Date(err.resetsAt), needed: err.requested }),
      });
      return;
    }
    // `analyze` refunds whatever it reserved before throwing: the user paid nothing.
    const errorId = await reportFailure(services, client, where, 'The analysis failed', err);
    await releaseApproval(services, client, approval, { failure: `last attempt failed (error id ${errorId}), nothing charged` });
    return;
  }

  // Answered and paid: record it before posting, so a failed post cannot leave it "in progress".
  // A retry of this job replays the stored answer (same approval id) without charging again.
  await services.app.markAnswered(job.investigationId, {
    model: outcome.model,
    size: job.size,
    costUsd: outcome.costUsd,
    rootCause: outcome.answer.rootCause.statement,
    confidence: outcome.answer.rootCause.confidence,
  });
  const posted = await client.chat.postMessage({
    channel: job.channel,
    thread_ts: job.threadTs,
    ...answerMessage({
      ...outcome.answer,
      ...(outcome.truncated ? { truncated: true } : {}),
      model: modelDisplayName(outcome.model),
      inputTokens: outcome.usage.inputTokens,
      outputTokens: outcome.usage.outputTokens,
      costUsd: outcome.costUsd,
      cacheHit: outcome.cacheHit,
      quota: { ...outcome.quota, resetsAt: new Date(outcome.quota.resetsAt) },
      approvedBy: job.user,
      feedback: { investigationId: job.investigationId, approvalId: job.jobId, answeredAt: services.now().toISOString() },
      ...(outcome.reused
        ? {
            reused: {
              ...outcome.reused,
              investigationId: job.investigationId,
              size: job.size,
              freshCostUsd: services.app.estimate(bundle, job.size).costUsd,
              actionTs: job.messageTs,
            },
          }
        : {}),
    }),
  });
  await client.chat.update({
    channel: job.channel,
    ts: job.messageTs,
    ...actionMessage(await actionView(services, { id: job.investigationId, bundle, choices, state: 'answered', approvedBy: job.user, answeredWith: job.size })),
  });
  await showAnswerInParent(services, client, job, outcome, posted.ts);
}

/**
 * The channel reads the root cause without opening the thread: the parent message (the thread's
 * first message) gets the answer's one line and confidence beside the rules' verdict.
 */
async function showAnswerInParent(services: SlackServices, client: WebClient, job: AnalyzeJob, outcome: AnalysisResult, answerTs: string | undefined): Promise<void> {
  try {
    const found = await services.app.lookup(job.investigationId);
    if (found.status !== 'found') return;
    const stored = found.investigation;
    const links = await permalinks(client, job.channel, [
      { label: 'answer', ts: answerTs },
      { label: 'thread', ts: job.threadTs },
    ]);
    await client.chat.update({
      channel: job.channel,
      ts: job.threadTs,
      ...parentMessage({
        ...parentViewOf({ report: stored.report, requester: stored.requester, investigationId: stored.id, ...(stored.trigger ? { trigger: stored.trigger } : {}) }),
        status: verdictOf(stored.report, services.app.modelEnabled),
        answer: { rootCause: outcome.answer.rootCause.statement, confidence: outcome.answer.rootCause.confidence },
        links,
      }),
    });
  } catch (err) {
    // The answer is in the thread already; the parent's summary is a convenience.
    services.logger.warn({ err, investigationId: job.investigationId }, 'could not show the answer in the parent message');
  }
}

/**
 * Checks the approval is still this job's and loads exactly the bundle revision it pinned.
 * 'skip' when there is nothing to do (expired, or an older approval's redelivered job).
 */
async function prepare(
  job: AnalyzeJob,
  services: SlackServices,
  client: WebClient,
  approval: Approval,
): Promise<CurrentBundle | 'skip'> {
  const found = await services.app.lookup(job.investigationId);
  if (found.status !== 'found') {
    // Nothing to click any more, but the state must not claim an analysis is running.
    await releaseApproval(services, client, approval, { render: false });
    await client.chat.postEphemeral({ channel: job.channel, user: job.user, ...expiredMessage() });
    return 'skip';
  }
  const stored = found.investigation;
  const current =
    (stored.state === 'approved' && (stored.approvalId === undefined || stored.approvalId === job.jobId)) ||
    // Answered by this very approval: a retry after the answer's post failed replays it, uncharged.
    (stored.state === 'answered' && stored.approvalId === job.jobId);
  if (!current) {
    services.logger.info({ jobId: job.jobId, state: stored.state }, 'approval no longer current; analysis skipped');
    return 'skip';
  }
  const pinned = await services.app.currentBundle(job.investigationId, job.revision ?? stored.revision ?? 0);
  if (!pinned) throw new Error(`investigation ${job.investigationId} has no bundle`);
  return pinned;
}
