import type { WebClient } from '@slack/web-api';
import { markActionExpired } from './expired.js';
import type { SlackServices } from '../services.js';
import { reportFailure } from './errors.js';
import type { SlackJob } from './types.js';

/** Uploads the redacted bundle (exactly what Analyze would send) to the thread. */
export async function runDownload(job: Extract<SlackJob, { kind: 'download' }>, services: SlackServices, client: WebClient): Promise<void> {
  const found = await services.app.lookup(job.investigationId);
  if (found.status !== 'found') {
    await markActionExpired(client, { channel: job.channel, user: job.user, messageTs: job.messageTs ?? '' });
    return;
  }
  try {
    const bundle = (await services.app.currentBundle(job.investigationId))?.bundle;
    if (!bundle) throw new Error('this investigation has no bundle');
    await client.filesUploadV2({
      channel_id: job.channel,
      thread_ts: job.threadTs,
      content: bundle.text,
      filename: `firebreak-${job.investigationId}.md`,
      title: `firebreak bundle ${job.investigationId} (~${bundle.tokens} tokens, redacted)`,
      initial_comment: `Bundle requested by <@${job.user}>: ~${bundle.tokens} tokens, ${bundle.budget} budget, sha256 ${bundle.sha256.slice(0, 12)}…`,
    });
  } catch (err) {
    await reportFailure(services, client, { channel: job.channel, threadTs: job.threadTs, user: job.user }, 'The bundle upload failed', err);
  }
}
