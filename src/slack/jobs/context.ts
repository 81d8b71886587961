import type { WebClient } from '@slack/web-api';
import type { Investigation } from '../../core/report.js';
import { actionMessage } from '../blocks/actions.js';
import { expiredMessage } from '../blocks/notices.js';
import type { SlackServices } from '../services.js';
import { actionView } from './action-view.js';
import { reportFailure } from './errors.js';
import type { SlackJob } from './types.js';

/**
 * Rebuilds the bundle with the user's context, sections and budget, stores it, and shows the new
 * estimate on the action message. The evidence comes from this process's cache or, after a restart
 * or on another instance, from reading the same fixed window again.
 */
export async function runContext(job: Extract<SlackJob, { kind: 'context' }>, services: SlackServices, client: WebClient): Promise<void> {
  const found = await services.investigations.lookup(job.investigationId);
  if (found.status !== 'found') {
    await client.chat.postEphemeral({ channel: job.channel, user: job.user, ...expiredMessage() });
    return;
  }
  const stored = found.investigation;
  if (stored.state !== 'pending') return;
  try {
    let investigation: Investigation | undefined = services.evidence.get(job.investigationId);
    if (!investigation) {
      const window = { since: new Date(stored.report.window.since), until: new Date(stored.report.window.until) };
      investigation = await services.investigate(stored.report.target, window, () => {});
      services.evidence.set(job.investigationId, investigation);
    }
    const bundle = services.buildBundle(investigation, job.choices);
    await services.revisions.put(job.investigationId, { choices: job.choices, bundle }, Math.floor(Date.parse(stored.expiresAt) / 1000));
    await client.chat.update({
      channel: job.channel,
      ts: job.messageTs,
      ...actionMessage(actionView(services, { id: job.investigationId, bundle, choices: job.choices, state: 'pending' })),
    });
  } catch (err) {
    await reportFailure(services, client, { channel: job.channel, user: job.user, ...(stored.ref.threadTs ? { threadTs: stored.ref.threadTs } : {}) }, 'Updating the bundle failed', err);
  }
}
