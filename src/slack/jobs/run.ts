import type { WebClient } from '@slack/web-api';
import { summaryMessage } from '../blocks/summary.js';
import type { SlackServices } from '../services.js';
import { summarizeWeek } from '../summary/post.js';
import { runAnalyze } from './analyze.js';
import { runContext } from './context.js';
import { runDownload } from './download.js';
import { reportFailure } from './errors.js';
import { runTroubleshoot } from './troubleshoot.js';
import type { Dispatch, SlackJob } from './types.js';

const KEEP_JOB_MARKER_SECONDS = 2 * 86_400;

/**
 * Runs one job at most once: the marker makes a redelivered job (Lambda async invoke retries, a
 * duplicate event) a no-op. Returns false when the job had already run.
 */
export async function runJob(job: SlackJob, services: SlackServices, client: WebClient): Promise<boolean> {
  if (!(await services.markers.claim(`JOB#${job.jobId}`, KEEP_JOB_MARKER_SECONDS, { kind: job.kind }))) {
    services.logger.info({ jobId: job.jobId, kind: job.kind }, 'job already handled; skipped');
    return false;
  }
  try {
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
      case 'spend': {
        const summary = await summarizeWeek(services, services.now());
        await client.chat.postEphemeral({ channel: job.channel, user: job.user, ...summaryMessage(summary) });
        break;
      }
    }
  } catch (err) {
    await reportFailure(services, client, { channel: job.channel, user: job.user, ...('threadTs' in job ? { threadTs: job.threadTs } : {}) }, `The ${job.kind} step failed`, err);
  }
  return true;
}

/** Socket Mode and HTTP: the listener has acked already, so the job runs right here. */
export function inProcessDispatch(services: SlackServices): Dispatch {
  return async (job, client) => {
    await runJob(job, services, client);
  };
}
