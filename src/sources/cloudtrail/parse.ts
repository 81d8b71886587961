import type { Event as TrailEvent } from '@aws-sdk/client-cloudtrail';
import type { CloudTrailEventEvidence } from '../../core/evidence.js';

/** The keys of the `CloudTrailEvent` JSON record firebreak reads. */
interface CloudTrailRecord {
  eventTime?: string;
  eventSource?: string;
  eventName?: string;
  awsRegion?: string;
  errorCode?: string;
  errorMessage?: string;
  readOnly?: boolean;
  recipientAccountId?: string;
  requestParameters?: Record<string, unknown> | null;
  userIdentity?: { arn?: string; accountId?: string; userName?: string };
}

/** LookupEvents returns the record as a JSON string; a scenario may hold it as an object. */
export function parseCloudTrailRecord(raw: unknown): CloudTrailRecord {
  if (raw && typeof raw === 'object') return raw as CloudTrailRecord;
  if (typeof raw !== 'string' || raw === '') return {};
  try {
    const value = JSON.parse(raw) as unknown;
    return value && typeof value === 'object' ? (value as CloudTrailRecord) : {};
  } catch {
    return {};
  }
}

const SCP_DENY = /service control policy/i;
const SCP_ARN = /arn:aws[\w-]*:organizations::\d{12}:policy\/[\w/-]+/;

/** An explicit SCP deny names itself in the message; recent messages append the policy ARN. */
export function scpDenyOf(errorMessage: string | undefined): { policyArn?: string } | undefined {
  if (!errorMessage || !SCP_DENY.test(errorMessage)) return undefined;
  const arn = SCP_ARN.exec(errorMessage)?.[0];
  return arn ? { policyArn: arn } : {};
}

export const DENIED_ERROR_CODES = new Set(['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation', 'Client.UnauthorizedOperation']);

export function isDenied(evidence: CloudTrailEventEvidence): boolean {
  return Boolean(evidence.errorCode && DENIED_ERROR_CODES.has(evidence.errorCode));
}

const READ_NAME = /^(Get|List|Describe|Lookup|Search|Head|Filter)[A-Z]/;

/** A write: `ReadOnly` false, or when absent, a name that is not a read verb. */
export function isWriteEvent(event: TrailEvent): boolean {
  if (event.ReadOnly !== undefined) return String(event.ReadOnly).toLowerCase() === 'false';
  return !READ_NAME.test(event.EventName ?? '');
}

function isoTime(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'string' || typeof value === 'number') {
    const date = new Date(value);
    if (!Number.isNaN(date.getTime())) return date.toISOString();
  }
  return '';
}

/** One LookupEvents event as evidence, with the fields of its parsed record. */
export function toEventEvidence(event: TrailEvent): CloudTrailEventEvidence {
  const record = parseCloudTrailRecord(event.CloudTrailEvent);
  const evidence: CloudTrailEventEvidence = {
    eventId: event.EventId ?? '',
    eventName: event.EventName ?? record.eventName ?? '',
    eventTime: isoTime(event.EventTime ?? record.eventTime),
    eventSource: event.EventSource ?? record.eventSource ?? '',
    resources: (event.Resources ?? []).map((r) => ({
      ...(r.ResourceType ? { type: r.ResourceType } : {}),
      ...(r.ResourceName ? { name: r.ResourceName } : {}),
    })),
  };
  const accountId = record.recipientAccountId ?? record.userIdentity?.accountId;
  if (accountId) evidence.accountId = accountId;
  if (record.awsRegion) evidence.region = record.awsRegion;
  if (event.Username) evidence.username = event.Username;
  if (record.userIdentity?.arn) evidence.principalArn = record.userIdentity.arn;
  if (record.errorCode) evidence.errorCode = record.errorCode;
  if (record.errorMessage) evidence.errorMessage = record.errorMessage;
  const scp = scpDenyOf(record.errorMessage);
  if (scp) evidence.scpDeny = scp;
  if (record.requestParameters && typeof record.requestParameters === 'object') evidence.requestParameters = record.requestParameters;
  return evidence;
}

/** Every string inside a value (request parameters are nested objects and arrays). */
export function stringsIn(value: unknown, out: string[] = [], depth = 0): string[] {
  if (depth > 6) return out;
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const item of value) stringsIn(item, out, depth + 1);
  else if (value && typeof value === 'object') for (const item of Object.values(value)) stringsIn(item, out, depth + 1);
  return out;
}
