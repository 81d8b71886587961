import { FilterLogEventsCommand, type CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { Truncation } from '../../core/coverage.js';
import type { LogLine } from '../../core/evidence.js';
import type { Window } from '../../core/target.js';
import { errorKindOf } from '../../aws/errors.js';
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

/** `arn:aws:logs:{region}:{account}:log-group:{name}` (optionally ending `:*`) → its parts. */
export function parseLogGroupArn(arn: string): { region: string; accountId: string; logGroupName: string } | undefined {
  const match = /^arn:aws[\w-]*:logs:([^:]*):(\d*):log-group:(.+?)(?::\*)?$/.exec(arn);
  if (!match) return undefined;
  return { region: match[1] ?? '', accountId: match[2] ?? '', logGroupName: match[3] ?? '' };
}

/**
 * One {kept, total} for a source that read several groups: untruncated groups count fully on
 * both sides, so the ratio stays honest. Undefined when nothing was truncated.
 */
export function combineTruncation(parts: { kept: number; truncated?: Truncation | undefined }[]): Truncation | undefined {
  if (!parts.some((p) => p.truncated)) return undefined;
  return parts.reduce<Truncation>(
    (sum, p) => ({ kept: sum.kept + p.kept, total: sum.total + (p.truncated?.total ?? p.kept) }),
    { kept: 0, total: 0 },
  );
}
