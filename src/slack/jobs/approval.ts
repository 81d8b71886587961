import type { WebClient } from '@slack/web-api';
import { actionMessage } from '../blocks/actions.js';
import type { ModelSize } from '../../app/index.js';
import type { SlackServices } from '../services.js';
import { actionView, verdictKind } from './action-view.js';

/** One approval of one analysis: what the click won, and where its action message is. */
export interface Approval {
  investigationId: string;
  /** The analyze job's id, stored with the approval: it tells this approval from a later one. */
  approvalId: string;
  size: ModelSize;
  /** "Analyze fresh" after a reused answer: approved from `answered`, past the cache. */
  fresh?: boolean;
  channel: string;
  messageTs: string;
}

/** The state an approval came from, and goes back to when it is given up. */
export function stateBeforeApproval(size: ModelSize, fresh = false): 'pending' | 'answered' {
  return size === 'small' && !fresh ? 'pending' : 'answered';
}

/**
 * The one way back from `approved` when the analysis did not happen (dispatch failed, the job
 * failed before or at the model call, over quota, expired): a conditional write that only undoes
 * this very approval, then the action message gets its buttons back (with `failure`, if given, as
 * the reason). Without it the investigation would stay approved and every click say "in progress".
 * Returns false when this approval was no longer the current one (nothing changed).
 */
export async function releaseApproval(
  services: SlackServices,
  client: WebClient,
  approval: Approval,
  options: { failure?: string; render?: boolean } = {},
): Promise<boolean> {
  const back = stateBeforeApproval(approval.size, approval.fresh);
  const released = await services.app.release(approval);
  if (!released || options.render === false) return released;
  try {
    const found = await services.app.lookup(approval.investigationId);
    if (found.status !== 'found' || found.investigation.state !== back) return released;
    const stored = found.investigation;
    const current = await services.app.currentBundle(approval.investigationId);
    if (!current) return released;
    await client.chat.update({
      channel: approval.channel,
      ts: approval.messageTs,
      ...actionMessage(
        await actionView(services, {
          id: approval.investigationId,
          bundle: current.bundle,
          choices: current.choices,
          state: back,
          ...(back === 'answered' ? { answeredWith: approval.fresh ? approval.size : ('small' as const), ...(stored.approvedBy ? { approvedBy: stored.approvedBy } : {}) } : {}),
          ...(options.failure ? { failure: options.failure } : {}),
          ...(verdictKind(stored.report) ? { verdict: verdictKind(stored.report) } : {}),
        }),
      ),
    });
  } catch (err) {
    // The state is right again; a stale message only means the next click gets a clear answer.
    services.logger.warn({ err, investigationId: approval.investigationId }, 'could not restore the action message');
  }
  return released;
}
