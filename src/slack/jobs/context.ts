import type { WebClient } from '@slack/web-api';
import type { Investigation } from '../../core/report.js';
import { actionMessage } from '../blocks/actions.js';
import { section, type SlackMessage } from '../blocks/kit.js';
import { expiredMessage } from '../blocks/notices.js';
import type { SlackServices } from '../services.js';
import { actionView } from './action-view.js';
import { reportFailure } from './errors.js';
import type { SlackJob } from './types.js';

/** Two edits at once each take the next number; a few rounds settle any realistic race. */
const MAX_REVISION_ATTEMPTS = 3;

function notAppliedMessage(): SlackMessage {
  const text = 'Your context was not applied: the analysis had already started with the bundle as it was. Run /troubleshoot again to analyse with new context.';
  return { text, blocks: [section(`:information_source: ${text}`)] };
}

/**
 * Rebuilds the bundle with the user's context, sections and budget, stores it, and shows the new
 * estimate on the action message. The evidence comes from this process's cache or, after a restart
 * or on another instance, from reading the same fixed window again.
 *
 * DynamoDB Local has no transactions, so the revision is written as its own write-once item and
 * then made current by a conditional write on the investigation itself (the item the approval
 * moves): it lands before the approval, and is sent, or not at all, and the user is told.
 */
export async function runContext(job: Extract<SlackJob, { kind: 'context' }>, services: SlackServices, client: WebClient): Promise<void> {
  const found = await services.investigations.lookup(job.investigationId);
  if (found.status !== 'found') {
    await client.chat.postEphemeral({ channel: job.channel, user: job.user, ...expiredMessage() });
    return;
  }
  const stored = found.investigation;
  const tell = (message: SlackMessage) => client.chat.postEphemeral({ channel: job.channel, user: job.user, ...message });
  if (stored.state !== 'pending') {
    await tell(notAppliedMessage());
    return;
  }
  try {
    let investigation: Investigation | undefined = services.evidence.get(job.investigationId);
    if (!investigation) {
      const window = { since: new Date(stored.report.window.since), until: new Date(stored.report.window.until) };
      investigation = await services.investigate(stored.report.target, window, () => {});
      services.evidence.set(job.investigationId, investigation);
    }
    const bundle = services.buildBundle(investigation, job.choices);
    const expiresAt = Math.floor(Date.parse(stored.expiresAt) / 1000);

    let outcome: 'committed' | 'not-pending' | 'moved' | 'missing' = 'moved';
    for (let attempt = 0; attempt < MAX_REVISION_ATTEMPTS && outcome === 'moved'; attempt++) {
      const base = await services.revisions.current(job.investigationId);
      if (!(await services.revisions.put(job.investigationId, base + 1, { choices: job.choices, bundle }, expiresAt))) continue;
      outcome = await services.investigations.commitRevision(job.investigationId, base, base + 1);
    }
    if (outcome === 'moved') throw new Error('the bundle kept changing under this edit; submit it again');
    if (outcome === 'missing') {
      await tell(expiredMessage());
      return;
    }
    if (outcome === 'not-pending') {
      await tell(notAppliedMessage());
      return;
    }
    // Committed before any approval, so it is what an analysis sends. Re-check right before the
    // update all the same: once approved, the message is the approval's, and its buttons must not
    // come back from here.
    const latest = await services.investigations.get(job.investigationId);
    if (latest?.state !== 'pending') return;
    await client.chat.update({
      channel: job.channel,
      ts: job.messageTs,
      ...actionMessage(actionView(services, { id: job.investigationId, bundle, choices: job.choices, state: 'pending' })),
    });
  } catch (err) {
    await reportFailure(services, client, { channel: job.channel, user: job.user, ...(stored.ref.threadTs ? { threadTs: stored.ref.threadTs } : {}) }, 'Updating the bundle failed', err);
  }
}
