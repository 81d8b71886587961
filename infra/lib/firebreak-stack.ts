import { fileURLToPath } from 'node:url';
import {
  Annotations,
  ArnFormat,
  CfnOutput,
  Duration,
  Stack,
  type StackProps,
  aws_dynamodb as dynamodb,
  aws_iam as iam,
  aws_lambda as lambda,
  aws_lambda_destinations as destinations,
  aws_logs as logs,
  aws_scheduler as scheduler,
  aws_secretsmanager as secretsmanager,
  aws_sqs as sqs,
} from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { generateIamPolicy } from '../../src/aws/iam-policy.js';
import { TABLE } from '../../src/ledger/table.js';
import { memberRoleArns, modelIds, type InfraConfig } from '../config.js';
import { bedrockInvokeResources } from './bedrock-arns.js';

/** Always in the repo, so synth works on a fresh clone; each file throws "build the bundle first". */
export const PLACEHOLDER_CODE_DIR = fileURLToPath(new URL('../lambda-placeholder/', import.meta.url));

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
      NODE_OPTIONS: '--enable-source-maps',
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
      ...(config.memberAccounts.length
        ? {
            FIREBREAK_ACCOUNTS: JSON.stringify(
              config.memberAccounts.map((account, i) => ({ ...account, roleArn: roleArns[i] })),
            ),
          }
        : {}),
    };

    const makeFunction = (id: string, handler: string, options: { functionName?: string; timeout: Duration; memorySize: number; description: string }) => {
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
        ...options,
      });
    };

    this.worker = makeFunction('Worker', 'worker.handler', {
      functionName: workerName,
      // Investigation deadline (60 s) plus a model call and Slack posts, with room to spare.
      timeout: Duration.minutes(5),
      memorySize: 1024,
      description: 'firebreak worker: investigations, analysis, uploads (invoked asynchronously by the front)',
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
    });
    this.front.addEnvironment('FIREBREAK_WORKER_FUNCTION', workerName);
    // Slack signs every request; Bolt's receiver verifies the signature, so the URL needs no IAM auth.
    const url = this.front.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.NONE });

    this.summary = makeFunction('Summary', 'schedule.handler', {
      timeout: Duration.minutes(2),
      memorySize: 512,
      description: 'firebreak weekly spend summary (EventBridge Scheduler)',
    });

    this.grantBotPermissions(workerArn, slackSecret, config, roleArns);
    this.addSummarySchedule(config);

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
  }

  private grantBotPermissions(workerArn: string, slackSecret: secretsmanager.ISecret, config: InfraConfig, roleArns: string[]): void {
    const role = this.botRole;
    // AWS reads: exactly the generated policy that docs/iam-policy.json holds.
    for (const statement of generateIamPolicy().Statement) role.addToPrincipalPolicy(iam.PolicyStatement.fromJson(statement));

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
        actions: ['bedrock:InvokeModel'],
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
