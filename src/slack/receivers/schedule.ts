import type { WebClient } from '@slack/web-api';
import type { SlackServices } from '../services.js';
import { postWeeklySummary } from '../summary/post.js';
import { endEvent, startEvent, type LambdaContext } from './powertools.js';
import { botClient, lambdaServices, powertools } from './shared.js';

/**
 * EventBridge Scheduler target: posts the weekly summary. The scheduler delivers at least once and
 * may retry; the summary marker keeps it to one post per ISO week and channel.
 */
export async function handleSchedule(services: SlackServices, client: WebClient): Promise<{ result: 'posted' | 'already-posted' | 'no-channel' }> {
  const channel = services.config.slack.summary.channel;
  if (!channel) return { result: 'no-channel' };
  return { result: await postWeeklySummary(services, client, channel) };
}

export const handler = async (_event?: unknown, context?: LambdaContext): Promise<{ result: string }> => {
  const tools = powertools();
  startEvent(tools, context);
  try {
    const { config, services } = await lambdaServices();
    return await handleSchedule(services, botClient(config, services));
  } finally {
    endEvent(tools);
  }
};
