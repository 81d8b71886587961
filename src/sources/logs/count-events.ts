import { FilterLogEventsCommand, type CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { errorKindOf } from '../../aws/errors.js';
import type { Window } from '../../core/target.js';
import type { SourceLimits } from '../types.js';
import type { InsightsOutcome } from './insights.js';
import { countWindow, statsAnswerProblem } from './window-counts.js';

/** The newest page of the events matching a filter pattern: a count when the window fits in it. */
export interface PageCount {
  count: number;
  /** The page held every matching event of the window. */
  complete: boolean;
  /** The log group does not exist. */
  missing: boolean;
  /** Epoch ms of the newest and oldest events read. */
  newest?: number;
  oldest?: number;
}

/** FilterLogEvents' page: 10,000 events at most. */
const PAGE_EVENTS = 10_000;
const NEWEST_FIRST_SINCE = Date.UTC(2024, 0, 1);

/** Counts the events matching `filterPattern` in one page read newest first (so it also says when the last one was). */
export async function countNewestPage(logs: CloudWatchLogsClient, logGroupName: string, window: Window, filterPattern: string): Promise<PageCount> {
  const since = window.since.getTime();
  let page;
  try {
    page = await logs.send(
      new FilterLogEventsCommand({ logGroupName, startTime: since, endTime: window.until.getTime(), filterPattern, limit: PAGE_EVENTS, ...(since >= NEWEST_FIRST_SINCE ? { startFromHead: false } : {}) }),
    );
  } catch (err) {
    if (errorKindOf(err) === 'not_found') return { count: 0, complete: true, missing: true };
    throw err;
  }
  const times = (page.events ?? []).map((e) => e.timestamp ?? 0);
  return {
    count: times.length,
    complete: !page.nextToken,
    missing: false,
    ...(times.length ? { newest: Math.max(...times), oldest: Math.min(...times) } : {}),
  };
}

/**
 * Counts several kinds of line of one log group over the window in one Logs Insights query (one
 * parsed field per kind, `regex` its phrases), checked before it is believed; undefined when it
 * could not count or its answer was not believed.
 */
export async function countKinds<K extends string>(
  logs: CloudWatchLogsClient,
  logGroupName: string,
  window: Window,
  limits: SourceLimits,
  signal: AbortSignal,
  kinds: Record<K, string>,
): Promise<{ counts: Record<K, number>; bytesScanned: number } | undefined> {
  const names = Object.keys(kinds) as K[];
  const query = [...names.map((name) => `parse @message /(?<fb_${name}>${kinds[name]})/`), `stats ${names.map((name) => `count(fb_${name}) as ${name}`).join(', ')} by bin(5m)`].join('\n| ');
  const outcome = await countWindow(logs, logGroupName, window, limits, signal, query).catch((): undefined => undefined);
  if (!outcome || 'fallback' in outcome || !(outcome as InsightsOutcome).ok) return undefined;
  const answer = outcome as Extract<InsightsOutcome, { ok: true }>;
  if (statsAnswerProblem(answer, names)) return undefined;
  const counts = Object.fromEntries(names.map((name) => [name, answer.rows.reduce((n, r) => n + Number(r[name]), 0)])) as Record<K, number>;
  return { counts, bytesScanned: answer.bytesScanned };
}

/** A page's count extrapolated over the window from the part the page covered. */
export function extrapolated(page: PageCount, window: Window): number {
  const until = window.until.getTime();
  const span = until - window.since.getTime();
  const covered = Math.max(1, Math.min(span, until - (page.oldest ?? until)));
  return Math.round((page.count * span) / covered);
}
