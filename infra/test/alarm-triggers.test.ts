import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { alarmEventPattern } from '../../src/core/alarm-routing.js';
import { parseInfraConfig } from '../config.js';
import { FirebreakStack } from '../lib/firebreak-stack.js';

/**
 * Alarm state changes reach the worker: the EventBridge rule (filtered by the routing table), its
 * dead-letter queue and the invoke permission; SNS topics as the alternative; the routing table in
 * the functions' environment, read back by the app's own config loader.
 */
const ROUTES = [
  { alarmNamePrefix: 'apigw-', channel: 'C0123456789' },
  { api: 'orders-http', channel: 'C0ORDERS01' },
];

function synth(alarmInvestigations: Record<string, unknown>): Template {
  const config = parseInfraConfig({ stackName: 'FirebreakAlarms', alarmInvestigations });
  return Template.fromStack(new FirebreakStack(new App(), config.stackName, { config }));
}

const ref = (template: Template, type: string, prefix: string): string => {
  const ids = Object.keys(template.findResources(type)).filter((id) => id.startsWith(prefix));
  expect(ids, `${type} ${prefix}`).toHaveLength(1);
  return ids[0]!;
};

describe('alarm-started investigations on AWS', () => {
  const template = synth({ routes: ROUTES, mappings: [{ alarmName: 'orders-db-cpu', api: 'k8h2t4p6v1' }], quietMinutes: 20, maxPerApiPerHour: 4, since: '90m' });
  const worker = ref(template, 'AWS::Lambda::Function', 'Worker');
  const queue = ref(template, 'AWS::SQS::Queue', 'WorkerDeadLetters');
  const rule = ref(template, 'AWS::Events::Rule', 'AlarmInvestigationsStateChanges');

  it('has an EventBridge rule on "CloudWatch Alarm State Change", filtered by the routing table, delivering to the worker with the dead-letter queue', () => {
    const expected = alarmEventPattern(
      ROUTES.map((r) => ({ ...r })),
      [{ alarmName: 'orders-db-cpu', api: 'k8h2t4p6v1' }],
    );
    template.hasResourceProperties('AWS::Events::Rule', {
      State: 'ENABLED',
      EventPattern: expected,
      Targets: [
        {
          Arn: { 'Fn::GetAtt': [worker, 'Arn'] },
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [queue, 'Arn'] } },
          RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 3600 },
        },
      ],
    });
    expect((expected as { detail: { state: unknown } }).detail.state).toEqual({ value: ['ALARM', 'OK'] });
  });

  it('lets only that rule invoke the worker, and only that rule (and the SNS topics) send to the dead-letter queue', () => {
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      FunctionName: { 'Fn::GetAtt': [worker, 'Arn'] },
      Principal: 'events.amazonaws.com',
      SourceArn: { 'Fn::GetAtt': [rule, 'Arn'] },
    });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: 'sqs:SendMessage', Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Condition: { ArnEquals: { 'aws:SourceArn': { 'Fn::GetAtt': [rule, 'Arn'] } } } }),
        ]),
      },
    });
  });

  it('gives the functions the routing table, which the app reads back as configured', () => {
    const functions = template.findResources('AWS::Lambda::Function');
    const env = (functions[worker]?.Properties as { Environment: { Variables: Record<string, string> } }).Environment.Variables;
    const alarmSettings = Object.fromEntries(Object.entries(env).filter(([name]) => name.startsWith('FIREBREAK_ALARM_')));
    expect(Object.keys(alarmSettings).sort()).toEqual(['FIREBREAK_ALARM_APPROVAL', 'FIREBREAK_ALARM_MAPPINGS', 'FIREBREAK_ALARM_MAX_PER_API_PER_HOUR', 'FIREBREAK_ALARM_QUIET_MINUTES', 'FIREBREAK_ALARM_ROUTES', 'FIREBREAK_ALARM_SINCE']);
    const config = loadConfig(alarmSettings);
    expect(config.alarms).toEqual({ routes: ROUTES, mappings: [{ alarmName: 'orders-db-cpu', api: 'k8h2t4p6v1' }], quietMinutes: 20, maxPerApiPerHour: 4, since: 90 * 60_000, approval: 'channel' });
  });

  it('still grants DescribeAlarms (and ListTagsForResource) on alarms, read-only', () => {
    const statements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap((p) => (p.Properties as { PolicyDocument: { Statement: { Action: string | string[]; Resource: unknown }[] } }).PolicyDocument.Statement);
    const alarmRead = statements.find((s) => [s.Action].flat().includes('cloudwatch:DescribeAlarms'));
    expect([alarmRead?.Action].flat()).toEqual(expect.arrayContaining(['cloudwatch:DescribeAlarms', 'cloudwatch:ListTagsForResource']));
    expect(JSON.stringify(alarmRead?.Resource)).toContain(':alarm:*');
  });
});

describe('the SNS alternative', () => {
  it('subscribes the worker to the topics alarms already notify, and to a new topic CloudWatch of this account may publish to', () => {
    const template = synth({ routes: ROUTES, eventBridge: false, snsTopicArns: ['arn:aws:sns:eu-west-1:111111111111:chatbot-alarms'], createSnsTopic: true });
    expect(template.findResources('AWS::Events::Rule')).toEqual({});
    const worker = ref(template, 'AWS::Lambda::Function', 'Worker');
    const queue = ref(template, 'AWS::SQS::Queue', 'WorkerDeadLetters');
    const topic = ref(template, 'AWS::SNS::Topic', 'AlarmInvestigationsTopic');
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'lambda',
      TopicArn: 'arn:aws:sns:eu-west-1:111111111111:chatbot-alarms',
      Region: 'eu-west-1',
      Endpoint: { 'Fn::GetAtt': [worker, 'Arn'] },
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [queue, 'Arn'] } },
    });
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'lambda', TopicArn: { Ref: topic } });
    template.hasResourceProperties('AWS::Lambda::Permission', { Principal: 'sns.amazonaws.com', SourceArn: 'arn:aws:sns:eu-west-1:111111111111:chatbot-alarms' });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Sid: 'CloudWatchAlarmsOfThisAccount', Action: 'sns:Publish', Principal: { Service: 'cloudwatch.amazonaws.com' } })]) },
    });
  });

  it('adds nothing without a routing table, and refuses a route that is not a channel id', () => {
    const template = synth({});
    expect(template.findResources('AWS::Events::Rule')).toEqual({});
    expect(template.findResources('AWS::SNS::Subscription', { Properties: { Protocol: 'lambda' } })).toEqual({});
    expect(() => parseInfraConfig({ alarmInvestigations: { routes: [{ channel: '#incidents' }] } })).toThrow(/alarmInvestigations\.routes\.0\.channel: a Slack channel id/);
    expect(() => parseInfraConfig({ alarmInvestigations: { since: 'forever' } })).toThrow(/alarmInvestigations\.since/);
  });
});
