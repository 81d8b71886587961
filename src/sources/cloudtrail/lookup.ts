import { LookupEventsCommand, type Event as TrailEvent } from '@aws-sdk/client-cloudtrail';
import type { AwsClients } from '../../aws/clients.js';
import type { Truncation } from '../../core/coverage.js';
import { collectPages } from '../paginate.js';

/** The control planes whose management events explain an API Gateway failure. */
export const EVENT_SOURCES = ['apigateway.amazonaws.com', 'ec2.amazonaws.com', 'lambda.amazonaws.com'] as const;

export interface TrailRead {
  events: TrailEvent[];
  truncated?: Truncation;
}

/**
 * LookupEvents accepts one lookup attribute per call, so each event source is its own paginated
 * lookup; they run at once and are merged newest first.
 */
export async function lookupBySources(
  clients: AwsClients,
  range: { start: Date; end: Date },
  limits: { maxItems: number; maxPages: number },
  keep: (event: TrailEvent) => boolean,
): Promise<TrailRead> {
  const reads = await Promise.all(
    EVENT_SOURCES.map((source) =>
      collectPages(async (NextToken) => {
        const out = await clients.cloudtrail.send(
          new LookupEventsCommand({
            LookupAttributes: [{ AttributeKey: 'EventSource', AttributeValue: source }],
            StartTime: range.start,
            EndTime: range.end,
            MaxResults: 50,
            ...(NextToken ? { NextToken } : {}),
          }),
        );
        return { items: (out.Events ?? []).filter(keep), ...(out.NextToken ? { next: out.NextToken } : {}) };
      }, limits),
    ),
  );
  const events = reads
    .flatMap((r) => r.items)
    .sort((a, b) => new Date(b.EventTime ?? 0).getTime() - new Date(a.EventTime ?? 0).getTime());
  const truncatedAny = reads.some((r) => r.truncated);
  const kept = events.slice(0, limits.maxItems);
  const total = reads.reduce((n, r) => n + (r.truncated?.total ?? r.items.length), 0);
  return { events: kept, ...(truncatedAny || kept.length < events.length ? { truncated: { kept: kept.length, total } } : {}) };
}
