import { LookupEventsCommand, type Event as TrailEvent } from '@aws-sdk/client-cloudtrail';
import type { AwsClients } from '../../aws/clients.js';
import type { Truncation } from '../../core/coverage.js';
import { collectPages } from '../paginate.js';

/** The control planes whose management events explain an API Gateway failure. */
export const EVENT_SOURCES: readonly string[] = ['apigateway.amazonaws.com', 'ec2.amazonaws.com', 'lambda.amazonaws.com'];
/** Read too when a stage has a web ACL: a rule switched to Block explains WAF blocks (A8). */
export const WAF_EVENT_SOURCE = 'wafv2.amazonaws.com';

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
  sources: readonly string[] = EVENT_SOURCES,
): Promise<TrailRead> {
  const reads = await Promise.all(
    sources.map((source) =>
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
