import { FilterLogEventsCommand, type CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
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
      const items: LogLine[] = (out.events ?? []).map((e) => ({
        timestamp: e.timestamp ?? 0,
        message: (e.message ?? '').replace(/\n$/, ''),
        ...(e.logStreamName ? { logStream: e.logStreamName } : {}),
      }));
      return { items, ...(out.nextToken ? { next: out.nextToken } : {}) };
    }, { maxPages: limits.maxPages, maxItems: Number.MAX_SAFE_INTEGER });
    // Events come oldest first; at the cap keep the newest, since the failure under
    // investigation is usually the latest. Memory stays bounded by maxPages.
    const lines = collected.items.slice(-limits.maxItems);
    const total = collected.truncated?.total ?? collected.items.length;
    const truncated = collected.truncated || lines.length < total ? { kept: lines.length, total } : undefined;
    return { logGroup: logGroupName, lines, missing: false, ...(truncated ? { truncated } : {}) };
  } catch (err) {
    if (errorKindOf(err) === 'not_found') return { logGroup: logGroupName, lines: [], missing: true };
    throw err;
  }
}

/** Without a count of the window, the first slice read from its end. */
const FIRST_SLICE_MS = 60_000;

export interface NewestRead {
  logGroup: string;
  /** The newest lines (at most maxItems), in time order. */
  lines: LogLine[];
  /** Events seen in the part of the window that was read (every one counted, not all kept). */
  seen: number;
  /** Where reading stopped going back: the start of the oldest slice read (epoch ms). */
  readFrom: number;
  /** The whole window was read, so `seen` is its exact total. */
  complete: boolean;
  missing: boolean;
}

/**
 * The newest `maxItems` events of the window, read in time slices from its end: FilterLogEvents
 * returns events oldest first, so reading from the start and stopping at a cap would keep the
 * oldest ones (reference §1.4). Each slice is read to its last page; the next slice reaches back
 * far enough for what is still missing at the rate seen so far. `expectedEvents` (a count of the
 * window, e.g. from Logs Insights) sizes the first slice.
 */
export async function readNewest(
  logs: CloudWatchLogsClient,
  logGroupName: string,
  window: Window,
  limits: Pick<SourceLimits, 'maxItems' | 'maxPages'>,
  expectedEvents?: number,
): Promise<NewestRead> {
  const since = window.since.getTime();
  const until = window.until.getTime();
  const span = Math.max(1, until - since);
  const want = limits.maxItems;
  let sliceMs = expectedEvents && expectedEvents > 0 ? Math.ceil((span * want * 1.25) / expectedEvents) : FIRST_SLICE_MS;
  const slices: LogLine[][] = [];
  let kept = 0;
  let seen = 0;
  let pages = 0;
  let end = until;
  let readFrom = until;
  let complete = false;
  try {
    while (kept < want) {
      const start = Math.max(since, end - Math.max(1_000, sliceMs));
      const need = want - kept;
      // A slice's events come oldest first: keep its newest `need`, dropping in blocks to stay lean.
      let buffer: LogLine[] = [];
      let token: string | undefined;
      do {
        const out = await logs.send(
          new FilterLogEventsCommand({ logGroupName, startTime: start, endTime: end, ...(token ? { nextToken: token } : {}), ...INTERLEAVED }),
        );
        pages++;
        for (const e of out.events ?? []) {
          buffer.push({ timestamp: e.timestamp ?? 0, message: (e.message ?? '').replace(/\n$/, ''), ...(e.logStreamName ? { logStream: e.logStreamName } : {}) });
        }
        seen += out.events?.length ?? 0;
        if (buffer.length > 2 * need) buffer = buffer.slice(-need);
        token = out.nextToken;
      } while (token && pages < limits.maxPages);
      const slice = buffer.slice(-need);
      slices.unshift(slice);
      kept += slice.length;
      readFrom = start;
      if (token) break;
      if (start <= since) {
        complete = true;
        break;
      }
      // Size the next slice for what is missing at the rate seen so far (at least double, at most the rest).
      const rate = seen / Math.max(1, until - start);
      const next = rate > 0 ? Math.ceil(((want - kept) / rate) * 1.25) : sliceMs * 4;
      sliceMs = Math.max(next, sliceMs * 2);
      end = start - 1;
    }
  } catch (err) {
    if (errorKindOf(err) === 'not_found') return { logGroup: logGroupName, lines: [], seen: 0, readFrom: since, complete: true, missing: true };
    // A deadline after the newest slice keeps what was read: the newest lines are the point.
    if (!(err instanceof DeadlineError) || slices.length === 0) throw err;
  }
  return { logGroup: logGroupName, lines: slices.flat(), seen, readFrom, complete, missing: false };
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
