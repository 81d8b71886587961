import { DescribeAlarmsCommand, ListTagsForResourceCommand } from '@aws-sdk/client-cloudwatch';
import { ListResourcesForWebACLCommand, ListWebACLsCommand } from '@aws-sdk/client-wafv2';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/sandbox/load.js';
import { baseScenario, environmentFor, HOME, OTHER } from './fixture.js';

/**
 * DescribeAlarms as AWS documents it (filters, types, paging, children and parents, validation),
 * answered from a scenario's `alarms` through the SDK's own client; moto ignores several of these
 * (reference §8), so these follow AWS.
 */
const metric = (name: string, extra: Record<string, unknown> = {}) => ({
  AlarmName: name,
  Namespace: 'AWS/ApiGateway',
  MetricName: '5XXError',
  Dimensions: [{ Name: 'ApiName', Value: 'shop' }],
  Statistic: 'Sum',
  Period: 60,
  EvaluationPeriods: 1,
  Threshold: 5,
  ComparisonOperator: 'GreaterThanThreshold',
  ...extra,
});

function alarmsEnv(latencyMs?: number) {
  return environmentFor(
    baseScenario({
      alarms: [
        metric('apigw-shop-5xx', { StateValue: 'ALARM', StateTransitionedTimestamp: '2024-05-01T11:55:00Z', AlarmActions: ['arn:aws:sns:us-east-1:111111111111:oncall'], Tags: [{ Key: 'team', Value: 'shop' }] }),
        metric('apigw-shop-latency', { MetricName: 'Latency', StateValue: 'OK' }),
        metric('lambda-users-errors', { Namespace: 'AWS/Lambda', MetricName: 'Errors', Dimensions: [{ Name: 'FunctionName', Value: 'users' }], StateValue: 'INSUFFICIENT_DATA' }),
        { AlarmName: 'shop-any', StateValue: 'ALARM', AlarmRule: 'ALARM("apigw-shop-5xx") OR ALARM(lambda-users-errors)' },
        metric('elsewhere', { AlarmArn: `arn:aws:cloudwatch:us-east-1:${OTHER}:alarm:elsewhere` }),
      ],
    }),
    latencyMs,
  );
}

describe('sandbox DescribeAlarms', () => {
  const env = alarmsEnv();
  const cw = env.factory.forAccount().cloudwatch;
  const names = (res: { MetricAlarms?: { AlarmName?: string }[]; CompositeAlarms?: { AlarmName?: string }[] }) => [...(res.MetricAlarms ?? []), ...(res.CompositeAlarms ?? [])].map((a) => a.AlarmName);

  it('answers metric alarms only by default, in name order, in their own account, with DescribeAlarms fields and derived ARNs', async () => {
    const res = await cw.send(new DescribeAlarmsCommand({}));
    expect(names(res)).toEqual(['apigw-shop-5xx', 'apigw-shop-latency', 'lambda-users-errors']);
    const first = res.MetricAlarms?.[0];
    expect(first?.AlarmArn).toBe(`arn:aws:cloudwatch:us-east-1:${HOME}:alarm:apigw-shop-5xx`);
    expect(first?.StateTransitionedTimestamp?.toISOString()).toBe('2024-05-01T11:55:00.000Z');
    expect(first?.Dimensions).toEqual([{ Name: 'ApiName', Value: 'shop' }]);
    // Tags are ListTagsForResource's, not DescribeAlarms'.
    expect(first).not.toHaveProperty('Tags');
    // An alarm whose ARN names the other account is answered there only.
    const other = await env.factory.forAccount(OTHER).cloudwatch.send(new DescribeAlarmsCommand({}));
    expect(names(other)).toEqual(['elsewhere']);
  });

  it('honours AlarmNames, AlarmNamePrefix, StateValue, ActionPrefix and AlarmTypes', async () => {
    expect(names(await cw.send(new DescribeAlarmsCommand({ AlarmNames: ['apigw-shop-latency', 'missing'] })))).toEqual(['apigw-shop-latency']);
    expect(names(await cw.send(new DescribeAlarmsCommand({ AlarmNamePrefix: 'apigw-' })))).toEqual(['apigw-shop-5xx', 'apigw-shop-latency']);
    expect(names(await cw.send(new DescribeAlarmsCommand({ StateValue: 'INSUFFICIENT_DATA' })))).toEqual(['lambda-users-errors']);
    expect(names(await cw.send(new DescribeAlarmsCommand({ ActionPrefix: 'arn:aws:sns:us-east-1:111111111111:on' })))).toEqual(['apigw-shop-5xx']);
    const both = await cw.send(new DescribeAlarmsCommand({ AlarmTypes: ['MetricAlarm', 'CompositeAlarm'], StateValue: 'ALARM' }));
    expect(both.CompositeAlarms?.map((a) => a.AlarmName)).toEqual(['shop-any']);
    expect(both.CompositeAlarms?.[0]?.AlarmRule).toContain('ALARM("apigw-shop-5xx")');
    expect(names(await cw.send(new DescribeAlarmsCommand({ AlarmTypes: ['CompositeAlarm'] })))).toEqual(['shop-any']);
  });

  it('pages with MaxRecords and NextToken, and refuses a token from another request', async () => {
    const first = await cw.send(new DescribeAlarmsCommand({ MaxRecords: 2 }));
    expect(names(first)).toEqual(['apigw-shop-5xx', 'apigw-shop-latency']);
    expect(first.NextToken).toBeTruthy();
    const second = await cw.send(new DescribeAlarmsCommand({ MaxRecords: 2, NextToken: first.NextToken }));
    expect(names(second)).toEqual(['lambda-users-errors']);
    expect(second.NextToken).toBeUndefined();
    await expect(cw.send(new DescribeAlarmsCommand({ AlarmNamePrefix: 'apigw-', NextToken: first.NextToken }))).rejects.toMatchObject({ name: 'InvalidNextToken' });
  });

  it('answers ChildrenOfAlarmName and ParentsOfAlarmName with name, ARN, state and update time only', async () => {
    const children = await cw.send(new DescribeAlarmsCommand({ ChildrenOfAlarmName: 'shop-any' }));
    expect(names(children)).toEqual(['apigw-shop-5xx', 'lambda-users-errors']);
    expect(Object.keys(children.MetricAlarms?.[0] ?? {}).sort()).toEqual(['AlarmArn', 'AlarmName', 'StateUpdatedTimestamp', 'StateValue']);
    const parents = await cw.send(new DescribeAlarmsCommand({ ParentsOfAlarmName: 'lambda-users-errors' }));
    expect(names(parents)).toEqual(['shop-any']);
  });

  it('refuses what AWS refuses: names with a prefix, over 100 names, MaxRecords outside 1-100, other filters with ChildrenOfAlarmName', async () => {
    await expect(cw.send(new DescribeAlarmsCommand({ AlarmNames: ['a'], AlarmNamePrefix: 'a' }))).rejects.toMatchObject({ name: 'ValidationError' });
    await expect(cw.send(new DescribeAlarmsCommand({ AlarmNames: Array.from({ length: 101 }, (_, i) => `a${i}`) }))).rejects.toMatchObject({ name: 'ValidationError' });
    await expect(cw.send(new DescribeAlarmsCommand({ MaxRecords: 101 }))).rejects.toMatchObject({ name: 'ValidationError' });
    await expect(cw.send(new DescribeAlarmsCommand({ MaxRecords: 0 }))).rejects.toMatchObject({ name: 'ValidationError' });
    await expect(cw.send(new DescribeAlarmsCommand({ ChildrenOfAlarmName: 'shop-any', StateValue: 'ALARM' }))).rejects.toMatchObject({ name: 'ValidationError' });
  });

  it("answers an alarm's tags with ListTagsForResource, and not-found for another ARN", async () => {
    const res = await cw.send(new ListTagsForResourceCommand({ ResourceARN: `arn:aws:cloudwatch:us-east-1:${HOME}:alarm:apigw-shop-5xx` }));
    expect(res.Tags).toEqual([{ Key: 'team', Value: 'shop' }]);
    await expect(cw.send(new ListTagsForResourceCommand({ ResourceARN: `arn:aws:cloudwatch:us-east-1:${HOME}:alarm:nope` }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });

  it('has no alarms in another Region', async () => {
    const res = await env.factory.forAccount(undefined, 'eu-west-1').cloudwatch.send(new DescribeAlarmsCommand({}));
    expect(names(res)).toEqual([]);
  });
});

describe('scenario alarms', () => {
  it('reject a metric alarm without a metric, both statistics, and two alarms with one name, naming the field', () => {
    expect(() => parseScenario(baseScenario({ alarms: [{ AlarmName: 'x' }] }), 'bad')).toThrow(/alarms\.0: a metric alarm needs MetricName/);
    expect(() => parseScenario(baseScenario({ alarms: [metric('x', { ExtendedStatistic: 'p99' })] }), 'bad')).toThrow(/alarms\.0: give Statistic or ExtendedStatistic/);
    expect(() => parseScenario(baseScenario({ alarms: [metric('x'), metric('x')] }), 'bad')).toThrow(/alarms: two alarms have the same name/);
    expect(() => parseScenario(baseScenario({ alarms: [metric('x', { StateValue: 'FIRING' })] }), 'bad')).toThrow(/alarms\.0\.StateValue/);
  });
});

describe('sandbox WAF web ACL associations', () => {
  it('lists regional web ACLs and the REST stages a web ACL protects (API_GATEWAY resources only)', async () => {
    const data = baseScenario();
    const account = (data.accounts as Record<string, unknown>[])[0] as { apigateway: { restApis: { stages: Record<string, unknown>[] }[] } };
    account.apigateway.restApis[0]!.stages[0]!.webAclArn = `arn:aws:wafv2:us-east-1:${HOME}:regional/webacl/edge/acl-1`;
    const waf = environmentFor(data).factory.forAccount().wafv2;
    const acls = await waf.send(new ListWebACLsCommand({ Scope: 'REGIONAL' }));
    expect(acls.WebACLs?.map((a) => [a.Name, a.ARN])).toEqual([['edge', `arn:aws:wafv2:us-east-1:${HOME}:regional/webacl/edge/acl-1`]]);
    expect((await waf.send(new ListWebACLsCommand({ Scope: 'CLOUDFRONT' }))).WebACLs).toEqual([]);
    const stages = await waf.send(new ListResourcesForWebACLCommand({ WebACLArn: acls.WebACLs?.[0]?.ARN, ResourceType: 'API_GATEWAY' }));
    expect(stages.ResourceArns).toEqual(['arn:aws:apigateway:us-east-1::/restapis/a1b2c3d4e5/stages/prod']);
    // AWS's default resource type is APPLICATION_LOAD_BALANCER.
    expect((await waf.send(new ListResourcesForWebACLCommand({ WebACLArn: acls.WebACLs?.[0]?.ARN }))).ResourceArns).toEqual([]);
  });
});
