import type { WebClient } from '@slack/web-api';
import { summaryMessage } from '../blocks/summary.js';
import type { SlackServices } from '../services.js';
import { summarizeWeek } from '../summary/post.js';
import { runAnalyze } from './analyze.js';
import { runContext } from './context.js';
import { runDownload } from './download.js';
import { runPropose } from './propose.js';
import { reportFailure } from './errors.js';
import { runTroubleshoot } from './troubleshoot.js';
import type { Dispatch, SlackJob } from './types.js';

/**
 * How long an attempt owns its job: the worker Lambda's timeout (5 minutes, infra/) plus a margin.
 * After that the attempt is presumed dead (crashed, timed out) and a redelivery may run the job.
 */
export const JOB_LEASE_SECONDS = 6 * 60;

/**
 * Runs one job, at most one attempt at a time: the leased marker makes a duplicate delivery a
 * no-op while an attempt runs or after one finished, yet lets Lambda's retry run the job again
 * when the previous attempt crashed, timed out (its lease ran out) or failed. An unexpected error
 * is told in the thread, then re-thrown so Lambda retries the event and finally dead-letters it.
 * Returns false when the job was skipped.
 */
export async function runJob(job: SlackJob, services: SlackServices, client: WebClient): Promise<boolean> {
  if (!(await services.app.claimJob(job.jobId, job.kind, JOB_LEASE_SECONDS))) {
    services.logger.info({ jobId: job.jobId, kind: job.kind }, 'job done or running elsewhere; skipped');
    return false;
  }
  try {
    await runJobBody(job, services, client);
  } catch (err) {
    await reportFailure(services, client, { channel: job.channel, user: job.user, ...('threadTs' in job ? { threadTs: job.threadTs } : {}) }, `The ${job.kind} step failed`, err);
    await services.app.settleJob(job.jobId, 'failed-retryable').catch((settleErr: unknown) => {
      // The lease still runs out, so a retry proceeds later anyway.
      services.logger.error({ err: settleErr, jobId: job.jobId }, 'could not release the job for a retry');
    });
    throw err;
  }
  await services.app.settleJob(job.jobId, 'done');
  return true;
}

async function runJobBody(job: SlackJob, services: SlackServices, client: WebClient): Promise<void> {
  switch (job.kind) {
    case 'troubleshoot':
      await runTroubleshoot(job, services, client);
      break;
    case 'analyze':
      await runAnalyze(job, services, client);
      break;
    case 'context':
      await runContext(job, services, client);
      break;
    case 'download':
      await runDownload(job, services, client);
      break;
    case 'propose':
      await runPropose(job, services, client);
      break;
    case 'spend': {
      const summary = await summarizeWeek(services, services.now());
      await client.chat.postEphemeral({ channel: job.channel, user: job.user, ...summaryMessage(summary) });
      break;
    }
  }
}

/** Socket Mode and HTTP: the listener has acked already, so the job runs right here. */
export function inProcessDispatch(services: SlackServices): Dispatch {
  return async (job, client) => {
    try {
      await runJob(job, services, client);
    } catch (err) {
      // Already told in the thread; there is no retry in process, so it only needs logging.
      services.logger.error({ err, jobId: job.jobId, kind: job.kind }, 'job failed');
    }
  };
}
