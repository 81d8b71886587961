import type { WebClient } from '@slack/web-api';
import { actionMessage } from '../blocks/actions.js';
import { section, type SlackMessage } from '../blocks/kit.js';
import { expiredMessage } from '../blocks/notices.js';
import type { SlackServices } from '../services.js';
import { actionView, verdictKind } from './action-view.js';
import { reportFailure } from './errors.js';
import type { SlackJob } from './types.js';

function notAppliedMessage(): SlackMessage {
  const text = 'Your context was not applied: the analysis had already started with the bundle as it was. Run /troubleshoot again to analyse with new context.';
  return { text, blocks: [section(`:information_source: ${text}`)] };
}

/**
 * Rebuilds the bundle with the user's context, sections and budget from the evidence stored with
 * the investigation (never by reading AWS again), makes it current while still pending, and shows
 * the new estimate on the action message.
 */
export async function runContext(job: Extract<SlackJob, { kind: 'context' }>, services: SlackServices, client: WebClient): Promise<void> {
  const tell = (message: SlackMessage) => client.chat.postEphemeral({ channel: job.channel, user: job.user, ...message });
  const found = await services.app.lookup(job.investigationId);
  if (found.status !== 'found') {
    await tell(expiredMessage());
    return;
  }
  const threadTs = found.investigation.ref.threadTs;
  try {
    const outcome = await services.app.reviseBundle(job.investigationId, job.choices);
    if (outcome.status === 'missing') {
      await tell(expiredMessage());
      return;
    }
    if (outcome.status !== 'committed') {
      await tell(notAppliedMessage());
      return;
    }
    // Committed before any approval, so it is what an analysis sends. Re-check right before the
    // update all the same: once approved, the message is the approval's, and its buttons must not
    // come back from here.
    const latest = await services.app.lookup(job.investigationId);
    if (latest.status !== 'found' || latest.investigation.state !== 'pending') return;
    await client.chat.update({
      channel: job.channel,
      ts: job.messageTs,
      ...actionMessage(await actionView(services, { id: job.investigationId, bundle: outcome.bundle, choices: job.choices, state: 'pending', ...(verdictKind(latest.investigation.report) ? { verdict: verdictKind(latest.investigation.report) } : {}) })),
    });
  } catch (err) {
    await reportFailure(services, client, { channel: job.channel, user: job.user, ...(threadTs ? { threadTs } : {}) }, 'Updating the bundle failed', err);
  }
}
