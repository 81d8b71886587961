import { FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import type { AwsClients } from '../aws/clients.js';
import type { LogLine } from '../core/evidence.js';
import type { Truncation } from '../core/coverage.js';
import type { Window } from '../core/target.js';
import { awsErrorName } from './cross-account.js';
import { collectPages } from './paginate.js';

export interface LogGroupRead {
  logGroup: string;
  /** The group does not exist (ResourceNotFoundException): nothing was ever written to it. */
  missing: boolean;
  lines: LogLine[];
  truncated?: Truncation;
}

/** FilterLogEvents over the window, paginated with caps; a missing group is an answer, not an error. */
export async function filterLogGroup(
  clients: AwsClients,
  logGroup: string,
  window: Window,
  filterPattern: string | undefined,
  limits: { maxItems: number; maxPages: number },
): Promise<LogGroupRead> {
  try {
    const collected = await collectPages(async (nextToken) => {
      const out = await clients.logs.send(
        new FilterLogEventsCommand({
          logGroupName: logGroup,
          startTime: window.since.getTime(),
          endTime: window.until.getTime(),
          ...(filterPattern ? { filterPattern } : {}),
          ...(nextToken ? { nextToken } : {}),
        }),
      );
      const items: LogLine[] = (out.events ?? []).map((e) => ({
        timestamp: e.timestamp ?? 0,
        message: e.message ?? '',
        ...(e.logStreamName ? { logStream: e.logStreamName } : {}),
      }));
      return { items, ...(out.nextToken ? { next: out.nextToken } : {}) };
    }, limits);
    return { logGroup, missing: false, lines: collected.items, ...(collected.truncated ? { truncated: collected.truncated } : {}) };
  } catch (err) {
    if (awsErrorName(err) === 'ResourceNotFoundException') return { logGroup, missing: true, lines: [] };
    throw err;
  }
}

/** One truncation for several reads: what was kept of what there was, when any read was capped. */
export function combinedTruncation(parts: readonly { kept: number; truncated?: Truncation | undefined }[]): Truncation | undefined {
  if (!parts.some((p) => p.truncated)) return undefined;
  let kept = 0;
  let total = 0;
  for (const part of parts) {
    kept += part.kept;
    total += part.truncated?.total ?? part.kept;
  }
  return { kept, total };
}
