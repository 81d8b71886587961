import type { WebClient } from '@slack/web-api';
import { runJob } from '../jobs/run.js';
import type { SlackJob } from '../jobs/types.js';
import type { SlackServices } from '../services.js';
import { botClient, lambdaServices } from './shared.js';

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
  if (!isJob(event)) throw new Error('not a firebreak job');
  return { ran: await runJob(event, services, client) };
}

export const handler = async (event: unknown): Promise<{ ran: boolean }> => {
  const { config, services } = await lambdaServices();
  return handleWorkerEvent(event, services, botClient(config));
};
