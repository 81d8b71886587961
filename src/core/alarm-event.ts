import { createHash } from 'node:crypto';
import { alarmArnOf, parseAlarmArn, type AlarmState } from './alarm.js';

/**
 * The EventBridge "CloudWatch Alarm State Change" event CloudWatch would send for an alarm as
 * DescribeAlarms describes it: how the preview's "fire alarm" control and `firebreak alarm --fire`
 * replay a scenario's (or a real account's) alarm through the same path as a delivered event.
 * Shape as in AWS's documented example (CloudWatch User Guide, "Alarm events and EventBridge").
 */
interface Dimension {
  Name?: string;
  Value?: string;
}

interface MetricStat {
  Metric?: { Namespace?: string; MetricName?: string; Dimensions?: Dimension[] };
  Period?: number;
  Stat?: string;
}

/** The DescribeAlarms fields the event is built from (the SDK's MetricAlarm / CompositeAlarm). */
export interface DescribedAlarmFields {
  AlarmName?: string;
  AlarmArn?: string;
  AlarmDescription?: string;
  StateValue?: string;
  StateReason?: string;
  StateReasonData?: string;
  StateTransitionedTimestamp?: Date;
  StateUpdatedTimestamp?: Date;
  Namespace?: string;
  MetricName?: string;
  Dimensions?: Dimension[];
  Statistic?: string;
  ExtendedStatistic?: string;
  Period?: number;
  EvaluationPeriods?: number;
  DatapointsToAlarm?: number;
  Threshold?: number;
  ComparisonOperator?: string;
  Metrics?: { Id?: string; Expression?: string; Label?: string; ReturnData?: boolean; MetricStat?: MetricStat }[];
  AlarmRule?: string;
}

const WORDS: Record<string, string> = {
  GreaterThanThreshold: 'greater than',
  GreaterThanOrEqualToThreshold: 'greater than or equal to',
  LessThanThreshold: 'less than',
  LessThanOrEqualToThreshold: 'less than or equal to',
};

/** CloudWatch's event timestamps: `2019-10-02T17:04:40.989+0000`. */
function eventTime(at: Date): string {
  return at.toISOString().replace('Z', '+0000');
}

function dimensionMap(dimensions: Dimension[] | undefined): Record<string, string> {
  return Object.fromEntries((dimensions ?? []).filter((d) => d.Name && d.Value !== undefined).map((d) => [d.Name as string, d.Value as string]));
}

function reasonFor(alarm: DescribedAlarmFields, state: AlarmState): string {
  if (state === (alarm.StateValue as AlarmState) && alarm.StateReason) return alarm.StateReason;
  const op = WORDS[alarm.ComparisonOperator ?? ''];
  if (!op || alarm.Threshold === undefined) return `Alarm state set to ${state}`;
  return `Threshold Crossed: the last datapoint ${state === 'ALARM' ? 'was' : 'was not'} ${op} the threshold (${alarm.Threshold.toFixed(1)})`;
}

function reasonDataFor(alarm: DescribedAlarmFields, state: AlarmState, at: Date): string {
  if (state === (alarm.StateValue as AlarmState) && alarm.StateReasonData) return alarm.StateReasonData;
  return JSON.stringify({
    version: '1.0',
    queryDate: eventTime(at),
    ...(alarm.Statistic ? { statistic: alarm.Statistic } : {}),
    ...(alarm.Period ? { period: alarm.Period } : {}),
    recentDatapoints: [],
    ...(alarm.Threshold !== undefined ? { threshold: alarm.Threshold } : {}),
  });
}

function metricsOf(alarm: DescribedAlarmFields, id: string): Record<string, unknown>[] {
  if (alarm.Metrics?.length) {
    return alarm.Metrics.map((m) => ({
      id: m.Id ?? id,
      ...(m.Label ? { label: m.Label } : {}),
      ...(m.Expression ? { expression: m.Expression } : {}),
      ...(m.MetricStat
        ? {
            metricStat: {
              metric: { dimensions: dimensionMap(m.MetricStat.Metric?.Dimensions), name: m.MetricStat.Metric?.MetricName, namespace: m.MetricStat.Metric?.Namespace },
              period: m.MetricStat.Period,
              stat: m.MetricStat.Stat,
            },
          }
        : {}),
      returnData: m.ReturnData ?? false,
    }));
  }
  if (!alarm.MetricName) return [];
  return [
    {
      id,
      metricStat: {
        metric: { dimensions: dimensionMap(alarm.Dimensions), name: alarm.MetricName, namespace: alarm.Namespace },
        period: alarm.Period,
        stat: alarm.ExtendedStatistic ?? alarm.Statistic,
      },
      returnData: true,
    },
  ];
}

/** A deterministic UUID-shaped id: the same alarm, state and time always make the same event. */
function stableId(...parts: string[]): string {
  const hex = createHash('sha256').update(parts.join('\n')).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

export interface FireOptions {
  state: AlarmState;
  /** When the state changes; default the alarm's own last transition. */
  at?: Date;
  /** Where the alarm lives when its ARN does not say (a scenario alarm written without one). */
  account: string;
  region: string;
  tags?: Record<string, string>;
}

export function eventBridgeEventFor(alarm: DescribedAlarmFields, options: FireOptions): Record<string, unknown> {
  const name = alarm.AlarmName ?? 'unnamed-alarm';
  const fromArn = parseAlarmArn(alarm.AlarmArn);
  const account = fromArn?.account ?? options.account;
  const region = fromArn?.region ?? options.region;
  const arn = alarm.AlarmArn ?? alarmArnOf(region, account, name);
  const at = options.at ?? alarm.StateTransitionedTimestamp ?? alarm.StateUpdatedTimestamp ?? new Date(0);
  const previous = options.state === 'ALARM' ? 'OK' : 'ALARM';
  const id = stableId(arn, options.state, at.toISOString());
  return {
    version: '0',
    id,
    'detail-type': 'CloudWatch Alarm State Change',
    source: 'aws.cloudwatch',
    account,
    time: at.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region,
    resources: [arn],
    detail: {
      alarmName: name,
      configuration: {
        ...(alarm.AlarmDescription ? { description: alarm.AlarmDescription } : {}),
        ...(alarm.AlarmRule ? { alarmRule: alarm.AlarmRule } : { metrics: metricsOf(alarm, stableId(arn, 'metric')) }),
      },
      previousState: { reason: reasonFor(alarm, previous), reasonData: reasonDataFor(alarm, previous, at), timestamp: eventTime(at), value: previous },
      state: { reason: reasonFor(alarm, options.state), reasonData: reasonDataFor(alarm, options.state, at), timestamp: eventTime(at), value: options.state },
      ...(options.tags && Object.keys(options.tags).length ? { alarmTags: options.tags, alarmTagsStatus: 'SUCCESS' } : {}),
    },
  };
}
