import { randomBytes } from 'node:crypto';
import type { WebClient } from '@slack/web-api';
import { errorMessage, failureDetail } from '../blocks/notices.js';
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
  where: { channel: string; threadTs?: string; user: string; responseUrl?: string },
  what: string,
  err: unknown,
): Promise<string> {
  const errorId = newErrorId();
  services.logger.error({ err, errorId, channel: where.channel, user: where.user }, what);
  const message = errorMessage(what, errorId, failureDetail(err));
  try {
    if (where.threadTs) await client.chat.postMessage({ channel: where.channel, thread_ts: where.threadTs, ...message });
    // The command's response_url reaches the user even where the bot may not post (not invited).
    else if (where.responseUrl) await postToResponseUrl(where.responseUrl, { response_type: 'ephemeral', ...message });
    else await client.chat.postEphemeral({ channel: where.channel, user: where.user, ...message });
  } catch (postErr) {
    services.logger.error({ err: postErr, errorId }, 'could not post the failure notice');
  }
  return errorId;
}

/** A delayed reply through a command's response_url (up to 5 within 30 minutes). */
export async function postToResponseUrl(url: string, body: Record<string, unknown>): Promise<void> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`response_url answered ${res.status}`);
}
