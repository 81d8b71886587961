import { awsError } from '../aws-error.js';
import { invalidTokenErrors, pageOf } from '../paging.js';
import type { ScenarioAccount } from '../scenario.js';
import type { Handler, ServiceContext, ServiceHandlers } from './context.js';

/** LookupEvents returns at most 50 events a page, newest first. */
const MAX_RESULTS = 50;

interface TrailEvent {
  EventId: string;
  EventName: string;
  EventTime: Date;
  EventSource: string;
  ReadOnly: string;
  Username?: string;
  AccessKeyId?: string;
  Resources: { ResourceType?: string; ResourceName?: string }[];
  CloudTrailEvent: string;
}

/** A UUID-shaped id derived from the event's position, so hand-written events need none. */
function derivedEventId(accountId: string, index: number): string {
  const hex = (accountId + String(index).padStart(8, '0')).replace(/\D/g, '').padStart(32, '0').slice(-32);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function toTrailEvent(raw: NonNullable<ScenarioAccount['cloudtrail']>['events'][number], index: number, ctx: ServiceContext): TrailEvent {
  const record = typeof raw.CloudTrailEvent === 'string' ? undefined : raw.CloudTrailEvent;
  const eventId = raw.EventId ?? (typeof record?.eventID === 'string' ? record.eventID : derivedEventId(ctx.accountId, index));
  const eventSource = raw.EventSource ?? (typeof record?.eventSource === 'string' ? record.eventSource : 'apigateway.amazonaws.com');
  const readOnly = raw.ReadOnly ?? (record?.readOnly === true ? 'true' : 'false');
  // An object record gets the keys AWS always sends, so scenarios can stay short.
  const cloudTrailEvent =
    typeof raw.CloudTrailEvent === 'string'
      ? raw.CloudTrailEvent
      : JSON.stringify({
          eventVersion: '1.09',
          eventTime: raw.EventTime.toISOString().replace(/\.\d{3}Z$/, 'Z'),
          eventSource,
          eventName: raw.EventName,
          awsRegion: ctx.region,
          eventID: eventId,
          readOnly: readOnly === 'true',
          eventType: 'AwsApiCall',
          recipientAccountId: ctx.accountId,
          ...raw.CloudTrailEvent,
        });
  return {
    EventId: eventId,
    EventName: raw.EventName,
    EventTime: new Date(raw.EventTime),
    EventSource: eventSource,
    ReadOnly: readOnly,
    ...(raw.Username !== undefined ? { Username: raw.Username } : {}),
    ...(raw.AccessKeyId !== undefined ? { AccessKeyId: raw.AccessKeyId } : {}),
    Resources: raw.Resources ?? [],
    CloudTrailEvent: cloudTrailEvent,
  };
}

const ATTRIBUTES: Record<string, (e: TrailEvent) => string[]> = {
  EventId: (e) => [e.EventId],
  EventName: (e) => [e.EventName],
  ReadOnly: (e) => [e.ReadOnly],
  Username: (e) => (e.Username ? [e.Username] : []),
  ResourceType: (e) => e.Resources.map((r) => r.ResourceType ?? ''),
  ResourceName: (e) => e.Resources.map((r) => r.ResourceName ?? ''),
  EventSource: (e) => [e.EventSource],
  AccessKeyId: (e) => (e.AccessKeyId ? [e.AccessKeyId] : []),
};

function attributeFilter(input: Record<string, unknown>): (e: TrailEvent) => boolean {
  const attributes = Array.isArray(input.LookupAttributes) ? (input.LookupAttributes as { AttributeKey?: string; AttributeValue?: string }[]) : [];
  if (attributes.length === 0) return () => true;
  if (attributes.length > 1) throw awsError('InvalidLookupAttributesException', 'You cannot specify more than one lookup attribute.');
  const [{ AttributeKey = '', AttributeValue = '' } = {}] = attributes;
  const read = ATTRIBUTES[AttributeKey];
  if (!read) throw awsError('InvalidLookupAttributesException', `Invalid attribute key: ${AttributeKey}`);
  return (e) => read(e).includes(AttributeValue);
}

function timeOf(value: unknown): number | undefined {
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'number') return value * 1000 > 1e12 ? value : value * 1000;
  if (typeof value === 'string') return new Date(value).getTime();
  return undefined;
}

const lookupEvents: Handler = (input, ctx) => {
  const start = timeOf(input.StartTime) ?? Number.NEGATIVE_INFINITY;
  const end = timeOf(input.EndTime) ?? Number.POSITIVE_INFINITY;
  if (start > end) throw awsError('InvalidTimeRangeException', 'Start time must be earlier than end time.');
  const wanted = attributeFilter(input);
  const events = (ctx.account.cloudtrail?.events ?? [])
    .map((raw, index) => toTrailEvent(raw, index, ctx))
    .filter((e) => e.EventTime.getTime() >= start && e.EventTime.getTime() <= end && wanted(e))
    .sort((a, b) => b.EventTime.getTime() - a.EventTime.getTime());
  const page = pageOf(events, {
    token: input.NextToken,
    limit: input.MaxResults,
    serviceMax: MAX_RESULTS,
    scenarioPageSize: ctx.scenario.pageSize,
    scope: `cloudtrail:LookupEvents:${JSON.stringify(input.LookupAttributes ?? [])}:${start}:${end}`,
    invalidToken: invalidTokenErrors.cloudtrail,
  });
  return { Events: page.items, ...(page.next ? { NextToken: page.next } : {}) };
};

export const cloudtrailHandlers: ServiceHandlers = { LookupEvents: lookupEvents };
