import { FilterLogEventsCommand, type CloudWatchLogsClient, type FilteredLogEvent, type FilterLogEventsCommandOutput } from '@aws-sdk/client-cloudwatch-logs';
import type { Truncation } from '../../core/coverage.js';
import type { LogLine } from '../../core/evidence.js';
import type { Window } from '../../core/target.js';
import { DeadlineError, errorKindOf } from '../../aws/errors.js';
import { collectPages } from '../paginate.js';
import type { SourceLimits } from '../types.js';

export interface LogGroupRead {
  logGroup: string;
  lines: LogLine[];
  /** The log group does not exist (nothing was ever written to it). */
  missing: boolean;
  truncated?: Truncation;
}

/**
 * AWS always interleaves the streams of a group by time (the flag is deprecated and ignored);
 * emulators such as moto still honour its old default and answer stream by stream, which breaks
 * "keep the newest": asking for it explicitly gives the same order everywhere.
 */
const INTERLEAVED = { interleaved: true } as const;

/**
 * Reads one log group's events in the window, paginated with the caps, and keeps the newest
 * `maxItems` (in time order). A missing
 * group is an answer (nothing was ever delivered), not an error: callers say what it means.
 */
export async function readLogGroup(
  logs: CloudWatchLogsClient,
  logGroupName: string,
  window: Window,
  limits: Pick<SourceLimits, 'maxItems' | 'maxPages'>,
  filterPattern?: string,
): Promise<LogGroupRead> {
  try {
    const collected = await collectPages(async (nextToken) => {
      const out = await logs.send(
        new FilterLogEventsCommand({
          logGroupName,
          startTime: window.since.getTime(),
          endTime: window.until.getTime(),
          ...(filterPattern ? { filterPattern } : {}),
          ...(nextToken ? { nextToken } : {}),
          ...INTERLEAVED,
        }),
      );
      return { items: inTimeOrder(out.events ?? []), ...(out.nextToken ? { next: out.nextToken } : {}) };
    }, { maxPages: limits.maxPages, maxItems: Number.MAX_SAFE_INTEGER });
    // At the cap keep the newest, since the failure under investigation is usually the latest:
    // in time order first, whatever order the pages came in. Memory stays bounded by maxPages.
    const lines = sortByTime(collected.items).slice(-limits.maxItems);
    const total = collected.truncated?.total ?? collected.items.length;
    const truncated = collected.truncated || lines.length < total ? { kept: lines.length, total } : undefined;
    return { logGroup: logGroupName, lines, missing: false, ...(truncated ? { truncated } : {}) };
  } catch (err) {
    if (errorKindOf(err) === 'not_found') return { logGroup: logGroupName, lines: [], missing: true };
    throw err;
  }
}

export interface NewestRead {
  logGroup: string;
  /** The newest lines (at most the number asked for), in time order. */
  lines: LogLine[];
  /** Events seen in the part of the window that was read (every one counted, not all kept). */
  seen: number;
  /** Where reading stopped going back: the oldest time read (epoch ms); the window's start when complete. */
  readFrom: number;
  /** The whole window was read, so `seen` is its exact total. */
  complete: boolean;
  missing: boolean;
  /** FilterLogEvents calls made. */
  pages: number;
}

/** `startFromHead: false` is accepted only for windows that start on or after this (reference §1.1). */
const NEWEST_FIRST_SINCE = Date.UTC(2024, 0, 1);
/** Events a slice of the fallback is sized for: most fit one page (10,000 events or 1 MB). */
const SLICE_EVENTS = 4_000;
const MAX_SLICES = 8;
const MAX_ROUNDS = 3;

const toLine = (e: FilteredLogEvent): LogLine => ({
  timestamp: e.timestamp ?? 0,
  message: (e.message ?? '').replace(/\n$/, ''),
  ...(e.logStreamName ? { logStream: e.logStreamName } : {}),
});

/**
 * A page's events in time order. A newest-first page is reversed first (so events of one
 * millisecond keep the order they were written in), then every page is sorted by timestamp:
 * "newest" is only ever taken from lines in time order, whatever order a service returned.
 */
export function inTimeOrder(events: readonly FilteredLogEvent[]): LogLine[] {
  const lines = events.map(toLine);
  const first = lines[0];
  const last = lines[lines.length - 1];
  if (first && last && first.timestamp > last.timestamp) lines.reverse();
  return sortByTime(lines);
}

function sortByTime(lines: LogLine[]): LogLine[] {
  for (let i = 1; i < lines.length; i++) {
    if ((lines[i] as LogLine).timestamp < (lines[i - 1] as LogLine).timestamp) return lines.sort((a, b) => a.timestamp - b.timestamp);
  }
  return lines;
}

interface ReadOptions {
  /** Only events matching this CloudWatch filter pattern. */
  filterPattern?: string;
}

/**
 * The newest `maxItems` events of the window, in time order, in as few round trips as the service
 * allows: FilterLogEvents with `startFromHead: false` returns the newest first, so one page holds
 * them (a window that fits one page is read whole, and then exactly counted). Where newest-first
 * is not available (a window before 2024, an emulator answering oldest first), the first page
 * gives the rate and slices from the window's end are read side by side, never one after another.
 */
export async function readNewest(
  logs: CloudWatchLogsClient,
  logGroupName: string,
  window: Window,
  limits: Pick<SourceLimits, 'maxItems' | 'maxPages'>,
  options: ReadOptions = {},
): Promise<NewestRead> {
  const since = window.since.getTime();
  const until = window.until.getTime();
  const want = limits.maxItems;
  const base = { logGroupName, startTime: since, endTime: until, ...(options.filterPattern ? { filterPattern: options.filterPattern } : {}), ...INTERLEAVED };
  let pages = 0;
  try {
    const newestFirst = since >= NEWEST_FIRST_SINCE;
    const first = await logs.send(new FilterLogEventsCommand({ ...base, limit: Math.min(want, PAGE_EVENTS), ...(newestFirst ? { startFromHead: false } : {}) }));
    pages++;
    const events = first.events ?? [];
    const page = inTimeOrder(events);
    if (!first.nextToken) {
      // The whole window fit in what was returned: every event read and counted.
      return { logGroup: logGroupName, lines: page.slice(-want), seen: page.length, readFrom: since, complete: true, missing: false, pages };
    }
    const answeredNewestFirst = newestFirst && !(events.length > 1 && (events[0]?.timestamp ?? 0) < (events[events.length - 1]?.timestamp ?? 0));
    if (answeredNewestFirst) {
      // The newest page: more pages only when 1 MB cut it short of what was asked.
      const kept: LogLine[][] = [page];
      let count = page.length;
      let token: string | undefined = first.nextToken;
      while (token && count < want && pages < limits.maxPages) {
        let out: FilterLogEventsCommandOutput;
        try {
          out = await logs.send(new FilterLogEventsCommand({ ...base, limit: Math.min(want - count, PAGE_EVENTS), nextToken: token }));
        } catch (err) {
          // A deadline after the newest page keeps what was read: the newest lines are the point.
          if (err instanceof DeadlineError) break;
          throw err;
        }
        pages++;
        const more = inTimeOrder(out.events ?? []);
        kept.unshift(more);
        count += more.length;
        token = out.nextToken;
      }
      const lines = sortByTime(kept.flat()).slice(-want);
      const complete = !token;
      return { logGroup: logGroupName, lines, seen: count, readFrom: complete ? since : (lines[0]?.timestamp ?? since), complete, missing: false, pages };
    }
    return await readSlicesFromEnd(logs, base, window, want, page, limits.maxPages, pages);
  } catch (err) {
    if (errorKindOf(err) === 'not_found') return { logGroup: logGroupName, lines: [], seen: 0, readFrom: since, complete: true, missing: true, pages };
    throw err;
  }
}

/** FilterLogEvents' page: 10,000 events at most (and 1 MB). */
const PAGE_EVENTS = 10_000;

/**
 * Without newest-first: the first page (oldest first) says the rate; slices from the window's end,
 * sized to hold what is wanted, are read side by side, each to its last page; another round only
 * when the rate was misjudged (at most three rounds).
 */
async function readSlicesFromEnd(
  logs: CloudWatchLogsClient,
  base: { logGroupName: string; startTime: number; endTime: number; filterPattern?: string; interleaved: true },
  window: Window,
  want: number,
  oldestPage: LogLine[],
  maxPages: number,
  pagesSoFar: number,
): Promise<NewestRead> {
  const since = window.since.getTime();
  const until = window.until.getTime();
  const lastOfFirst = oldestPage[oldestPage.length - 1]?.timestamp ?? since;
  let rate = oldestPage.length / Math.max(1, lastOfFirst - since + 1);
  let pages = pagesSoFar;
  let end = until;
  const rounds: LogLine[][] = [];
  let kept = 0;
  let seen = 0;
  for (let round = 0; round < MAX_ROUNDS && kept < want && end >= since; round++) {
    const need = (want - kept) * 1.25;
    const span = Math.min(end - since + 1, Math.max(1_000, Math.ceil(need / Math.max(rate, 1e-9))));
    const count = Math.min(MAX_SLICES, Math.max(1, Math.ceil(need / SLICE_EVENTS)));
    const start = end - span + 1;
    const bounds = Array.from({ length: count }, (_, i) => ({
      startTime: Math.round(start + (span * i) / count),
      endTime: i === count - 1 ? end : Math.round(start + (span * (i + 1)) / count) - 1,
    }));
    const slices = await Promise.all(
      bounds.map(async (bound) => {
        const lines: LogLine[] = [];
        let token: string | undefined;
        let read = 0;
        do {
          const out: FilterLogEventsCommandOutput = await logs.send(new FilterLogEventsCommand({ ...base, ...bound, ...(token ? { nextToken: token } : {}) }));
          read++;
          lines.push(...inTimeOrder(out.events ?? []));
          token = out.nextToken;
        } while (token && read < maxPages);
        return { lines, read };
      }),
    );
    pages += slices.reduce((n, s) => n + s.read, 0);
    const found = sortByTime(slices.flatMap((s) => s.lines));
    seen += found.length;
    rounds.unshift(found.slice(-(want - kept)));
    kept += Math.min(found.length, want - kept);
    rate = Math.max(rate, found.length / span);
    end = start - 1;
  }
  const complete = end < since;
  const lines = rounds.flat();
  return { logGroup: base.logGroupName, lines, seen, readFrom: complete ? since : end + 1, complete, missing: false, pages };
}

/**
 * Every event of a range (up to `maxItems`, the newest kept), read in time slices side by side,
 * each to its last page: the fallback that counts error lines one by one when Logs Insights could
 * not, without walking the range one page after another.
 */
export async function readRange(
  logs: CloudWatchLogsClient,
  logGroupName: string,
  range: Window,
  limits: Pick<SourceLimits, 'maxItems' | 'maxPages'>,
  filterPattern?: string,
): Promise<{ lines: LogLine[]; seen: number; complete: boolean }> {
  const from = range.since.getTime();
  const to = range.until.getTime();
  if (to < from) return { lines: [], seen: 0, complete: true };
  const count = Math.min(MAX_SLICES, Math.max(1, Math.floor((to - from) / 60_000)));
  const pagesEach = Math.max(1, Math.ceil(limits.maxPages / count));
  const slices = await Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const startTime = Math.round(from + ((to - from) * i) / count);
      const endTime = i === count - 1 ? to : Math.round(from + ((to - from) * (i + 1)) / count) - 1;
      const lines: LogLine[] = [];
      let token: string | undefined;
      let pages = 0;
      do {
        const out: FilterLogEventsCommandOutput = await logs.send(
          new FilterLogEventsCommand({ logGroupName, startTime, endTime, ...(filterPattern ? { filterPattern } : {}), ...(token ? { nextToken: token } : {}), ...INTERLEAVED }),
        );
        pages++;
        lines.push(...inTimeOrder(out.events ?? []));
        token = out.nextToken;
      } while (token && pages < pagesEach);
      return { lines, complete: !token };
    }),
  );
  const all = sortByTime(slices.flatMap((s) => s.lines));
  return { lines: all.slice(-limits.maxItems), seen: all.length, complete: slices.every((s) => s.complete) };
}

/** `arn:aws:logs:{region}:{account}:log-group:{name}` (optionally ending `:*`) → its parts. */
export function parseLogGroupArn(arn: string): { region: string; accountId: string; logGroupName: string } | undefined {
  const match = /^arn:aws[\w-]*:logs:([^:]*):(\d*):log-group:(.+?)(?::\*)?$/.exec(arn);
  if (!match) return undefined;
  return { region: match[1] ?? '', accountId: match[2] ?? '', logGroupName: match[3] ?? '' };
}

/**
 * One truncation for a source that read several groups: untruncated groups count fully on both
 * sides, so the ratio stays honest; the total is exact only if every part's is; the period is
 * the span of the truncated parts' periods. Undefined when nothing was truncated.
 */
export function combineTruncation(parts: { kept: number; truncated?: Truncation | undefined }[]): Truncation | undefined {
  const cut = parts.filter((p) => p.truncated);
  if (cut.length === 0) return undefined;
  const combined: Truncation = {
    kept: parts.reduce((n, p) => n + (p.truncated?.kept ?? p.kept), 0),
    total: parts.reduce((n, p) => n + (p.truncated?.total ?? p.kept), 0),
  };
  if (cut.every((p) => p.truncated?.totalExact !== undefined)) combined.totalExact = cut.every((p) => p.truncated?.totalExact);
  const froms = cut.flatMap((p) => (p.truncated?.from ? [p.truncated.from] : [])).sort();
  const untils = cut.flatMap((p) => (p.truncated?.until ? [p.truncated.until] : [])).sort();
  if (froms.length === cut.length && untils.length === cut.length) {
    combined.from = froms[0] as string;
    combined.until = untils[untils.length - 1] as string;
  }
  return combined;
}
