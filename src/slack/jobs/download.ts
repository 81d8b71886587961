import type { WebClient } from '@slack/web-api';
import { markActionExpired } from './expired.js';
import type { SlackServices } from '../services.js';
import { tokensToSend } from './action-view.js';
import { reportFailure } from './errors.js';
import type { SlackJob } from './types.js';

/**
 * Sends the redacted bundle (exactly what Analyze would send) to the person who pressed Download,
 * in their direct message with the bot: configuration and client IP samples are not for the
 * whole channel. The thread is told, privately, where it went.
 */
export async function runDownload(job: Extract<SlackJob, { kind: 'download' }>, services: SlackServices, client: WebClient): Promise<void> {
  const found = await services.app.lookup(job.investigationId);
  if (found.status !== 'found') {
    await markActionExpired(client, { channel: job.channel, user: job.user, messageTs: job.messageTs ?? '' });
    return;
  }
  try {
    const bundle = (await services.app.currentBundle(job.investigationId))?.bundle;
    if (!bundle) throw new Error('this investigation has no bundle');
    const dm = (await client.conversations.open({ users: job.user })).channel?.id;
    if (!dm) throw new Error('Slack opened no direct message to send the bundle to');
    const tokens = await tokensToSend(services, bundle);
    await client.filesUploadV2({
      channel_id: dm,
      content: bundle.text,
      filename: `firebreak-${job.investigationId}.md`,
      title: `firebreak bundle ${job.investigationId} (redacted)`,
      initial_comment: `The bundle of investigation \`${job.investigationId}\` (<#${job.channel}>), as Analyze would send it: ~${tokens} tokens with the instructions, ${bundle.budget} budget, sha256 ${bundle.sha256.slice(0, 12)}…. Only you received it.`,
    });
    await client.chat.postEphemeral({
      channel: job.channel,
      user: job.user,
      thread_ts: job.threadTs,
      text: ':inbox_tray: The bundle is in your direct messages with firebreak (only you received it).',
    });
  } catch (err) {
    await reportFailure(services, client, { channel: job.channel, user: job.user }, 'The bundle could not be sent to you', err);
  }
}
