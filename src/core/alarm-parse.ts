import { z } from 'zod';
import { ALARM_STATES, parseAlarmArn, type AlarmChange, type AlarmMetric } from './alarm.js';
import type { Parsed } from './input.js';

/**
 * Reads an alarm state change in each shape CloudWatch sends or answers it in:
 * - the EventBridge "CloudWatch Alarm State Change" event (dimensions as a map, `name` for the
 *   metric name; `+0000` offsets);
 * - the SNS notification, bare, as the HTTP/HTTPS subscription body, or inside Lambda's
 *   `Records[].Sns` (`Message` is a JSON string; dimensions as `[{name,value}]`; `Region` is a
 *   display name, so the Region comes from `AlarmArn`; older samples lack fields: all optional);
 * - DescribeAlarms' `MetricAlarm` / `CompositeAlarm` (dimensions as `[{Name,Value}]`), alone or as
 *   the whole answer.
 * Field names are AWS's own (../../shared reference: cloudwatch-metrics-and-alarms.md §4–§6).
 */
const state = z.enum(ALARM_STATES);
const name = z.string().min(1).max(255);
const text = (max: number) => z.string().transform((s) => s.slice(0, max));
const optionalText = (max: number) => text(max).nullish();

/** `2019-10-02T17:04:40.989+0000`: `+0000` is not ISO 8601's extended form; written `+00:00` first. */
function awsTime(value: string | Date): Date | undefined {
  const date = value instanceof Date ? value : new Date(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  return Number.isNaN(date.getTime()) ? undefined : date;
}

const timestamp = z.union([z.string(), z.date()]).transform((value, ctx) => {
  const date = awsTime(value);
  if (!date) {
    ctx.addIssue({ code: 'custom', message: 'expected a time such as 2019-10-02T17:04:40.989+0000' });
    return z.NEVER;
  }
  return date;
});

const dimensionValue = z.string().max(1024);

type Absent = null | undefined;

/** Drops absent fields (undefined, null, ''): an alarm's optional parts are left out, not empty. */
function compact<T extends Record<string, unknown>>(fields: T): { [K in keyof T]: Exclude<T[K], Absent> } {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined && v !== null && v !== '')) as { [K in keyof T]: Exclude<T[K], Absent> };
}

function metric(fields: { namespace?: string | Absent; name?: string | Absent; dimensions: Record<string, string>; stat?: string | Absent; period?: number | Absent; id?: string | Absent; expression?: string | Absent; label?: string | Absent; returnData?: boolean | Absent }): AlarmMetric {
  return compact(fields) as AlarmMetric;
}

/** A math alarm's query list in the SNS and DescribeAlarms shapes (they differ only in how dimensions are written). */
function metricQuery<D extends z.ZodType<{ name: string; value: string } | { Name: string; Value: string }>>(dimension: D) {
  return z.looseObject({
    Id: z.string().optional(),
    Label: z.string().nullish(),
    Expression: z.string().max(2_048).nullish(),
    ReturnData: z.boolean().nullish(),
    MetricStat: z
      .looseObject({
        Metric: z.looseObject({ Namespace: z.string().nullish(), MetricName: z.string().nullish(), Dimensions: z.array(dimension).nullish() }),
        Period: z.number().nullish(),
        Stat: z.string().nullish(),
      })
      .nullish(),
  });
}

type Query = z.infer<ReturnType<typeof metricQuery>>;

/** Dimensions as SNS writes them (`[{name,value}]`) or DescribeAlarms does (`[{Name,Value}]`), as a map. */
function dimensionMap(list: readonly ({ name: string; value: string } | { Name: string; Value: string })[] | Absent): Record<string, string> {
  return Object.fromEntries((list ?? []).map((d) => ('Name' in d ? [d.Name, d.Value] : [d.name, d.value])));
}

function fromQuery(q: Query): AlarmMetric {
  const stat = q.MetricStat;
  return metric({ namespace: stat?.Metric.Namespace, name: stat?.Metric.MetricName, dimensions: dimensionMap(stat?.Metric.Dimensions), stat: stat?.Stat, period: stat?.Period, id: q.Id, expression: q.Expression, label: q.Label, returnData: q.ReturnData });
}

/** Threshold, comparison and evaluation periods, as SNS's Trigger and DescribeAlarms both name them. */
function evaluationOf(fields: { Threshold?: number | Absent; ComparisonOperator?: string | Absent; EvaluationPeriods?: number | Absent; DatapointsToAlarm?: number | Absent } | Absent) {
  return compact({ threshold: fields?.Threshold, comparison: fields?.ComparisonOperator, evaluationPeriods: fields?.EvaluationPeriods, datapointsToAlarm: fields?.DatapointsToAlarm });
}

// ---------------------------------------------------------------- EventBridge

const ebState = z.looseObject({ value: state, reason: optionalText(1_024), reasonData: z.string().max(8_000).nullish(), timestamp });

const ebMetric = z.looseObject({
  id: z.string().max(255).optional(),
  label: z.string().max(255).optional(),
  expression: z.string().max(2_048).optional(),
  returnData: z.boolean().optional(),
  metricStat: z
    .looseObject({
      metric: z.looseObject({ namespace: z.string().max(255).optional(), name: z.string().max(255).optional(), dimensions: z.record(z.string(), dimensionValue).optional() }),
      period: z.number().optional(),
      stat: z.string().max(100).optional(),
    })
    .optional(),
});

const eventBridgeEvent = z.looseObject({
  id: z.string().max(255).optional(),
  'detail-type': z.literal('CloudWatch Alarm State Change'),
  source: z.literal('aws.cloudwatch'),
  account: z.string().optional(),
  region: z.string().optional(),
  resources: z.array(z.string()).optional(),
  detail: z.looseObject({
    alarmName: name,
    state: ebState,
    previousState: ebState.partial({ timestamp: true }).nullish(),
    configuration: z
      .looseObject({ description: optionalText(1_024), metrics: z.array(ebMetric).max(50).optional(), alarmRule: optionalText(10_240) })
      .nullish(),
    alarmTags: z.record(z.string(), z.string()).nullish(),
  }),
});

/** `reasonData` (a JSON string): the threshold, and a composite alarm's triggering children. */
const reasonData = z.looseObject({
  threshold: z.number().optional(),
  statistic: z.string().optional(),
  period: z.number().optional(),
  triggeringAlarms: z.array(z.looseObject({ arn: z.string() })).optional(),
});

function parseReasonData(raw: string | null | undefined): z.infer<typeof reasonData> | undefined {
  if (!raw) return undefined;
  try {
    const parsed = reasonData.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** "was greater than the threshold (50.0)": EventBridge events carry the comparison only in words. */
function comparisonFromReason(reason: string | null | undefined): string | undefined {
  const match = reason ? /was (not )?(greater|less) than( or equal to)? the threshold/.exec(reason) : null;
  if (!match) return undefined;
  const base = match[2] === 'greater' ? 'GreaterThan' : 'LessThan';
  // "was not greater than" is the OK side of the same GreaterThan comparison.
  return `${base}${match[3] ? 'OrEqualTo' : ''}Threshold`;
}

function fromEventBridge(event: z.infer<typeof eventBridgeEvent>): AlarmChange {
  const { detail } = event;
  const arn = event.resources?.find((r) => parseAlarmArn(r));
  const fromArn = parseAlarmArn(arn);
  const data = parseReasonData(detail.state.reasonData);
  const metrics = (detail.configuration?.metrics ?? []).map((m) =>
    metric({ namespace: m.metricStat?.metric.namespace, name: m.metricStat?.metric.name, dimensions: { ...(m.metricStat?.metric.dimensions ?? {}) }, stat: m.metricStat?.stat, period: m.metricStat?.period, id: m.id, expression: m.expression, label: m.label, returnData: m.returnData }),
  );
  const rule = detail.configuration?.alarmRule ?? undefined;
  return {
    shape: 'eventbridge',
    ...compact({
      deliveryId: event.id,
      alarmArn: arn,
      account: accountOf(event.account) ?? fromArn?.account,
      region: regionOf(event.region) ?? fromArn?.region,
      previousState: detail.previousState?.value,
      reason: detail.state.reason,
      description: detail.configuration?.description,
      threshold: data?.threshold,
      comparison: comparisonFromReason(detail.state.reason) ?? comparisonFromReason(detail.previousState?.reason),
    }),
    alarmName: detail.alarmName,
    state: detail.state.value,
    at: detail.state.timestamp,
    metrics,
    tags: { ...(detail.alarmTags ?? {}) },
    ...(rule || data?.triggeringAlarms ? { composite: { ...(rule ? { rule } : {}), triggering: (data?.triggeringAlarms ?? []).map((t) => t.arn) } } : {}),
  };
}

// ---------------------------------------------------------------- SNS

const lowerDimension = z.looseObject({ name: z.string(), value: dimensionValue });
const upperDimension = z.looseObject({ Name: z.string(), Value: dimensionValue });

const snsMetric = metricQuery(lowerDimension);

/** Tags as SNS may carry them: a map, or `[{Key,Value}]` (format not documented; both accepted). */
const tagList = z
  .union([z.record(z.string(), z.string()), z.array(z.looseObject({ Key: z.string(), Value: z.string() })), z.array(z.looseObject({ key: z.string(), value: z.string() }))])
  .transform((tags) => (Array.isArray(tags) ? Object.fromEntries(tags.map((t) => ('Key' in t ? [t.Key, t.Value] : [t.key, t.value]))) : tags));

const snsMessage = z.looseObject({
  AlarmName: name,
  AlarmDescription: optionalText(1_024),
  AWSAccountId: z.string().nullish(),
  NewStateValue: state,
  NewStateReason: optionalText(1_024),
  StateChangeTime: timestamp,
  Region: z.string().nullish(),
  AlarmArn: z.string().nullish(),
  OldStateValue: state.nullish(),
  Trigger: z
    .looseObject({
      MetricName: z.string().nullish(),
      Namespace: z.string().nullish(),
      Statistic: z.string().nullish(),
      ExtendedStatistic: z.string().nullish(),
      Dimensions: z.array(lowerDimension).nullish(),
      Period: z.number().nullish(),
      EvaluationPeriods: z.number().nullish(),
      DatapointsToAlarm: z.number().nullish(),
      ComparisonOperator: z.string().nullish(),
      Threshold: z.number().nullish(),
      Metrics: z.array(snsMetric).max(50).nullish(),
    })
    .nullish(),
  AlarmTags: tagList.nullish(),
});

const snsEnvelope = z.looseObject({ Type: z.literal('Notification').optional(), MessageId: z.string().optional(), Message: z.string().max(262_144) });
const snsLambdaEvent = z.looseObject({ Records: z.array(z.looseObject({ Sns: snsEnvelope })).min(1).max(100) });

/** SNS writes `AVERAGE`; everything else (and the DescribeAlarms answer) writes `Average`. */
function statName(stat: string | null | undefined): string | undefined {
  if (!stat) return undefined;
  return /^[A-Z_]+$/.test(stat) && stat !== 'SUM' ? stat.charAt(0) + stat.slice(1).toLowerCase() : stat === 'SUM' ? 'Sum' : stat;
}

function fromSns(message: z.infer<typeof snsMessage>, deliveryId: string | undefined): AlarmChange {
  const trigger = message.Trigger;
  const fromArn = parseAlarmArn(message.AlarmArn ?? undefined);
  const metrics = trigger?.Metrics?.length
    ? trigger.Metrics.map(fromQuery)
    : trigger
      ? [metric({ namespace: trigger.Namespace, name: trigger.MetricName, dimensions: dimensionMap(trigger.Dimensions), stat: trigger.ExtendedStatistic ?? statName(trigger.Statistic), period: trigger.Period })]
      : [];
  return {
    shape: 'sns',
    ...compact({
      deliveryId,
      alarmArn: fromArn ? message.AlarmArn : undefined,
      account: fromArn?.account ?? accountOf(message.AWSAccountId),
      // `Region` is a display name ("EU - Ireland"): only the ARN gives the code.
      region: fromArn?.region,
      previousState: message.OldStateValue,
      reason: message.NewStateReason,
      description: message.AlarmDescription,
    }),
    alarmName: message.AlarmName,
    state: message.NewStateValue,
    at: message.StateChangeTime,
    metrics,
    ...evaluationOf(trigger),
    tags: { ...(message.AlarmTags ?? {}) },
  };
}

// ---------------------------------------------------------------- DescribeAlarms

const describeMetric = metricQuery(upperDimension);

const describedAlarm = z.looseObject({
  AlarmName: name,
  AlarmArn: z.string().nullish(),
  AlarmDescription: optionalText(1_024),
  StateValue: state,
  StateReason: optionalText(1_024),
  StateReasonData: z.string().max(8_000).nullish(),
  StateTransitionedTimestamp: timestamp.nullish(),
  StateUpdatedTimestamp: timestamp.nullish(),
  Namespace: z.string().nullish(),
  MetricName: z.string().nullish(),
  Dimensions: z.array(upperDimension).nullish(),
  Statistic: z.string().nullish(),
  ExtendedStatistic: z.string().nullish(),
  Period: z.number().nullish(),
  EvaluationPeriods: z.number().nullish(),
  DatapointsToAlarm: z.number().nullish(),
  Threshold: z.number().nullish(),
  ComparisonOperator: z.string().nullish(),
  Metrics: z.array(describeMetric).max(50).nullish(),
  AlarmRule: optionalText(10_240),
  /** A scenario's alarm may carry its tags (ListTagsForResource's shape): fired events carry them as `alarmTags`. */
  Tags: tagList.nullish(),
});

function fromDescribe(alarm: z.infer<typeof describedAlarm>): AlarmChange {
  const fromArn = parseAlarmArn(alarm.AlarmArn ?? undefined);
  const metrics = alarm.Metrics?.length
    ? alarm.Metrics.map(fromQuery)
    : alarm.MetricName || alarm.Dimensions
      ? [metric({ namespace: alarm.Namespace, name: alarm.MetricName, dimensions: dimensionMap(alarm.Dimensions), stat: alarm.ExtendedStatistic ?? alarm.Statistic, period: alarm.Period })]
      : [];
  const data = parseReasonData(alarm.StateReasonData);
  return {
    shape: 'describe-alarms',
    ...compact({ alarmArn: fromArn ? alarm.AlarmArn : undefined, account: fromArn?.account, region: fromArn?.region, reason: alarm.StateReason, description: alarm.AlarmDescription }),
    alarmName: alarm.AlarmName,
    state: alarm.StateValue,
    at: alarm.StateTransitionedTimestamp ?? alarm.StateUpdatedTimestamp ?? new Date(0),
    metrics,
    ...evaluationOf(alarm),
    tags: { ...(alarm.Tags ?? {}) },
    ...(alarm.AlarmRule ? { composite: { rule: alarm.AlarmRule, triggering: (data?.triggeringAlarms ?? []).map((t) => t.arn) } } : {}),
  };
}

/** One DescribeAlarms `MetricAlarm` or `CompositeAlarm` as a state change (at its last transition). */
export function alarmFromDescription(alarm: unknown): Parsed<AlarmChange> {
  const parsed = describedAlarm.safeParse(alarm);
  return parsed.success ? { ok: true, value: fromDescribe(parsed.data) } : { ok: false, error: issue('DescribeAlarms alarm', parsed.error) };
}

// ---------------------------------------------------------------- entry point

function accountOf(value: string | null | undefined): string | undefined {
  return value && /^\d{12}$/.test(value) ? value : undefined;
}

function regionOf(value: string | null | undefined): string | undefined {
  return value && /^[a-z]{2}(-[a-z]+)+-\d$/.test(value) ? value : undefined;
}

function issue(what: string, error: z.ZodError): string {
  const first = error.issues[0];
  const where = first?.path.length ? first.path.join('.') : '(top level)';
  return `not a ${what}: ${where}: ${first?.message ?? 'invalid'}`;
}

function snsMessageOf(raw: string, deliveryId: string | undefined): Parsed<AlarmChange> {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return { ok: false, error: 'the SNS Message is not JSON: not a CloudWatch alarm notification' };
  }
  const message = snsMessage.safeParse(json);
  return message.success ? { ok: true, value: fromSns(message.data, deliveryId) } : { ok: false, error: issue('CloudWatch alarm SNS message', message.error) };
}

function all(results: Parsed<AlarmChange>[]): Parsed<AlarmChange[]> {
  const failed = results.find((r): r is { ok: false; error: string } => !r.ok);
  if (failed) return failed;
  return { ok: true, value: results.map((r) => (r as { ok: true; value: AlarmChange }).value) };
}

/** Whether a payload looks like one of the alarm shapes (the worker tells it apart from its own jobs). */
export function looksLikeAlarmNotification(input: unknown): boolean {
  if (typeof input !== 'object' || input === null) return false;
  const o = input as Record<string, unknown>;
  if (o.source === 'aws.cloudwatch' && o['detail-type'] === 'CloudWatch Alarm State Change') return true;
  if (Array.isArray(o.Records)) return o.Records.some((r) => typeof r === 'object' && r !== null && 'Sns' in r);
  return o.Type === 'Notification' || 'NewStateValue' in o || 'MetricAlarms' in o || 'CompositeAlarms' in o || ('AlarmName' in o && 'StateValue' in o);
}

/**
 * Every alarm state change in a payload: an EventBridge event, an SNS notification (bare, HTTP
 * body or Lambda `Records`), or a DescribeAlarms answer or alarm. The error names the field.
 */
export function parseAlarmNotification(input: unknown): Parsed<AlarmChange[]> {
  if (typeof input !== 'object' || input === null) return { ok: false, error: 'expected a JSON object: an EventBridge alarm event, an SNS alarm notification or a DescribeAlarms answer' };
  const o = input as Record<string, unknown>;
  if ('detail-type' in o || o.source === 'aws.cloudwatch') {
    const event = eventBridgeEvent.safeParse(input);
    return event.success ? { ok: true, value: [fromEventBridge(event.data)] } : { ok: false, error: issue('"CloudWatch Alarm State Change" event', event.error) };
  }
  if ('Records' in o) {
    const records = snsLambdaEvent.safeParse(input);
    if (!records.success) return { ok: false, error: issue('SNS event', records.error) };
    return all(records.data.Records.map((r) => snsMessageOf(r.Sns.Message, r.Sns.MessageId)));
  }
  if ('Message' in o) {
    const envelope = snsEnvelope.safeParse(input);
    return envelope.success ? all([snsMessageOf(envelope.data.Message, envelope.data.MessageId)]) : { ok: false, error: issue('SNS notification', envelope.error) };
  }
  if ('NewStateValue' in o) {
    const message = snsMessage.safeParse(input);
    return message.success ? { ok: true, value: [fromSns(message.data, undefined)] } : { ok: false, error: issue('CloudWatch alarm SNS message', message.error) };
  }
  if ('MetricAlarms' in o || 'CompositeAlarms' in o) {
    const alarms = [...(Array.isArray(o.MetricAlarms) ? o.MetricAlarms : []), ...(Array.isArray(o.CompositeAlarms) ? o.CompositeAlarms : [])];
    if (alarms.length > 100) return { ok: false, error: 'a DescribeAlarms answer holds at most 100 alarms' };
    return all(alarms.map(alarmFromDescription));
  }
  if ('AlarmName' in o) return all([alarmFromDescription(input)]);
  return { ok: false, error: 'not a CloudWatch alarm: expected an EventBridge "CloudWatch Alarm State Change" event, an SNS alarm notification or a DescribeAlarms answer' };
}
