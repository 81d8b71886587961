import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { configSchema } from '../src/config.js';
import { alarmMappingSchema, alarmRouteSchema } from '../src/core/alarm-routing.js';
import { durationSchema } from '../src/core/input.js';

/**
 * Deployment settings for the CDK app, validated once so a typo fails `npm run synth` with the
 * setting's name instead of producing a stack that breaks at 3 am. Model defaults come from the
 * app's own config schema, so the bot and its IAM grants cannot disagree about which models exist.
 */
const appDefaults = configSchema.parse({});

const accountId = z.string().regex(/^\d{12}$/, 'an account id is 12 digits');
const roleArn = z.string().regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/, 'a role ARN looks like arn:aws:iam::123456789012:role/name');

const topicArn = z.string().regex(/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[\w-]+$/, 'an SNS topic ARN');

const memberAccountSchema = z.object({
  alias: z.string().min(1).optional(),
  accountId,
  /** The read-only role deployed there; `arn:aws:iam::<accountId>:role/<memberRoleName>` when absent. */
  roleArn: roleArn.optional(),
});

export const infraConfigSchema = z.object({
  stackName: z.string().regex(/^[A-Za-z][A-Za-z0-9-]{0,100}$/, 'a CloudFormation stack name').default('Firebreak'),
  memberStackName: z.string().regex(/^[A-Za-z][A-Za-z0-9-]{0,100}$/).default('FirebreakMemberReadRole'),
  /** Secrets Manager secret (by name) holding a JSON object with SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET. */
  slackSecretName: z.string().min(1).default('firebreak/slack'),
  tableName: z.string().regex(/^[A-Za-z0-9_.-]{3,255}$/, 'a DynamoDB table name').default(appDefaults.ledger.tableName),
  summary: z
    .object({
      /** EventBridge Scheduler cron: minutes hours day-of-month month day-of-week year. */
      expression: z
        .string()
        .regex(/^cron\((\S+\s){5}\S+\)$/, 'an EventBridge Scheduler cron expression, e.g. cron(0 9 ? * MON *)')
        .default('cron(0 9 ? * MON *)'),
      timezone: z
        .string()
        .refine(isIanaTimezone, 'an IANA timezone such as Europe/Paris')
        .default(appDefaults.slack.summary.timezone),
      /** Slack channel id the weekly spend summary goes to. */
      channel: z.string().optional(),
    })
    .prefault({}),
  models: z
    .object({
      small: z.string().min(1).default(appDefaults.models.small),
      large: z.string().min(1).default(appDefaults.models.large),
      lite: z.string().min(1).optional(),
      /** Region the bot calls Bedrock in; the stack's region when absent. */
      region: z.string().optional(),
    })
    .prefault({}),
  /** Accounts the bot may read besides its own; each needs the member-account read role. */
  memberAccounts: z.array(memberAccountSchema).default([]),
  /** Name of the read-only role the member-account template creates. */
  memberRoleName: z.string().regex(/^[\w+=,.@-]{1,64}$/, 'an IAM role name').default('firebreak-read'),
  /** Slack channel ids the bot answers in; empty = any channel it is invited to. */
  allowedChannels: z.array(z.string()).default([]),
  /** Slack user ids who may approve anyone's model call (the requester always may). */
  approvers: z.array(z.string().regex(/^[UW][A-Z0-9]+$/, 'a Slack user id such as U024BE7LH')).default([]),
  /** A Slack user group whose members may approve (needs the usergroups:read scope). */
  approverGroup: z.string().regex(/^S[A-Z0-9]+$/, 'a Slack user group id such as S0614TZR7').optional(),
  dailyTokens: z.number().int().positive().optional(),
  /** Slack user ids without a daily token limit. */
  admins: z.array(z.string()).default([]),
  /**
   * Log groups the bot may read besides the API Gateway execution and Lambda log groups: your
   * stages' access-log groups and VPC flow-log groups, by name or name pattern ending in `*`.
   */
  logGroups: z.array(z.string().regex(/^[\w./#*-]{1,512}$/, 'a log group name or pattern such as /apigw/access-logs/*')).default([]),
  /** Reserved concurrency (also the cap): the front answers Slack, the worker runs investigations. */
  reservedConcurrency: z
    .object({
      front: z.number().int().min(1).optional(),
      worker: z.number().int().min(1).optional(),
    })
    .prefault({ front: 20, worker: 10 }),
  /** Where alarms go: a new SNS topic with these email subscriptions, and/or an existing topic. */
  alarms: z
    .object({
      emails: z.array(z.email()).default([]),
      /** An existing SNS topic (for example one AWS Chatbot posts to a Slack channel). */
      topicArn: z.string().regex(/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[\w-]+$/, 'an SNS topic ARN').optional(),
      /** The front's ack latency p99 above which the alarm fires (Slack gives up at 3 s). */
      ackLatencyP99Ms: z.number().int().positive().default(1000),
    })
    .prefault({}),
  /**
   * Investigations CloudWatch alarms start (docs/deploy.md, "Investigations started by alarms").
   * A routing table turns them on: an EventBridge rule on "CloudWatch Alarm State Change" (filtered
   * by the table) delivers to the worker, with the worker's dead-letter queue; SNS topics your alarms
   * already notify can deliver to it too. The app's `alarms.*` settings, passed to the functions.
   */
  alarmInvestigations: z
    .object({
      routes: z.array(alarmRouteSchema).default([]),
      mappings: z.array(alarmMappingSchema).default([]),
      quietMinutes: z.number().int().min(0).max(24 * 60).default(appDefaults.alarms.quietMinutes),
      maxPerApiPerHour: z.number().int().min(1).max(1_000).default(appDefaults.alarms.maxPerApiPerHour),
      /** The window before the state change, as `--since`. */
      since: z.string().refine((text) => durationSchema.safeParse(text).success, 'a duration such as 30m, 2h or 1d (at most 14d)').default('2h'),
      approval: z.enum(['channel', 'approvers']).default(appDefaults.alarms.approval),
      /** The EventBridge rule on the default event bus (alarm state change events there are free). */
      eventBridge: z.boolean().default(true),
      /** Topics your alarms already notify (the one AWS Chatbot reads, say): the worker subscribes to each. */
      snsTopicArns: z.array(topicArn).default([]),
      /** A new topic to point alarm actions at, for alarms in accounts whose events do not reach this bus. */
      createSnsTopic: z.boolean().default(false),
    })
    .prefault({}),
  /** An AWS Budgets cost budget on Amazon Bedrock, in USD a month, besides the per-user quotas. */
  bedrockBudget: z
    .object({
      monthlyUsd: z.number().positive().default(100),
      /** Percentages of the budget that notify: actual spend at each, and the forecast at 100%. */
      thresholds: z.array(z.number().positive().max(1000)).default([80, 100]),
      emails: z.array(z.email()).default([]),
      /** An SNS topic to notify (its policy must let budgets.amazonaws.com publish). */
      topicArn: z.string().regex(/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[\w-]+$/, 'an SNS topic ARN').optional(),
      /**
       * Cost Explorer service names the budget counts. Models sold through AWS Marketplace (some
       * third-party models) bill under their own service name: add it here.
       */
      services: z.array(z.string().min(1)).default(['Amazon Bedrock']),
    })
    .prefault({}),
  /** X-Ray tracing on the functions (Powertools tracer segments around AWS reads and Bedrock). */
  tracing: z.boolean().default(true),
  /** Powertools log level for the functions. */
  logLevel: z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR']).default('INFO'),
  /** IANA timezone whose midnight resets the daily quotas. */
  quotaTimezone: z.string().refine(isIanaTimezone, 'an IANA timezone such as Europe/Paris').default(appDefaults.quota.timezone),
});

export type InfraConfig = z.infer<typeof infraConfigSchema>;

function isIanaTimezone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export class InfraConfigError extends Error {
  override name = 'InfraConfigError';
}

export function parseInfraConfig(raw: unknown, where = 'infra config'): InfraConfig {
  const parsed = infraConfigSchema.safeParse(raw ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new InfraConfigError(`${where}: ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`);
}

/** Reads a JSON config file; a missing file means all defaults. */
export function loadInfraConfig(file: string | undefined): InfraConfig {
  if (!file || !existsSync(file)) return parseInfraConfig({});
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new InfraConfigError(`${file}: ${(err as Error).message}`);
  }
  return parseInfraConfig(raw, file);
}

/** The role ARN the bot assumes in each member account. */
export function memberRoleArns(config: InfraConfig, partition = 'aws'): string[] {
  return config.memberAccounts.map((a) => a.roleArn ?? `arn:${partition}:iam::${a.accountId}:role/${config.memberRoleName}`);
}

/** Bedrock model ids the bot may invoke, in config order, without duplicates. */
export function modelIds(config: InfraConfig): string[] {
  return [...new Set([config.models.small, config.models.large, config.models.lite].filter((m): m is string => Boolean(m)))];
}
