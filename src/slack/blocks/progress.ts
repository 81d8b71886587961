import { context, escapeMrkdwn, section, type SlackMessage } from './kit.js';

export interface ProgressView {
  done: number;
  total: number;
  /** Titles of the sources that finished last, newest first. */
  recent: string[];
  finished: boolean;
  durationMs?: number;
}

const BAR_WIDTH = 20;

export function progressBar(done: number, total: number): string {
  const filled = total === 0 ? 0 : Math.round((done / total) * BAR_WIDTH);
  return `${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}`;
}

/** The thread message updated while sources run (at most about once a second). */
export function progressMessage(view: ProgressView): SlackMessage {
  const title = view.finished
    ? `:white_check_mark: Collected ${view.done}/${view.total} sources${view.durationMs === undefined ? '' : ` in ${(view.durationMs / 1000).toFixed(1)} s`}`
    : view.total === 0
      ? // Before the runner has counted its sources: "0/0" read as if there were nothing to do.
        ':hourglass_flowing_sand: Starting the collection…'
      : `:hourglass_flowing_sand: Collecting: ${view.done}/${view.total} sources`;
  const recent = view.recent.slice(0, 3).map(escapeMrkdwn).join(', ');
  return {
    text: title,
    blocks: [section(`${title}\n\`${progressBar(view.done, view.total)}\``), ...(recent && !view.finished ? [context(`Last finished: ${recent}`)] : [])],
  };
}
