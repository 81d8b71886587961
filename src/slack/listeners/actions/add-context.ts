import { PROTECTED_SECTIONS, SECTION_ORDER } from '../../../bundle/sections.js';
import { contextModal } from '../../blocks/context-modal.js';
import { alreadyHandledMessage, expiredMessage } from '../../blocks/notices.js';
import type { SlackServices } from '../../services.js';
import type { BundleChoices } from '../../state/bundle-revisions.js';
import { afterAck } from '../guard.js';
import { clickOf, type ButtonArgs } from './analyze.js';

export const BUDGETS = ['small', 'medium', 'large'] as const;

/** Opens the add-context modal at once (its trigger expires after 3 s) with the current choices. */
export function addContextAction(services: SlackServices) {
  return async function onAddContext({ ack, body, client }: ButtonArgs): Promise<void> {
    await ack();
    const click = clickOf(body);
    await afterAck(services, client, click, 'Opening Add context failed', async () => {
      const found = await services.investigations.lookup(click.investigationId);
      if (found.status !== 'found') {
        await client.chat.postEphemeral({ channel: click.channel, user: click.user, ...expiredMessage() });
        return;
      }
      const stored = found.investigation;
      if (stored.state !== 'pending') {
        await client.chat.postEphemeral({ channel: click.channel, user: click.user, ...alreadyHandledMessage(stored.state) });
        return;
      }
      const revision = await services.revisions.get(click.investigationId);
      const choices: BundleChoices = revision?.choices ?? (stored.bundleOptions as BundleChoices);
      // Findings, context and coverage always go; the rest is the user's choice.
      const sections = SECTION_ORDER.filter((name) => !PROTECTED_SECTIONS.has(name));
      await client.views.open({
        trigger_id: body.trigger_id,
        view: contextModal({
          privateMetadata: JSON.stringify({ id: click.investigationId, channel: click.channel, messageTs: click.messageTs }),
          sections,
          selected: choices.sections?.length ? choices.sections : sections,
          budgets: [...BUDGETS],
          budget: choices.budget ?? services.config.bundle.budget,
          ...(choices.context ? { context: choices.context } : {}),
        }),
      });
    });
  };
}
