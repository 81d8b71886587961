import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateIamPolicy, LOG_ACTIONS_WITHOUT_RESOURCES } from '../../src/aws/iam-policy.js';
import { TABLE } from '../../src/ledger/table.js';
import { parseInfraConfig } from '../config.js';
import { ACK_LATENCY_METRIC, FirebreakStack, LEDGER_TABLE_ACTIONS, PLACEHOLDER_CODE_DIR, POWERTOOLS } from '../lib/firebreak-stack.js';

const config = parseInfraConfig({
  stackName: 'FirebreakTest',
  slackSecretName: 'firebreak/test-slack',
  tableName: 'firebreak-test',
  summary: { expression: 'cron(30 8 ? * FRI *)', timezone: 'Europe/Paris', channel: 'C0123456789' },
  models: {
    small: 'us.anthropic.claude-haiku-4-5-20251001-v1:0',
    large: 'us.anthropic.claude-sonnet-4-5-20250929-v1:0',
    lite: 'amazon.nova-micro-v1:0',
  },
  memberAccounts: [
    { alias: 'payments', accountId: '222222222222' },
    { accountId: '333333333333', roleArn: 'arn:aws:iam::333333333333:role/custom-read' },
  ],
  approvers: ['U024BE7LH', 'U0G9QF9C6'],
  approverGroup: 'S0614TZR7',
  admins: ['U024BE7LH'],
  quotaTimezone: 'America/New_York',
  logGroups: ['/apigw/access/*', 'vpc-flow-logs'],
  reservedConcurrency: { front: 25, worker: 8 },
  alarms: { emails: ['oncall@example.com'] },
  bedrockBudget: { monthlyUsd: 250, emails: ['finops@example.com'], topicArn: 'arn:aws:sns:us-east-1:111111111111:firebreak-budget' },
});

type Json = unknown;
interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: Json;
  Sid?: string;
}

let template: Template;
const logicalId = (type: string, prefix: string): string => {
  const ids = Object.keys(template.findResources(type)).filter((id) => id.startsWith(prefix));
  expect(ids, `${type} ${prefix}`).toHaveLength(1);
  return ids[0]!;
};
const list = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);
const getAtt = (id: string) => ({ 'Fn::GetAtt': [id, 'Arn'] });

/** Resolves a string CloudFormation builds with Fn::Join and the partition, as in the aws partition. */
function inAwsPartition(value: Json): string {
  if (typeof value === 'string') return value;
  const join = (value as { 'Fn::Join'?: [string, Json[]] })['Fn::Join'];
  if (!join) throw new Error(`cannot resolve ${JSON.stringify(value)}`);
  return join[1]
    .map((part) => (typeof part === 'object' && (part as { Ref?: string }).Ref === 'AWS::Partition' ? 'aws' : inAwsPartition(part)))
    .join(join[0]);
}

/** Every identity-policy statement in the stack, with the role(s) it is attached to. */
function policyStatements(): { roles: string[]; statement: Statement }[] {
  const out: { roles: string[]; statement: Statement }[] = [];
  for (const policy of Object.values(template.findResources('AWS::IAM::Policy'))) {
    const roles = (policy.Properties.Roles as { Ref: string }[]).map((r) => r.Ref);
    for (const statement of policy.Properties.PolicyDocument.Statement as Statement[]) out.push({ roles, statement });
  }
  for (const [id, role] of Object.entries(template.findResources('AWS::IAM::Role'))) {
    for (const inline of (role.Properties.Policies ?? []) as { PolicyDocument: { Statement: Statement[] } }[]) {
      for (const statement of inline.PolicyDocument.Statement) out.push({ roles: [id], statement });
    }
  }
  return out;
}

beforeAll(() => {
  const app = new App();
  const stack = new FirebreakStack(app, config.stackName, { config });
  template = Template.fromStack(stack);
});

describe('IAM', () => {
  it('uses no managed policies and grants no wildcard action, only Allow', () => {
    for (const role of Object.values(template.findResources('AWS::IAM::Role'))) {
      expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    }
    const statements = policyStatements();
    expect(statements.length).toBeGreaterThan(10);
    for (const { statement } of statements) {
      expect(statement.Effect).toBe('Allow');
      for (const action of list(statement.Action)) expect(action, JSON.stringify(statement)).not.toContain('*');
    }
  });

  it('grants no write except the table, the models, the worker, its own logs, its dead-letter queue', () => {
    const reads = new Map<string, Json>();
    for (const s of generateIamPolicy({ logGroups: config.logGroups }).Statement) for (const a of s.Action) reads.set(a, s.Resource.length === 1 ? s.Resource[0] : s.Resource);

    const botRole = logicalId('AWS::IAM::Role', 'BotRole');
    const schedulerRole = logicalId('AWS::IAM::Role', 'SummarySchedulerRole');
    const table = logicalId('AWS::DynamoDB::Table', 'Ledger');
    const queue = getAtt(logicalId('AWS::SQS::Queue', 'WorkerDeadLetters'));
    const logGroups = Object.keys(template.findResources('AWS::Logs::LogGroup')).map(getAtt);
    expect(logGroups).toHaveLength(3);

    const seen = new Set<string>();
    for (const { roles, statement } of policyStatements()) {
      const resources = list(statement.Resource as Json);
      const text = JSON.stringify(resources);
      for (const action of list(statement.Action)) {
        seen.add(action);
        const where = `${action} on ${text}`;
        if (reads.has(action)) {
          // The AWS reads: exactly the generated policy, on exactly its resources.
          expect(statement.Resource, where).toEqual(reads.get(action));
          expect(roles).toEqual([botRole]);
        } else if (action.startsWith('dynamodb:')) {
          expect(LEDGER_TABLE_ACTIONS, where).toContain(action);
          expect(resources[0], where).toEqual(getAtt(table));
          expect(text, where).toContain('/index/*');
          expect(resources).toHaveLength(2);
        } else if (action === 'bedrock:InvokeModel' || action === 'bedrock:CountTokens') {
          for (const r of resources) expect(JSON.stringify(r), where).toMatch(/bedrock:.*(inference-profile|foundation-model)\//);
        } else if (action === 'lambda:InvokeFunction') {
          if (roles.includes(schedulerRole)) expect(resources, where).toEqual([getAtt(logicalId('AWS::Lambda::Function', 'Summary'))]);
          else expect(text, where).toContain(':function:FirebreakTest-worker"');
          expect(resources).toHaveLength(1);
        } else if (action === 'logs:CreateLogStream' || action === 'logs:PutLogEvents') {
          expect(resources).toHaveLength(1);
          expect(logGroups, where).toContainEqual(resources[0]);
        } else if (action === 'sqs:SendMessage' || action === 'sqs:GetQueueAttributes' || action === 'sqs:GetQueueUrl') {
          expect(resources, where).toEqual([queue]);
        } else if (action === 'secretsmanager:GetSecretValue' || action === 'secretsmanager:DescribeSecret') {
          expect(text, where).toContain(':secret:firebreak/test-slack-??????');
          expect(resources).toHaveLength(1);
        } else if (action === 'xray:PutTraceSegments' || action === 'xray:PutTelemetryRecords') {
          // X-Ray supports no resource-level permissions (docs/iam-policy.md): tracing only.
          expect(resources, where).toEqual(['*']);
        } else if (action === 'sts:AssumeRole') {
          expect(resources.map(inAwsPartition).sort(), where).toEqual([
            'arn:aws:iam::222222222222:role/firebreak-read',
            'arn:aws:iam::333333333333:role/custom-read',
          ]);
        } else {
          expect.fail(`unexpected IAM action ${where}`);
        }
      }
    }
    // The writes the bot needs are there, each once checked above.
    for (const action of [...LEDGER_TABLE_ACTIONS, 'bedrock:InvokeModel', 'lambda:InvokeFunction', 'sts:AssumeRole', 'sqs:SendMessage']) {
      expect(seen, action).toContain(action);
    }
    for (const action of reads.keys()) expect(seen, action).toContain(action);
  });

  it('grants no logs: action on Resource "*": log reads are limited to the groups firebreak reads', () => {
    const logStatements = policyStatements().filter(({ statement }) => list(statement.Action).some((a) => a.startsWith('logs:')));
    expect(logStatements.length).toBeGreaterThan(0);
    for (const { statement } of logStatements) {
      if (!list(statement.Resource as Json).includes('*')) continue;
      // Only query-id actions IAM cannot scope (docs/iam-policy.md) may sit on "*".
      for (const action of list(statement.Action)) expect(LOG_ACTIONS_WITHOUT_RESOURCES, JSON.stringify(statement)).toContain(action);
    }
    const filter = logStatements.find(({ statement }) => list(statement.Action).includes('logs:FilterLogEvents'))!.statement;
    expect(list(filter.Resource as Json)).toEqual([
      'arn:aws:logs:*:*:log-group:/apigw/access/*',
      'arn:aws:logs:*:*:log-group:/aws/lambda/*',
      'arn:aws:logs:*:*:log-group:API-Gateway-Execution-Logs_*',
      'arn:aws:logs:*:*:log-group:vpc-flow-logs:*',
    ]);
  });

  it('invokes only the configured models: each inference profile and the model it routes to', () => {
    const bedrock = policyStatements().find(({ statement }) => list(statement.Action).includes('bedrock:InvokeModel'))!.statement;
    const text = JSON.stringify(bedrock.Resource);
    for (const id of ['us.anthropic.claude-haiku-4-5-20251001-v1:0', 'us.anthropic.claude-sonnet-4-5-20250929-v1:0']) {
      expect(text).toContain(`:inference-profile/${id}`);
      expect(text).toContain(`:bedrock:*::foundation-model/${id.replace(/^us\./, '')}`);
    }
    expect(text).toContain('::foundation-model/amazon.nova-micro-v1:0');
    expect(list(bedrock.Resource)).toHaveLength(5);
    expect(text).not.toMatch(/foundation-model\/\*|inference-profile\/\*/);
  });
});

describe('ledger table', () => {
  it('has the ledger keys, TTL on its expiry attribute, PITR and on-demand billing', () => {
    template.resourceCountIs('AWS::DynamoDB::Table', 1);
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      TableName: 'firebreak-test',
      KeySchema: [
        { AttributeName: TABLE.partitionKey, KeyType: 'HASH' },
        { AttributeName: TABLE.sortKey, KeyType: 'RANGE' },
      ],
      TimeToLiveSpecification: { AttributeName: TABLE.ttlAttribute, Enabled: true },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      BillingMode: 'PAY_PER_REQUEST',
    });
    template.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Retain' });
  });
});

describe('functions', () => {
  it('puts the front behind a function URL without IAM auth (Slack signs requests)', () => {
    template.hasResourceProperties('AWS::Lambda::Url', {
      AuthType: 'NONE',
      TargetFunctionArn: getAtt(logicalId('AWS::Lambda::Function', 'Front')),
    });
    template.hasOutput('SlackRequestUrl', {});
  });

  it('sends failed asynchronous worker invocations to the dead-letter queue', () => {
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: logicalId('AWS::Lambda::Function', 'Worker') },
      DestinationConfig: { OnFailure: { Destination: getAtt(logicalId('AWS::SQS::Queue', 'WorkerDeadLetters')) } },
    });
  });

  it('tells the front which worker to invoke and every function where the Slack secret is, never its value', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Handler: 'front.handler',
      Environment: { Variables: Match.objectLike({ FIREBREAK_WORKER_FUNCTION: 'FirebreakTest-worker' }) },
    });
    template.hasResourceProperties('AWS::Lambda::Function', { Handler: 'worker.handler', FunctionName: 'FirebreakTest-worker' });
    for (const fn of Object.values(template.findResources('AWS::Lambda::Function'))) {
      const env = fn.Properties.Environment.Variables as Record<string, Json>;
      expect(JSON.stringify(env.FIREBREAK_SLACK_SECRET_ARN)).toContain(':secret:firebreak/test-slack');
      expect(env.FIREBREAK_TABLE).toEqual({ Ref: logicalId('AWS::DynamoDB::Table', 'Ledger') });
      expect(env.FIREBREAK_EMBEDDED_DYNAMODB).toBe('false');
      expect(Object.keys(env)).not.toContain('SLACK_BOT_TOKEN');
      expect(Object.keys(env)).not.toContain('SLACK_SIGNING_SECRET');
      expect(env).toMatchObject({
        FIREBREAK_APPROVERS: 'U024BE7LH,U0G9QF9C6',
        FIREBREAK_APPROVER_GROUP: 'S0614TZR7',
        FIREBREAK_ADMINS: 'U024BE7LH',
        FIREBREAK_QUOTA_TIMEZONE: 'America/New_York',
      });
      expect(JSON.parse(inAwsPartition(env.FIREBREAK_ACCOUNTS))).toEqual([
        { alias: 'payments', accountId: '222222222222', roleArn: 'arn:aws:iam::222222222222:role/firebreak-read' },
        { accountId: '333333333333', roleArn: 'arn:aws:iam::333333333333:role/custom-read' },
      ]);
    }
  });

  it('packages the placeholder code, which exists in the repo, when no bundle is given', () => {
    for (const file of ['front.mjs', 'worker.mjs', 'schedule.mjs']) expect(existsSync(join(PLACEHOLDER_CODE_DIR, file)), file).toBe(true);
    template.resourceCountIs('AWS::Lambda::Function', 3);
  });
});

describe('operations', () => {
  it('configures Powertools (service, namespace, log level, tracer) and active tracing on every function', () => {
    const fns = Object.values(template.findResources('AWS::Lambda::Function'));
    expect(fns).toHaveLength(3);
    for (const fn of fns) {
      expect(fn.Properties.Environment.Variables).toMatchObject({
        POWERTOOLS_SERVICE_NAME: POWERTOOLS.serviceName,
        POWERTOOLS_METRICS_NAMESPACE: POWERTOOLS.metricsNamespace,
        POWERTOOLS_LOG_LEVEL: 'INFO',
        POWERTOOLS_TRACE_ENABLED: 'true',
        POWERTOOLS_TRACER_CAPTURE_RESPONSE: 'false',
        FIREBREAK_BEDROCK_BUDGET_USD: '250',
      });
      expect(fn.Properties.TracingConfig).toEqual({ Mode: 'Active' });
      expect(fn.Properties.Runtime).toBe('nodejs22.x');
    }
  });

  it('reserves (and caps) concurrency on the front and the worker, as configured', () => {
    template.hasResourceProperties('AWS::Lambda::Function', { Handler: 'front.handler', ReservedConcurrentExecutions: 25 });
    template.hasResourceProperties('AWS::Lambda::Function', { Handler: 'worker.handler', ReservedConcurrentExecutions: 8 });
    const defaults = new FirebreakStack(new App(), 'Defaults', { config: parseInfraConfig({}) });
    const t = Template.fromStack(defaults);
    t.hasResourceProperties('AWS::Lambda::Function', { Handler: 'front.handler', ReservedConcurrentExecutions: 20 });
    t.hasResourceProperties('AWS::Lambda::Function', { Handler: 'worker.handler', ReservedConcurrentExecutions: 10 });
  });

  it('alarms on dead letters, errors and throttles of each function, and the front ack p99 over 1 s, to an SNS topic with the on-call email', () => {
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((a) => a.Properties as Record<string, Json>);
    const topic = { Ref: logicalId('AWS::SNS::Topic', 'AlarmTopic') };
    for (const alarm of alarms) expect(alarm.AlarmActions).toEqual([topic]);
    const named = (metric: string) => alarms.filter((a) => a.MetricName === metric);
    expect(named('ApproximateNumberOfMessagesVisible')).toHaveLength(1);
    expect(named('ApproximateNumberOfMessagesVisible')[0]).toMatchObject({ Threshold: 0, ComparisonOperator: 'GreaterThanThreshold', Namespace: 'AWS/SQS' });
    expect(named('Errors')).toHaveLength(3);
    expect(named('Throttles')).toHaveLength(3);
    const functionIds = ['Front', 'Worker', 'Summary'].map((p) => logicalId('AWS::Lambda::Function', p));
    const dimensionRefs = (metric: string) => named(metric).map((a) => ((a.Dimensions as { Value: { Ref: string } }[])[0]!.Value.Ref)).sort();
    expect(dimensionRefs('Errors')).toEqual([...functionIds].sort());
    expect(dimensionRefs('Throttles')).toEqual([...functionIds].sort());
    expect(named(ACK_LATENCY_METRIC)).toEqual([
      expect.objectContaining({
        Namespace: POWERTOOLS.metricsNamespace,
        ExtendedStatistic: 'p99',
        Threshold: 1000,
        ComparisonOperator: 'GreaterThanThreshold',
        Dimensions: [{ Name: 'service', Value: POWERTOOLS.serviceName }],
      }),
    ]);
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'oncall@example.com', TopicArn: topic });
  });

  it('sets an AWS Budgets monthly cost budget on Amazon Bedrock with email and SNS notifications', () => {
    template.resourceCountIs('AWS::Budgets::Budget', 1);
    const budget = Object.values(template.findResources('AWS::Budgets::Budget'))[0]!.Properties as {
      Budget: Record<string, Json>;
      NotificationsWithSubscribers: { Notification: Record<string, Json>; Subscribers: Json[] }[];
    };
    expect(budget.Budget).toMatchObject({
      BudgetType: 'COST',
      TimeUnit: 'MONTHLY',
      BudgetLimit: { Amount: 250, Unit: 'USD' },
      CostFilters: { Service: ['Amazon Bedrock'] },
    });
    expect(budget.NotificationsWithSubscribers.map((n) => [n.Notification.NotificationType, n.Notification.Threshold])).toEqual([
      ['ACTUAL', 80],
      ['ACTUAL', 100],
      ['FORECASTED', 100],
    ]);
    for (const n of budget.NotificationsWithSubscribers) {
      expect(n.Subscribers).toEqual([
        { SubscriptionType: 'EMAIL', Address: 'finops@example.com' },
        { SubscriptionType: 'SNS', Address: 'arn:aws:sns:us-east-1:111111111111:firebreak-budget' },
      ]);
    }
  });
});

describe('weekly summary schedule', () => {
  it('runs the configured cron in the configured timezone, invoking the summary function', () => {
    template.resourceCountIs('AWS::Scheduler::Schedule', 1);
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(30 8 ? * FRI *)',
      ScheduleExpressionTimezone: 'Europe/Paris',
      FlexibleTimeWindow: { Mode: 'OFF' },
      Target: Match.objectLike({
        Arn: getAtt(logicalId('AWS::Lambda::Function', 'Summary')),
        RoleArn: getAtt(logicalId('AWS::IAM::Role', 'SummarySchedulerRole')),
      }),
    });
  });

  it("lets only EventBridge Scheduler, from this account, assume the schedule's role", () => {
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          {
            Action: 'sts:AssumeRole',
            Effect: 'Allow',
            Principal: { Service: 'scheduler.amazonaws.com' },
            Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
          },
        ],
      },
    });
  });
});
