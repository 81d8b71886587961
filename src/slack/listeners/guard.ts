import type { WebClient } from '@slack/web-api';
import { reportFailure } from '../jobs/errors.js';
import type { SlackServices } from '../services.js';

/**
 * Runs the part of a listener that follows the ack: a failure there (DynamoDB, a Slack API error)
 * reaches the user privately with an error id instead of vanishing into Bolt's error log.
 */
export async function afterAck(
  services: SlackServices,
  client: WebClient,
  where: { channel: string; user: string },
  what: string,
  work: () => Promise<void>,
): Promise<void> {
  try {
    await work();
  } catch (err) {
    await reportFailure(services, client, where, what, err);
  }
}
