import { randomUUID } from 'node:crypto';
import type { Dispatch } from '../../jobs/types.js';
import type { SlackServices } from '../../services.js';
import { afterAck, firstDelivery } from '../guard.js';
import { clickOf, type ButtonArgs } from './analyze.js';

/** A second Download of the same investigation by the same person within this window uploads nothing more. */
const DOWNLOAD_WINDOW_SECONDS = 60;

/**
 * Download bundle: anyone in the channel may; it is the redacted text, the same the model would
 * get. Once per delivery (a replayed click uploads nothing), and once a minute per person and
 * investigation (a double click gives one file).
 */
export function downloadAction(services: SlackServices, dispatch: Dispatch) {
  return async function onDownload({ ack, body, client }: ButtonArgs): Promise<void> {
    await ack();
    const click = clickOf(body);
    await afterAck(services, client, click, 'The download failed', async () => {
      if (!(await firstDelivery(services, body.trigger_id, click))) return;
      if (!(await services.app.claimJob(`DOWNLOAD#${click.investigationId}#${click.user}`, 'download-window', DOWNLOAD_WINDOW_SECONDS))) {
        await client.chat.postEphemeral({ channel: click.channel, user: click.user, thread_ts: click.threadTs, text: ':inbox_tray: The bundle is already on its way to this thread (asked less than a minute ago).' });
        return;
      }
      await dispatch({ kind: 'download', jobId: randomUUID(), investigationId: click.investigationId, user: click.user, channel: click.channel, threadTs: click.threadTs, messageTs: click.messageTs }, client);
    });
  };
}
