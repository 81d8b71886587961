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

/** Long enough for any Slack retry (they come within minutes) and the 5-minute replay window. */
const DELIVERY_KEEP_SECONDS = 3_600;

/**
 * Once per delivery: true the first time a delivery identity is seen (a click's trigger id, a
 * submitted modal's view id), false for a replayed signed request or Slack's own retry of it,
 * which must start nothing and upload nothing a second time.
 */
export async function firstDelivery(services: SlackServices, identity: string | undefined, who: { user: string; channel?: string }): Promise<boolean> {
  if (!identity) return true;
  const first = await services.app.claimOnce(`DELIVERY#${identity}`, DELIVERY_KEEP_SECONDS, { ...who });
  if (!first) services.logger.info({ identity }, 'duplicate delivery; ignored');
  return first;
}
