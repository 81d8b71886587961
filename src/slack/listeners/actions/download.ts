import { randomUUID } from 'node:crypto';
import type { Dispatch } from '../../jobs/types.js';
import type { SlackServices } from '../../services.js';
import { clickOf, type ButtonArgs } from './analyze.js';

/** Download bundle: anyone in the channel may; it is the redacted text, the same the model would get. */
export function downloadAction(_services: SlackServices, dispatch: Dispatch) {
  return async function onDownload({ ack, body, client }: ButtonArgs): Promise<void> {
    await ack();
    const click = clickOf(body);
    await dispatch({ kind: 'download', jobId: randomUUID(), investigationId: click.investigationId, user: click.user, channel: click.channel, threadTs: click.threadTs, messageTs: click.messageTs }, client);
  };
}
