import { DescribeAlarmsCommand, ListTagsForResourceCommand, type CompositeAlarm, type MetricAlarm } from '@aws-sdk/client-cloudwatch';
import type { AwsClients } from '../../aws/clients.js';

/**
 * The alarm path's own reads of one alarm (the investigation's `metrics.alarms` source is
 * another matter): its description by name, for a composite alarm's children, a notification
 * that carries no metric, or replaying an alarm's last transition; and its tags, for routing by
 * tag when the event does not carry them.
 */
export async function describeAlarm(aws: AwsClients, name: string): Promise<MetricAlarm | CompositeAlarm | undefined> {
  const res = await aws.cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: [name], AlarmTypes: ['MetricAlarm', 'CompositeAlarm'], MaxRecords: 1 }));
  return res.MetricAlarms?.[0] ?? res.CompositeAlarms?.[0];
}

export async function alarmTags(aws: AwsClients, alarmArn: string): Promise<Record<string, string>> {
  const res = await aws.cloudwatch.send(new ListTagsForResourceCommand({ ResourceARN: alarmArn }));
  return Object.fromEntries((res.Tags ?? []).filter((t) => t.Key && t.Value !== undefined).map((t) => [t.Key as string, t.Value as string]));
}
