import { randomBytes } from 'node:crypto';
import type { WebClient } from '@slack/web-api';
import { errorMessage } from '../blocks/notices.js';
import type { SlackServices } from '../services.js';

/** A short id the user can quote and we can grep for in the logs. */
export function newErrorId(): string {
  return `E-${randomBytes(4).toString('hex')}`;
}

/**
 * Logs the failure with an error id and says so where the user is looking (the thread, or to them
 * alone when there is no thread yet). Posting the notice must never throw over the original error.
 */
export async function reportFailure(
  services: SlackServices,
  client: WebClient,
  where: { channel: string; threadTs?: string; user: string },
  what: string,
  err: unknown,
): Promise<string> {
  const errorId = newErrorId();
  services.logger.error({ err, errorId, channel: where.channel, user: where.user }, what);
  const message = errorMessage(what, errorId, err instanceof Error ? err.message : String(err));
  try {
    if (where.threadTs) await client.chat.postMessage({ channel: where.channel, thread_ts: where.threadTs, ...message });
    else await client.chat.postEphemeral({ channel: where.channel, user: where.user, ...message });
  } catch (postErr) {
    services.logger.error({ err: postErr, errorId }, 'could not post the failure notice');
  }
  return errorId;
}
