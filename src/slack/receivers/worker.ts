import type { WebClient } from '@slack/web-api';
import { looksLikeAlarmNotification } from '../../core/alarm-parse.js';
import { runAlarmNotification } from '../jobs/alarm.js';
import { runJob } from '../jobs/run.js';
import type { SlackJob } from '../jobs/types.js';
import type { SlackServices } from '../services.js';
import { endEvent, startEvent, type LambdaContext, type Powertools } from './powertools.js';
import { botClient, lambdaServices, powertools } from './shared.js';

const KINDS = new Set<SlackJob['kind']>(['troubleshoot', 'analyze', 'context', 'download', 'spend']);

function isJob(event: unknown): event is SlackJob {
  const job = event as Partial<SlackJob> | null;
  return typeof job === 'object' && job !== null && typeof job.jobId === 'string' && KINDS.has(job.kind as SlackJob['kind']);
}

/**
 * The slow half: investigations, model calls, uploads. Idempotent per job id (a DynamoDB marker),
 * because Lambda's async invoke retries a failed event up to twice.
 */
export async function handleWorkerEvent(event: unknown, services: SlackServices, client: WebClient): Promise<{ ran: boolean }> {
  // A CloudWatch alarm state change, from the EventBridge rule or the SNS topic (infra/).
  if (!isJob(event) && looksLikeAlarmNotification(event)) {
    const summary = await runAlarmNotification(event, services, client);
    services.logger.info({ outcomes: summary }, 'alarm notification handled');
    return { ran: summary.investigate + summary.refire + summary.recovered + summary.capped > 0 };
  }
  if (!isJob(event)) throw new Error('not a firebreak job');
  return { ran: await runJob(event, services, client) };
}

/**
 * One worker event with Powertools around it: the Lambda context and the job's ids on every log
 * line (the investigation id is the correlation id), and the event's metrics flushed as EMF.
 */
export async function runWorkerEvent(event: unknown, services: SlackServices, client: WebClient, tools: Powertools, context?: LambdaContext): Promise<{ ran: boolean }> {
  const job = isJob(event) ? event : undefined;
  startEvent(tools, context, { jobId: job?.jobId, jobKind: job?.kind, investigationId: job && 'investigationId' in job ? job.investigationId : undefined });
  const started = performance.now();
  try {
    const result = await handleWorkerEvent(event, services, client);
    tools.logger.info(result.ran ? 'job finished' : 'job already ran: skipped', { durationMs: Math.round(performance.now() - started) });
    return result;
  } catch (err) {
    tools.logger.error('worker event failed', err as Error);
    throw err;
  } finally {
    endEvent(tools);
  }
}

export const handler = async (event: unknown, context?: LambdaContext): Promise<{ ran: boolean }> => {
  const { config, services } = await lambdaServices();
  return runWorkerEvent(event, services, botClient(config, services), powertools(), context);
};
