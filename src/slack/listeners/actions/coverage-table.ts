import { coverageTableMessage } from '../../blocks/coverage.js';
import { expiredMessage } from '../../blocks/notices.js';
import type { SlackServices } from '../../services.js';
import { afterAck } from '../guard.js';
import { clickOf, type ButtonArgs } from './analyze.js';

/**
 * "Full table" under the coverage message: every source with its reason, to the clicker alone (in
 * the thread), read from the stored report, never from AWS.
 */
export function coverageTableAction(services: SlackServices) {
  return async function onCoverageTable({ ack, body, client }: ButtonArgs): Promise<void> {
    await ack();
    const click = clickOf(body);
    await afterAck(services, client, { channel: click.channel, user: click.user }, 'The coverage table could not be shown', async () => {
      const found = await services.app.lookup(click.investigationId);
      const where = { channel: click.channel, user: click.user, thread_ts: click.threadTs };
      if (found.status !== 'found') {
        await client.chat.postEphemeral({ ...where, ...expiredMessage() });
        return;
      }
      await client.chat.postEphemeral({ ...where, ...coverageTableMessage(found.investigation.report.coverage, found.investigation.report.findings) });
    });
  };
}
