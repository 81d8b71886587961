import { contextModal, loadingModal, noticeModal } from '../../blocks/context-modal.js';
import { alreadyHandledMessage } from '../../blocks/notices.js';
import type { SlackServices } from '../../services.js';
import { afterAck, firstDelivery } from '../guard.js';
import { clickOf, type ButtonArgs } from './analyze.js';
import { markActionExpired } from '../../jobs/expired.js';

export const BUDGETS = ['small', 'medium', 'large'] as const;

/**
 * Opens the add-context modal. The trigger id expires 3 s after the click, so a loading modal is
 * opened first, before any read; the form replaces it (`views.update` needs no trigger) once the
 * investigation and its current choices are read.
 */
export function addContextAction(services: SlackServices) {
  return async function onAddContext({ ack, body, client }: ButtonArgs): Promise<void> {
    await ack();
    const click = clickOf(body);
    await afterAck(services, client, click, 'Opening Add context failed', async () => {
      if (!(await firstDelivery(services, body.trigger_id, click))) return;
      const opened = await client.views.open({ trigger_id: body.trigger_id, view: loadingModal() });
      const viewId = opened.view?.id;
      if (!viewId) throw new Error('views.open returned no view id');
      // Both reads at once: the revision holds the latest choices, the investigation its state.
      const [found, current] = await Promise.all([services.app.lookup(click.investigationId), services.app.currentBundle(click.investigationId)]);
      if (found.status !== 'found') {
        await client.views.update({ view_id: viewId, view: noticeModal(':hourglass: This investigation has expired — run /troubleshoot again for fresh data.') });
        await markActionExpired(client, click);
        return;
      }
      const stored = found.investigation;
      if (stored.state !== 'pending') {
        await client.views.update({ view_id: viewId, view: noticeModal(alreadyHandledMessage(stored.state).text) });
        return;
      }
      const choices = current?.choices ?? {};
      // Findings, context and coverage always go; the rest is the user's choice.
      const sections = services.app.optionalSections;
      await client.views.update({
        view_id: viewId,
        view: contextModal({
          privateMetadata: JSON.stringify({ id: click.investigationId, channel: click.channel, messageTs: click.messageTs }),
          sections,
          // Undefined means the default (every section); a stored list, even a short one, is kept as chosen.
          selected: choices.sections ?? sections,
          budgets: [...BUDGETS],
          budget: choices.budget ?? services.config.bundle.budget,
          ...(choices.context ? { context: choices.context } : {}),
        }),
      });
    });
  };
}
