import type { WebClient } from '@slack/web-api';
import { expiredActionMessage } from '../blocks/actions.js';
import { expiredMessage } from '../blocks/notices.js';

/**
 * A click found its investigation expired: say so to the clicker, and turn the action message
 * into the expired rendering so nobody else presses a button that can only answer "expired".
 */
export async function markActionExpired(client: WebClient, click: { channel: string; user: string; messageTs: string }): Promise<void> {
  await client.chat.postEphemeral({ channel: click.channel, user: click.user, ...expiredMessage() });
  if (click.messageTs) await client.chat.update({ channel: click.channel, ts: click.messageTs, ...expiredActionMessage() });
}
