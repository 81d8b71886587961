import { describe, expect, it } from 'vitest';
import { alarmLines, alarmWeekText, ruleChildren, thresholdText, utcClock, type AlarmTrigger } from '../../src/core/alarm.js';
import { eventBridgeEventFor } from '../../src/core/alarm-event.js';
import { alarmFromDescription, looksLikeAlarmNotification, parseAlarmNotification } from '../../src/core/alarm-parse.js';
import { alarmEventPattern, alarmMappingSchema, alarmRouteSchema, mappingFor, routeCouldMatch, routeFor } from '../../src/core/alarm-routing.js';
import { apiAlarmSns, AWS_EXAMPLE_EVENT, SNS_EXAMPLE_RECORDS } from '../fixtures/alarms.js';

function one(input: unknown) {
  const parsed = parseAlarmNotification(input);
  if (!parsed.ok) throw new Error(parsed.error);
  expect(parsed.value).toHaveLength(1);
  return parsed.value[0]!;
}

describe('alarm state changes in the three shapes AWS uses', () => {
  it("reads AWS's documented EventBridge example: ARN, account, Region, states, the +0000 time, dimensions as a map, threshold from reasonData", () => {
    const change = one(AWS_EXAMPLE_EVENT);
    expect(change).toMatchObject({
      shape: 'eventbridge',
      deliveryId: 'c4c1c1c9-6542-e61b-6ef0-8c4d36933a92',
      alarmName: 'ServerCpuTooHigh',
      alarmArn: 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:ServerCpuTooHigh',
      account: '123456789012',
      region: 'us-east-1',
      state: 'ALARM',
      previousState: 'OK',
      threshold: 50,
      comparison: 'GreaterThanThreshold',
      description: 'Goes into alarm when server CPU utilization is too high!',
    });
    expect(change.at.toISOString()).toBe('2019-10-02T17:04:40.989Z');
    expect(change.metrics).toEqual([{ namespace: 'AWS/EC2', name: 'CPUUtilization', dimensions: { InstanceId: 'i-12345678901234567' }, stat: 'Average', period: 300, id: '30b6c6b2-a864-43a2-4877-c09a1afc3b87', returnData: true }]);
    expect(thresholdText(change)).toBe('CPUUtilization Average > 50 (5 min)');
  });

  it("reads AWS's SNS test payload: Statistic in capitals, dimensions as [{name,value}], no Region code from a display name or a placeholder ARN", () => {
    const change = one(SNS_EXAMPLE_RECORDS);
    expect(change).toMatchObject({ shape: 'sns', alarmName: 'EXAMPLE', state: 'ALARM', previousState: 'INSUFFICIENT_DATA', threshold: 0, comparison: 'GreaterThanThreshold', evaluationPeriods: 1 });
    expect(change.region).toBeUndefined();
    expect(change.account).toBeUndefined();
    expect(change.alarmArn).toBeUndefined();
    expect(change.metrics).toEqual([{ namespace: 'AWS/EC2', name: 'NetworkOut', dimensions: { InstanceId: 'TestInstance' }, stat: 'Average', period: 60 }]);
  });

  it('takes the Region from the ARN when SNS names it "US East (N. Virginia)", and reads the bare message and the HTTP body alike', () => {
    const records = apiAlarmSns({ alarmName: 'apigw-5xx', dimensions: { ApiId: 'k8h2t4p6v1', Stage: '$default' }, at: new Date('2024-05-01T11:58:00Z') }) as { Records: { Sns: { Message: string; MessageId: string } }[] };
    const change = one(records);
    expect(change).toMatchObject({ region: 'us-east-1', account: '111111111111', metrics: [{ dimensions: { ApiId: 'k8h2t4p6v1', Stage: '$default' }, stat: 'Sum' }] });
    expect(thresholdText(change)).toBe('5XXError Sum > 5 (3 of 5 × 1 min)');
    const sns = records.Records[0]!.Sns;
    expect(one({ Type: 'Notification', MessageId: sns.MessageId, Message: sns.Message })).toMatchObject({ alarmName: 'apigw-5xx', deliveryId: sns.MessageId });
    expect(one(JSON.parse(sns.Message))).toMatchObject({ alarmName: 'apigw-5xx', region: 'us-east-1' });
  });

  it('reads a math alarm from SNS (Trigger.Metrics) and from DescribeAlarms, naming the returned expression', () => {
    const message = {
      AlarmName: 'error-rate',
      NewStateValue: 'ALARM',
      StateChangeTime: '2024-05-01T11:58:00.000+0000',
      Trigger: {
        Period: 60,
        EvaluationPeriods: 1,
        ComparisonOperator: 'GreaterThanThreshold',
        Threshold: 5,
        Metrics: [
          { Expression: '100*e/c', Id: 'rate', Label: 'error %', ReturnData: true },
          { Id: 'e', MetricStat: { Metric: { Dimensions: [{ value: 'shop', name: 'ApiName' }], MetricName: '5XXError', Namespace: 'AWS/ApiGateway' }, Period: 60, Stat: 'Sum' }, ReturnData: false },
        ],
      },
    };
    const change = one(message);
    expect(change.metrics[1]).toMatchObject({ name: '5XXError', dimensions: { ApiName: 'shop' } });
    expect(thresholdText(change)).toBe('error % > 5 (1 of 1)');
    const described = alarmFromDescription({
      AlarmName: 'error-rate',
      StateValue: 'ALARM',
      StateTransitionedTimestamp: new Date('2024-05-01T11:58:00Z'),
      Threshold: 5,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      EvaluationPeriods: 3,
      DatapointsToAlarm: 2,
      Metrics: [{ Id: 'e', MetricStat: { Metric: { Namespace: 'AWS/ApiGateway', MetricName: '5XXError', Dimensions: [{ Name: 'ApiName', Value: 'shop' }] }, Period: 300, Stat: 'Sum' }, ReturnData: true }],
    });
    expect(described.ok && thresholdText(described.value)).toBe('5XXError Sum ≥ 5 (2 of 3 × 5 min)');
  });

  it('reads a DescribeAlarms answer (metric and composite alarms) and a composite EventBridge event with its triggering children', () => {
    const parsed = parseAlarmNotification({
      MetricAlarms: [{ AlarmName: 'a', AlarmArn: 'arn:aws:cloudwatch:eu-west-1:222222222222:alarm:a', StateValue: 'OK', StateTransitionedTimestamp: '2024-05-01T10:00:00Z', Namespace: 'AWS/ApiGateway', MetricName: 'Count', Dimensions: [{ Name: 'ApiId', Value: 'abcdefghij' }] }],
      CompositeAlarms: [{ AlarmName: 'c', StateValue: 'ALARM', AlarmRule: 'ALARM(a)' }],
    });
    expect(parsed.ok && parsed.value.map((c) => [c.alarmName, c.shape, c.region, c.account, c.composite?.rule])).toEqual([
      ['a', 'describe-alarms', 'eu-west-1', '222222222222', undefined],
      ['c', 'describe-alarms', undefined, undefined, 'ALARM(a)'],
    ]);
    const composite = structuredClone(AWS_EXAMPLE_EVENT) as unknown as { detail: { configuration: Record<string, unknown>; state: { reasonData: string } } };
    composite.detail.configuration = { alarmRule: 'ALARM(ServerCpuTooHigh) OR ALARM("Total Traffic")' };
    composite.detail.state.reasonData = JSON.stringify({ triggeringAlarms: [{ arn: 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:ServerCpuTooHigh', state: { value: 'ALARM' } }] });
    expect(one(composite).composite).toEqual({ rule: 'ALARM(ServerCpuTooHigh) OR ALARM("Total Traffic")', triggering: ['arn:aws:cloudwatch:us-east-1:123456789012:alarm:ServerCpuTooHigh'] });
    expect(ruleChildren('ALARM(ServerCpuTooHigh) OR ALARM("Total Traffic") AND NOT OK(arn:aws:cloudwatch:us-east-1:1:alarm:x)')).toEqual(['ServerCpuTooHigh', 'Total Traffic', 'x']);
  });

  it('refuses what is not an alarm, naming the field', () => {
    expect(parseAlarmNotification('text')).toMatchObject({ ok: false });
    const noName = structuredClone(AWS_EXAMPLE_EVENT) as unknown as { detail: Record<string, unknown> };
    delete noName.detail.alarmName;
    expect(parseAlarmNotification(noName)).toEqual({ ok: false, error: expect.stringContaining('detail.alarmName') });
    const otherType = { ...AWS_EXAMPLE_EVENT, 'detail-type': 'CloudWatch Alarm Configuration Change' };
    expect(parseAlarmNotification(otherType)).toEqual({ ok: false, error: expect.stringContaining('detail-type') });
    const badState = structuredClone(AWS_EXAMPLE_EVENT) as unknown as { detail: { state: { value: string } } };
    badState.detail.state.value = 'FIRING';
    expect(parseAlarmNotification(badState)).toEqual({ ok: false, error: expect.stringContaining('detail.state.value') });
    expect(parseAlarmNotification({ Records: [{ Sns: { Message: 'not json' } }] })).toEqual({ ok: false, error: expect.stringContaining('not JSON') });
    expect(parseAlarmNotification({ hello: 'world' })).toMatchObject({ ok: false });
  });

  it('tells alarm payloads from the worker\'s own jobs', () => {
    expect(looksLikeAlarmNotification(AWS_EXAMPLE_EVENT)).toBe(true);
    expect(looksLikeAlarmNotification(SNS_EXAMPLE_RECORDS)).toBe(true);
    expect(looksLikeAlarmNotification({ MetricAlarms: [] })).toBe(true);
    expect(looksLikeAlarmNotification({ kind: 'troubleshoot', jobId: 'x' })).toBe(false);
    expect(looksLikeAlarmNotification(null)).toBe(false);
  });

  it('builds the EventBridge event CloudWatch would send from a DescribeAlarms alarm, and reads it back', () => {
    const event = eventBridgeEventFor(
      { AlarmName: 'apigw-5xx', Namespace: 'AWS/ApiGateway', MetricName: '5XXError', Dimensions: [{ Name: 'ApiId', Value: 'k8h2t4p6v1' }], Statistic: 'Sum', Period: 60, Threshold: 5, ComparisonOperator: 'GreaterThanThreshold', StateValue: 'ALARM', StateTransitionedTimestamp: new Date('2024-05-01T11:58:00Z') },
      { state: 'ALARM', account: '111111111111', region: 'us-east-1', tags: { team: 'orders' } },
    );
    const change = one(event);
    expect(change).toMatchObject({ alarmName: 'apigw-5xx', alarmArn: 'arn:aws:cloudwatch:us-east-1:111111111111:alarm:apigw-5xx', state: 'ALARM', threshold: 5, comparison: 'GreaterThanThreshold', tags: { team: 'orders' } });
    expect(change.at.toISOString()).toBe('2024-05-01T11:58:00.000Z');
    expect((event.detail as { state: { timestamp: string } }).state.timestamp).toBe('2024-05-01T11:58:00.000+0000');
    // The same alarm, state and time always make the same event (a redelivery, not a new one).
    expect(eventBridgeEventFor({ AlarmName: 'apigw-5xx', MetricName: 'x' }, { state: 'OK', at: new Date(0), account: '1', region: 'r' }).id).toBe(
      eventBridgeEventFor({ AlarmName: 'apigw-5xx', MetricName: 'x' }, { state: 'OK', at: new Date(0), account: '1', region: 'r' }).id,
    );
  });
});

describe('the routing table', () => {
  const routes = [
    alarmRouteSchema.parse({ alarmNamePrefix: 'apigw-payments-', channel: 'C0PAYMENTS' }),
    alarmRouteSchema.parse({ tag: { key: 'team', value: 'shop' }, channel: 'C0SHOPCH' }),
    alarmRouteSchema.parse({ api: 'orders-http', channel: 'C0ORDERS' }),
    alarmRouteSchema.parse({ alarmNamePrefix: 'apigw-', api: 'a1b2c3d4e5', channel: 'C0SHOPAPI' }),
  ];
  const change = (alarmName: string, tags: Record<string, string> = {}) => ({ alarmName, tags });

  it('takes the first entry whose every matcher matches; an API matches by id or name', () => {
    expect(routeFor(change('apigw-payments-5xx'), { id: 'a1b2c3d4e5' }, routes)?.channel).toBe('C0PAYMENTS');
    expect(routeFor(change('anything', { team: 'shop' }), undefined, routes)?.channel).toBe('C0SHOPCH');
    expect(routeFor(change('anything', { team: 'other' }), { id: 'k8h2t4p6v1', name: 'orders-http' }, routes)?.channel).toBe('C0ORDERS');
    expect(routeFor(change('apigw-shop'), { id: 'a1b2c3d4e5' }, routes)?.channel).toBe('C0SHOPAPI');
    expect(routeFor(change('apigw-shop'), { id: 'zzzzzzzzzz' }, routes)).toBeUndefined();
    expect(routeFor(change('shop'), { id: 'a1b2c3d4e5' }, routes)).toBeUndefined();
    expect(routeCouldMatch(change('zzz'), [routes[0]!, routes[1]!])).toBe(false);
    expect(routeCouldMatch(change('zzz'), routes)).toBe(true);
  });

  it('refuses a route without a channel id and a mapping with both or neither name matcher; the exact name beats the longest prefix', () => {
    expect(alarmRouteSchema.safeParse({ channel: '#incidents' }).success).toBe(false);
    expect(alarmMappingSchema.safeParse({ api: 'a1b2c3d4e5' }).success).toBe(false);
    expect(alarmMappingSchema.safeParse({ api: 'a1b2c3d4e5', alarmName: 'x', alarmNamePrefix: 'x' }).success).toBe(false);
    const mappings = [
      alarmMappingSchema.parse({ alarmNamePrefix: 'orders', api: 'aaaaaaaaaa' }),
      alarmMappingSchema.parse({ alarmNamePrefix: 'orders-db', api: 'bbbbbbbbbb' }),
      alarmMappingSchema.parse({ alarmName: 'orders-db-cpu', api: 'cccccccccc' }),
    ];
    expect(mappingFor({ alarmName: 'orders-db-cpu' }, mappings)?.api).toBe('cccccccccc');
    expect(mappingFor({ alarmName: 'orders-db-lag' }, mappings)?.api).toBe('bbbbbbbbbb');
    expect(mappingFor({ alarmName: 'orders-queue' }, mappings)?.api).toBe('aaaaaaaaaa');
    expect(mappingFor({ alarmName: 'billing' }, mappings)).toBeUndefined();
  });

  it('gives the EventBridge rule a pattern that lets through what some entry could take', () => {
    const base = { source: ['aws.cloudwatch'], 'detail-type': ['CloudWatch Alarm State Change'] };
    expect(alarmEventPattern([])).toEqual({ ...base, detail: { state: { value: ['ALARM', 'OK'] } } });
    expect(alarmEventPattern([routes[0]!])).toEqual({ ...base, detail: { state: { value: ['ALARM', 'OK'] }, alarmName: [{ prefix: 'apigw-payments-' }] } });
    const pattern = alarmEventPattern(routes, [alarmMappingSchema.parse({ alarmName: 'db-cpu', api: 'aaaaaaaaaa' })]) as { detail: { $or: unknown[] } };
    expect(pattern.detail.$or).toEqual([
      { alarmName: [{ prefix: 'apigw-payments-' }] },
      { alarmTags: { team: ['shop'] } },
      { configuration: { metrics: { metricStat: { metric: { namespace: ['AWS/ApiGateway', 'AWS/Lambda', 'AWS/WAFV2'] } } } } },
      { configuration: { alarmRule: [{ exists: true }] } },
      { alarmName: [{ prefix: 'apigw-' }] },
      { alarmName: ['db-cpu'] },
    ]);
    // A catch-all entry lets every alarm through.
    expect(alarmEventPattern([...routes, alarmRouteSchema.parse({ channel: 'C0ALL0000' })])).toEqual({ ...base, detail: { state: { value: ['ALARM', 'OK'] } } });
  });
});

describe('the words of an alarm-started investigation', () => {
  const trigger: AlarmTrigger = { alarmName: 'apigw-5xx', threshold: '5XXError Sum > 5 (1 of 1 × 1 min)', since: '2024-05-01T11:40:00.000Z', firings: 1, lastFiredAt: '2024-05-01T11:40:00.000Z', via: 'dimension ApiId' };
  const style = { time: utcClock, code: (s: string) => `'${s}'` };

  it('says who started it, since when, any re-fire and the recovery with its duration', () => {
    expect(alarmLines(trigger, style)).toEqual(["Started by alarm 'apigw-5xx' (5XXError Sum > 5 (1 of 1 × 1 min)), in ALARM since 11:40 UTC"]);
    expect(alarmLines({ ...trigger, firings: 3, lastFiredAt: '2024-05-01T11:52:00.000Z', recoveredAt: '2024-05-01T12:19:30.000Z' }, style)).toEqual([
      "Started by alarm 'apigw-5xx' (5XXError Sum > 5 (1 of 1 × 1 min)), in ALARM since 11:40 UTC",
      'Fired again at 11:52 UTC (3 times in this episode)',
      'Recovered at 12:19 UTC (40 minutes)',
    ]);
    expect(alarmWeekText(undefined)).toBe('no investigations started by alarms');
    expect(alarmWeekText({ started: 4, closedByRules: 3 })).toBe('4 investigations started by alarms, 3 closed by the rules');
  });
});
