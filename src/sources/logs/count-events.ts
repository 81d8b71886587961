import { FilterLogEventsCommand, type CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { errorKindOf } from '../../aws/errors.js';
import type { Window } from '../../core/target.js';
import type { SourceLimits } from '../types.js';

export interface EventCount {
  count: number;
  /** False when the page cap stopped the count: `count` is then extrapolated over the window. */
  exact: boolean;
  /** The log group does not exist. */
  missing: boolean;
  /** Epoch ms of the newest event counted. */
  newest?: number;
}

/**
 * Counts the events matching `filterPattern` in the window without keeping them (a denominator,
 * e.g. Lambda REPORT lines = invocations). Events come oldest first; when the page cap stops the
 * count, the rate over the period read is extrapolated to the whole window and marked inexact.
 */
export async function countLogEvents(
  logs: CloudWatchLogsClient,
  logGroupName: string,
  window: Window,
  limits: Pick<SourceLimits, 'maxPages'>,
  filterPattern: string,
): Promise<EventCount> {
  let newest = window.since.getTime();
  let counted = 0;
  let capped = false;
  try {
    let nextToken: string | undefined;
    let pages = 0;
    do {
      if (pages >= limits.maxPages) {
        capped = true;
        break;
      }
      const out = await logs.send(
        new FilterLogEventsCommand({
          logGroupName,
          startTime: window.since.getTime(),
          endTime: window.until.getTime(),
          filterPattern,
          ...(nextToken ? { nextToken } : {}),
        }),
      );
      pages += 1;
      for (const e of out.events ?? []) {
        counted += 1;
        if ((e.timestamp ?? 0) > newest) newest = e.timestamp ?? 0;
      }
      nextToken = out.nextToken;
    } while (nextToken);
    const newestSeen = counted > 0 ? { newest } : {};
    if (!capped) return { count: counted, exact: true, missing: false, ...newestSeen };
    const span = window.until.getTime() - window.since.getTime();
    const covered = Math.max(1, newest - window.since.getTime());
    return { count: Math.round((counted * span) / Math.min(span, covered)), exact: false, missing: false, ...newestSeen };
  } catch (err) {
    if (errorKindOf(err) === 'not_found') return { count: 0, exact: true, missing: true };
    throw err;
  }
}
