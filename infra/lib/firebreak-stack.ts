import { fileURLToPath } from 'node:url';
import {
  Annotations,
  ArnFormat,
  CfnOutput,
  Duration,
  Stack,
  type StackProps,
  aws_budgets as budgets,
  aws_cloudwatch as cloudwatch,
  aws_cloudwatch_actions as cloudwatchActions,
  aws_dynamodb as dynamodb,
  aws_iam as iam,
  aws_lambda as lambda,
  aws_lambda_destinations as destinations,
  aws_logs as logs,
  aws_scheduler as scheduler,
  aws_secretsmanager as secretsmanager,
  aws_sns as sns,
  aws_sns_subscriptions as subscriptions,
  aws_sqs as sqs,
} from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { generateIamPolicy } from '../../src/aws/iam-policy.js';
import { TABLE } from '../../src/ledger/table.js';
import { memberRoleArns, modelIds, type InfraConfig } from '../config.js';
import { alarmEnvironment, AlarmTriggers } from './alarm-triggers.js';
import { bedrockInvokeResources } from './bedrock-arns.js';

/** Always in the repo, so synth works on a fresh clone; each file throws "build the bundle first". */
export const PLACEHOLDER_CODE_DIR = fileURLToPath(new URL('../lambda-placeholder/', import.meta.url));

/** Powertools settings shared by the three functions; the metrics the alarms read use these names. */
export const POWERTOOLS = { serviceName: 'firebreak', metricsNamespace: 'Firebreak' } as const;

/** The front's EMF metric for the time from a Slack request arriving to its ack (milliseconds). */
export const ACK_LATENCY_METRIC = 'AckLatency';

/** DynamoDB actions the ledger uses; no Scan, no table management. */
export const LEDGER_TABLE_ACTIONS = [
  'dynamodb:DeleteItem',
  'dynamodb:DescribeTable',
  'dynamodb:GetItem',
  'dynamodb:PutItem',
  'dynamodb:Query',
  'dynamodb:UpdateItem',
];

export interface FirebreakStackProps extends StackProps {
  config: InfraConfig;
  /**
   * Directory holding `front.mjs`, `worker.mjs` and `schedule.mjs` (from `npm run build:lambda`).
   * Absent: the placeholder, which synthesises anywhere but cannot serve Slack.
   */
  lambdaCodeDir?: string;
}

/**
 * The bot on AWS: a front function behind a function URL that Slack calls (it verifies the
 * signature, acks within 3 s and hands off), a worker it invokes asynchronously for the slow part,
 * a scheduled function for the weekly spend summary, the ledger table, and ONE role for all three
 * functions whose every grant is listed here by hand, so the tests can prove what it can write.
 */
export class FirebreakStack extends Stack {
  readonly botRole: iam.Role;
  readonly table: dynamodb.Table;
  readonly front: lambda.Function;
  readonly worker: lambda.Function;
  readonly summary: lambda.Function;
  readonly deadLetterQueue: sqs.Queue;
  readonly alarmTopic: sns.ITopic;
  readonly alarmTriggers: AlarmTriggers;

  constructor(scope: Construct, id: string, props: FirebreakStackProps) {
    super(scope, id, props);
    const { config } = props;

    if (!props.lambdaCodeDir) {
      Annotations.of(this).addWarningV2(
        'firebreak:placeholder-code',
        'Lambda code is the placeholder: run `npm run build:lambda` and synth/deploy with FIREBREAK_LAMBDA_CODE=dist/lambda.',
      );
    }
    const code = lambda.Code.fromAsset(props.lambdaCodeDir ?? PLACEHOLDER_CODE_DIR);

    this.table = new dynamodb.Table(this, 'Ledger', {
      tableName: config.tableName,
      partitionKey: { name: TABLE.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: TABLE.sortKey, type: dynamodb.AttributeType.STRING },
      timeToLiveAttribute: TABLE.ttlAttribute,
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
    });
    for (const index of TABLE.indexes) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: { name: index.partitionKey, type: dynamodb.AttributeType.STRING },
        ...(index.sortKey ? { sortKey: { name: index.sortKey, type: dynamodb.AttributeType.STRING } } : {}),
      });
    }

    this.deadLetterQueue = new sqs.Queue(this, 'WorkerDeadLetters', {
      retentionPeriod: Duration.days(14),
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });

    const slackSecret = secretsmanager.Secret.fromSecretNameV2(this, 'SlackSecret', config.slackSecretName);

    // Created with no managed policies: each grant below is explicit (see the class comment).
    this.botRole = new iam.Role(this, 'BotRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'firebreak bot: read-only AWS reads, its own table, its models, its own worker',
    });

    // The worker's name is fixed so the role can be granted invoke on it without a dependency
    // cycle (the function itself depends on the role).
    const workerName = `${this.stackName}-worker`;
    const workerArn = this.formatArn({
      service: 'lambda',
      resource: 'function',
      resourceName: workerName,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });

    const roleArns = memberRoleArns(config, this.partition);
    const environment: Record<string, string> = {
      // Powertools for AWS Lambda: logger (with the Lambda context), EMF metrics and the tracer.
      POWERTOOLS_SERVICE_NAME: POWERTOOLS.serviceName,
      POWERTOOLS_METRICS_NAMESPACE: POWERTOOLS.metricsNamespace,
      POWERTOOLS_LOG_LEVEL: config.logLevel,
      POWERTOOLS_TRACE_ENABLED: String(config.tracing),
      // Responses can hold log lines and bundle text: keep them out of X-Ray.
      POWERTOOLS_TRACER_CAPTURE_RESPONSE: 'false',
      FIREBREAK_BEDROCK_BUDGET_USD: String(config.bedrockBudget.monthlyUsd),
      FIREBREAK_TABLE: this.table.tableName,
      FIREBREAK_EMBEDDED_DYNAMODB: 'false',
      FIREBREAK_BEDROCK_ENABLED: 'true',
      FIREBREAK_MODEL_SMALL: config.models.small,
      FIREBREAK_MODEL_LARGE: config.models.large,
      ...(config.models.lite ? { FIREBREAK_MODEL_LITE: config.models.lite } : {}),
      ...(config.models.region ? { FIREBREAK_BEDROCK_REGION: config.models.region } : {}),
      // Read at start by the handlers: a JSON secret {SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET}.
      FIREBREAK_SLACK_SECRET_ARN: slackSecret.secretArn,
      FIREBREAK_SUMMARY_TIMEZONE: config.summary.timezone,
      ...(config.summary.channel ? { FIREBREAK_SUMMARY_CHANNEL: config.summary.channel } : {}),
      ...(config.allowedChannels.length ? { FIREBREAK_ALLOWED_CHANNELS: config.allowedChannels.join(',') } : {}),
      ...(config.dailyTokens ? { FIREBREAK_DAILY_TOKENS: String(config.dailyTokens) } : {}),
      ...(config.approvers.length ? { FIREBREAK_APPROVERS: config.approvers.join(',') } : {}),
      ...(config.approverGroup ? { FIREBREAK_APPROVER_GROUP: config.approverGroup } : {}),
      ...(config.admins.length ? { FIREBREAK_ADMINS: config.admins.join(',') } : {}),
      FIREBREAK_QUOTA_TIMEZONE: config.quotaTimezone,
      ...alarmEnvironment(config.alarmInvestigations),
      ...(config.memberAccounts.length
        ? {
            FIREBREAK_ACCOUNTS: JSON.stringify(
              config.memberAccounts.map((account, i) => ({ ...account, roleArn: roleArns[i] })),
            ),
          }
        : {}),
    };

    const makeFunction = (
      id: string,
      handler: string,
      options: { functionName?: string; timeout: Duration; memorySize: number; description: string; reservedConcurrentExecutions?: number },
    ) => {
      const logGroup = new logs.LogGroup(this, `${id}Logs`, { retention: logs.RetentionDays.ONE_MONTH });
      // Only its own log group: narrower than AWSLambdaBasicExecutionRole's logs:* on every group.
      this.botRole.addToPrincipalPolicy(
        new iam.PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroup.logGroupArn] }),
      );
      return new lambda.Function(this, id, {
        code,
        handler,
        runtime: lambda.Runtime.NODEJS_22_X,
        architecture: lambda.Architecture.ARM_64,
        role: this.botRole,
        logGroup,
        environment,
        tracing: config.tracing ? lambda.Tracing.ACTIVE : lambda.Tracing.DISABLED,
        ...options,
      });
    };

    this.worker = makeFunction('Worker', 'worker.handler', {
      functionName: workerName,
      // Investigation deadline (60 s) plus a model call and Slack posts, with room to spare.
      timeout: Duration.minutes(5),
      memorySize: 1024,
      description: 'firebreak worker: investigations, analysis, uploads (invoked asynchronously by the front)',
      ...(config.reservedConcurrency.worker ? { reservedConcurrentExecutions: config.reservedConcurrency.worker } : {}),
    });
    // Slack's response_url lives 30 minutes; an event older than that cannot be answered anyway.
    this.worker.configureAsyncInvoke({
      retryAttempts: 1,
      maxEventAge: Duration.minutes(30),
      onFailure: new destinations.SqsDestination(this.deadLetterQueue),
    });

    this.front = makeFunction('Front', 'front.handler', {
      timeout: Duration.seconds(10),
      memorySize: 512,
      description: 'firebreak front: verifies Slack requests, acks within 3 s, hands off to the worker',
      // Also the cap on a public URL: a flood of (unsigned) requests cannot use the account's pool.
      ...(config.reservedConcurrency.front ? { reservedConcurrentExecutions: config.reservedConcurrency.front } : {}),
    });
    this.front.addEnvironment('FIREBREAK_WORKER_FUNCTION', workerName);
    // Slack signs every request; Bolt's receiver verifies the signature, so the URL needs no IAM auth.
    const url = this.front.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.NONE });

    this.summary = makeFunction('Summary', 'schedule.handler', {
      timeout: Duration.minutes(2),
      memorySize: 512,
      description: 'firebreak weekly spend summary (EventBridge Scheduler)',
    });

    // CloudWatch alarms going to ALARM (and back) start investigations: delivered to the worker.
    this.alarmTriggers = new AlarmTriggers(this, 'AlarmInvestigations', { config: config.alarmInvestigations, worker: this.worker, deadLetterQueue: this.deadLetterQueue });

    this.grantBotPermissions(workerArn, slackSecret, config, roleArns);
    this.addSummarySchedule(config);
    this.alarmTopic = this.addAlarms(config);
    this.addBedrockBudget(config);

    new CfnOutput(this, 'SlackRequestUrl', {
      value: url.url,
      description: 'Paste into the Slack app: slash command, interactivity and (if used) event subscription request URLs',
    });
    new CfnOutput(this, 'BotRoleArn', {
      value: this.botRole.roleArn,
      description: 'Pass to the member-account read role template (BotRoleArn parameter)',
    });
    new CfnOutput(this, 'TableName', { value: this.table.tableName });
    new CfnOutput(this, 'WorkerDeadLetterQueueUrl', { value: this.deadLetterQueue.queueUrl });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.alarmTopic.topicArn, description: 'Alarms post here (subscribe AWS Chatbot to see them in Slack)' });
  }

  /**
   * Alarms on what an operator must hear about: failed worker events in the dead-letter queue,
   * function errors and throttles, and the front's ack latency p99 (Slack gives up at 3 s).
   */
  private addAlarms(config: InfraConfig): sns.ITopic {
    const topic = config.alarms.topicArn
      ? sns.Topic.fromTopicArn(this, 'AlarmTopic', config.alarms.topicArn)
      : new sns.Topic(this, 'AlarmTopic', { displayName: 'firebreak alarms', enforceSSL: true });
    if (topic instanceof sns.Topic) for (const email of config.alarms.emails) topic.addSubscription(new subscriptions.EmailSubscription(email));
    const action = new cloudwatchActions.SnsAction(topic);
    const alarm = (id: string, props: cloudwatch.AlarmProps) => {
      const created = new cloudwatch.Alarm(this, id, { treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING, ...props });
      created.addAlarmAction(action);
      created.addOkAction(action);
      return created;
    };

    alarm('WorkerDeadLettersAlarm', {
      alarmDescription: 'A worker event failed twice and went to the dead-letter queue: an investigation or answer was never posted.',
      metric: this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' }),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
    });
    for (const [name, fn] of [
      ['Front', this.front],
      ['Worker', this.worker],
      ['Summary', this.summary],
    ] as const) {
      alarm(`${name}ErrorsAlarm`, {
        alarmDescription: `The ${name.toLowerCase()} function failed.`,
        metric: fn.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
      });
      alarm(`${name}ThrottlesAlarm`, {
        alarmDescription: `The ${name.toLowerCase()} function was throttled (reserved concurrency or the account limit).`,
        metric: fn.metricThrottles({ period: Duration.minutes(5), statistic: 'Sum' }),
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
      });
    }
    alarm('FrontAckLatencyAlarm', {
      alarmDescription: `The front's ack latency p99 is over ${config.alarms.ackLatencyP99Ms} ms: Slack shows a timeout at 3 s.`,
      metric: new cloudwatch.Metric({
        namespace: POWERTOOLS.metricsNamespace,
        metricName: ACK_LATENCY_METRIC,
        dimensionsMap: { service: POWERTOOLS.serviceName },
        statistic: 'p99',
        period: Duration.minutes(5),
      }),
      threshold: config.alarms.ackLatencyP99Ms,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
    });
    return topic;
  }

  /**
   * AWS Budgets: a monthly cost budget on Amazon Bedrock, the account-wide guardrail behind the
   * per-user daily quotas (which only count what this bot spends).
   */
  private addBedrockBudget(config: InfraConfig): void {
    const { monthlyUsd, thresholds, emails, topicArn, services } = config.bedrockBudget;
    const subscribers: budgets.CfnBudget.SubscriberProperty[] = [
      ...emails.map((address) => ({ subscriptionType: 'EMAIL', address })),
      ...(topicArn ? [{ subscriptionType: 'SNS', address: topicArn }] : []),
    ];
    const notify = (notificationType: 'ACTUAL' | 'FORECASTED', threshold: number): budgets.CfnBudget.NotificationWithSubscribersProperty => ({
      notification: { notificationType, comparisonOperator: 'GREATER_THAN', threshold, thresholdType: 'PERCENTAGE' },
      subscribers,
    });
    new budgets.CfnBudget(this, 'BedrockBudget', {
      budget: {
        budgetName: `${this.stackName}-bedrock`,
        budgetType: 'COST',
        timeUnit: 'MONTHLY',
        budgetLimit: { amount: monthlyUsd, unit: 'USD' },
        costFilters: { Service: services },
      },
      ...(subscribers.length > 0 ? { notificationsWithSubscribers: [...thresholds.map((t) => notify('ACTUAL', t)), notify('FORECASTED', 100)] } : {}),
    });
  }

  private grantBotPermissions(workerArn: string, slackSecret: secretsmanager.ISecret, config: InfraConfig, roleArns: string[]): void {
    const role = this.botRole;
    // AWS reads: exactly the generated policy that docs/iam-policy.json holds.
    for (const statement of generateIamPolicy({ logGroups: config.logGroups }).Statement) role.addToPrincipalPolicy(iam.PolicyStatement.fromJson(statement));

    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'LedgerTable',
        actions: LEDGER_TABLE_ACTIONS,
        resources: [this.table.tableArn, `${this.table.tableArn}/index/*`],
      }),
    );

    const scope = { partition: this.partition, region: config.models.region ?? this.region, account: this.account };
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'InvokeConfiguredModels',
        // CountTokens: the exact input size shown before approval (free of charge).
        actions: ['bedrock:InvokeModel', 'bedrock:CountTokens'],
        resources: [...new Set(modelIds(config).flatMap((id) => bedrockInvokeResources(id, scope)))],
      }),
    );

    role.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'InvokeOwnWorker', actions: ['lambda:InvokeFunction'], resources: [workerArn] }));

    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ReadSlackSecret',
        actions: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
        resources: [`${slackSecret.secretArn}-??????`],
      }),
    );

    if (roleArns.length > 0) {
      role.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'AssumeMemberAccountReadRoles', actions: ['sts:AssumeRole'], resources: roleArns }));
    }
  }

  private addSummarySchedule(config: InfraConfig): void {
    const schedulerRole = new iam.Role(this, 'SummarySchedulerRole', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
      }),
      description: 'EventBridge Scheduler: invoke the firebreak weekly summary function only',
    });
    schedulerRole.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [this.summary.functionArn] }),
    );
    new scheduler.CfnSchedule(this, 'WeeklySummary', {
      description: 'firebreak weekly spend summary',
      scheduleExpression: config.summary.expression,
      scheduleExpressionTimezone: config.summary.timezone,
      flexibleTimeWindow: { mode: 'OFF' },
      target: {
        arn: this.summary.functionArn,
        roleArn: schedulerRole.roleArn,
        input: JSON.stringify({ source: 'firebreak.schedule', kind: 'weekly-summary' }),
        retryPolicy: { maximumRetryAttempts: 2, maximumEventAgeInSeconds: 3600 },
      },
    });
  }
}
