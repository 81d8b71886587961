import type { WebClient } from '@slack/web-api';
import { QuotaExceededError } from '../../ledger/errors.js';
import { actionMessage } from '../blocks/actions.js';
import { answerMessage } from '../blocks/answer.js';
import { expiredMessage, overQuotaMessage } from '../blocks/notices.js';
import type { SlackServices } from '../services.js';
import { actionView } from './action-view.js';
import { reportFailure } from './errors.js';
import type { SlackJob } from './types.js';

/**
 * Sends the approved bundle to the model and posts the answer. The approval (the conditional
 * state move that stops a double click) already happened in the listener; the quota is charged
 * inside `analyze`, idempotently per approval id, so a redelivered job never charges twice.
 */
export async function runAnalyze(job: Extract<SlackJob, { kind: 'analyze' }>, services: SlackServices, client: WebClient): Promise<void> {
  const where = { channel: job.channel, thread_ts: job.threadTs };
  const found = await services.investigations.lookup(job.investigationId);
  if (found.status !== 'found') {
    await client.chat.postEphemeral({ channel: job.channel, user: job.user, ...expiredMessage() });
    return;
  }
  const stored = found.investigation;
  const revision = await services.revisions.get(job.investigationId);
  const bundle = revision?.bundle ?? stored.bundle;
  const choices = revision?.choices ?? stored.bundleOptions;
  if (!bundle) throw new Error(`investigation ${job.investigationId} has no bundle`);
  const previous = job.size === 'small' ? ('pending' as const) : ('answered' as const);
  const updateActions = (view: Parameters<typeof actionView>[1]) =>
    client.chat.update({ channel: job.channel, ts: job.messageTs, ...actionMessage(actionView(services, view)) });
  try {
    const outcome = await services.analyze({ investigationId: job.investigationId, approvalId: job.jobId, user: job.user, bundle, size: job.size });
    await client.chat.postMessage({
      ...where,
      ...answerMessage({
        ...outcome.answer,
        ...(outcome.truncated ? { truncated: true } : {}),
        model: outcome.model,
        inputTokens: outcome.usage.inputTokens,
        outputTokens: outcome.usage.outputTokens,
        costUsd: outcome.costUsd,
        cacheHit: outcome.cacheHit,
        quota: { ...outcome.quota, resetsAt: new Date(outcome.quota.resetsAt) },
        approvedBy: job.user,
      }),
    });
    await services.investigations.markAnswered(job.investigationId, { model: outcome.model, size: job.size, costUsd: outcome.costUsd });
    await updateActions({ id: job.investigationId, bundle, choices, state: 'answered', approvedBy: job.user, answeredWith: job.size });
  } catch (err) {
    if (err instanceof QuotaExceededError) {
      // Nothing was sent or charged: put the investigation back so someone else may approve it.
      await services.investigations.transition(job.investigationId, 'approved', previous);
      await client.chat.postEphemeral({
        channel: job.channel,
        user: job.user,
        ...overQuotaMessage({ used: err.used, limit: err.limit, resetsAt: new Date(err.resetsAt), needed: err.requested }),
      });
      await updateActions({
        id: job.investigationId,
        bundle,
        choices,
        state: previous,
        ...(previous === 'answered' ? { answeredWith: 'small' as const, ...(stored.approvedBy ? { approvedBy: stored.approvedBy } : {}) } : {}),
      });
      return;
    }
    await services.investigations.markFailed(job.investigationId, { error: err instanceof Error ? err.message : String(err) });
    const errorId = await reportFailure(services, client, { channel: job.channel, threadTs: job.threadTs, user: job.user }, 'The analysis failed', err);
    await updateActions({ id: job.investigationId, bundle, choices, state: 'failed', approvedBy: job.user, failure: `error ${errorId}` });
  }
}
