import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { alarmMappingSchema, alarmRouteSchema } from './core/alarm-routing.js';
import { durationSchema } from './core/input.js';

/**
 * Every setting, in one schema, read once at start. Values come from an optional file
 * (FIREBREAK_CONFIG, YAML or JSON) with environment variables on top, so secrets never need to
 * be written to the file.
 */
const csv = z
  .union([z.string(), z.array(z.string())])
  .transform((v) => (Array.isArray(v) ? v : v.split(',')).map((s) => s.trim()).filter(Boolean));

const bool = z.union([z.boolean(), z.enum(['true', 'false', '1', '0'])]).transform((v) => v === true || v === 'true' || v === '1');

/** A JSON-valued environment variable; left as text when it is not JSON so zod names the setting. */
function parseJsonSetting(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

const accountSchema = z.object({
  alias: z.string().optional(),
  accountId: z.string().regex(/^\d{12}$/, 'an account id is 12 digits'),
  roleArn: z.string().startsWith('arn:aws', 'a role ARN starts with arn:aws').optional(),
});

export const configSchema = z.object({
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  aws: z
    .object({
      region: z.string().default('us-east-1'),
      profile: z.string().optional(),
      /** Accounts the bot may read, each with the read-only role to assume there. */
      accounts: z
        .preprocess((v) => (typeof v === 'string' ? parseJsonSetting(v) : v), z.array(accountSchema))
        .default([]),
    })
    .prefault({}),
  /** Sandbox scenario to answer AWS reads from (name or path): the demo and tests, never production. */
  scenario: z.string().optional(),
  runner: z
    .object({
      concurrency: z.coerce.number().int().min(1).max(32).default(8),
      sourceTimeoutMs: z.coerce.number().int().min(100).default(20_000),
      deadlineMs: z.coerce.number().int().min(1_000).default(60_000),
      maxItems: z.coerce.number().int().min(10).default(5_000),
      /** Count execution and access logs with CloudWatch Logs Insights (falls back to FilterLogEvents when refused). */
      logsInsights: bool.default(true),
      /** Bytes one Logs Insights query may scan before it is stopped: 10 GiB ≈ $0.05 at $0.005/GB. */
      maxInsightsBytes: z.coerce.number().int().min(1).default(10 * 1024 ** 3),
    })
    .prefault({}),
  bundle: z
    .object({
      budget: z.enum(['small', 'medium', 'large']).default('medium'),
      budgets: z
        .object({
          small: z.coerce.number().int().positive().default(4_000),
          medium: z.coerce.number().int().positive().default(12_000),
          large: z.coerce.number().int().positive().default(32_000),
        })
        .prefault({}),
      maskAccountIds: bool.default(false),
      maskIps: bool.default(false),
      /** Where the CLI writes a bundle it could not send (no Bedrock configured). */
      outDir: z.string().default(join(homedir(), '.firebreak', 'bundles')),
    })
    .prefault({}),
  models: z
    .object({
      region: z.string().optional(),
      small: z.string().default('us.anthropic.claude-haiku-4-5-20251001-v1:0'),
      large: z.string().default('us.anthropic.claude-sonnet-4-5-20250929-v1:0'),
      /** Cheaper model used when the requester's quota cannot fit the small one. */
      lite: z.string().optional(),
      autoEscalate: bool.default(false),
      maxTokens: z.coerce.number().int().min(256).max(8_192).default(1_500),
      temperature: z.coerce.number().min(0).max(1).default(0.2),
      /** Without this the demo and CLI say Bedrock is not configured and write the bundle to a file. */
      enabled: bool.default(false),
      /** The AWS Budgets monthly threshold on Bedrock cost (set by the stack), shown in the weekly summary. */
      monthlyBudgetUsd: z.coerce.number().positive().optional(),
    })
    .prefault({}),
  /** The answer cache (docs/answer-cache.md). */
  cache: z
    .object({
      /**
       * How long an answer serves later requests with the same incident fingerprint (same
       * findings, configuration, error templates, coverage and context at another moment).
       * 0 turns fingerprint hits off; exact hits (the same bundle text) are unaffected.
       */
      fingerprintFreshnessMinutes: z.coerce.number().min(0).max(7 * 24 * 60).default(60),
    })
    .prefault({}),
  quota: z
    .object({
      dailyTokens: z.coerce.number().int().positive().default(200_000),
      timezone: z.string().default('UTC'),
      perUser: z.record(z.string(), z.coerce.number().int().nonnegative()).default({}),
      admins: csv.default([]),
    })
    .prefault({}),
  ledger: z
    .object({
      tableName: z.string().default('firebreak'),
      /** DynamoDB endpoint override; absent with `embedded` false means real DynamoDB. */
      endpoint: z.string().optional(),
      /** Start dynalite in-process (the CLI and demo default). */
      embedded: bool.default(true),
      investigationTtlHours: z.coerce.number().positive().default(24),
      /**
       * Where the CLI keeps the embedded table between runs (quota used today, spend, cache), so
       * `firebreak usage` means something without DynamoDB. Empty disables it.
       */
      snapshotPath: z.string().optional(),
    })
    .prefault({}),
  /** Investigations CloudWatch alarms start (docs/deploy.md, "Investigations started by alarms"). */
  alarms: z
    .object({
      /** The routing table: the first entry whose matchers all match chooses the channel; no entry, no post. */
      routes: z.preprocess((v) => (typeof v === 'string' ? parseJsonSetting(v) : v), z.array(alarmRouteSchema)).default([]),
      /** Alarms whose metric does not name the API (custom metrics, other services): alarm name → API. */
      mappings: z.preprocess((v) => (typeof v === 'string' ? parseJsonSetting(v) : v), z.array(alarmMappingSchema)).default([]),
      /** A re-fire of the same alarm within this long after it recovered updates the same investigation. */
      quietMinutes: z.coerce.number().int().min(0).max(24 * 60).default(30),
      /** New investigations per API and clock hour; further alarms are listed, not investigated. */
      maxPerApiPerHour: z.coerce.number().int().min(1).max(1_000).default(5),
      /** The window before the state change, as `--since` (30m, 2h, 3d). */
      since: durationSchema.prefault('2h'),
      /** Who may press Analyze on an alarm's investigation: anyone in its channel (charged to them), or approvers only. */
      approval: z.enum(['channel', 'approvers']).default('channel'),
    })
    .prefault({}),
  slack: z
    .object({
      botToken: z.string().optional(),
      signingSecret: z.string().optional(),
      appToken: z.string().optional(),
      port: z.coerce.number().int().min(1).max(65_535).default(3000),
      allowedChannels: csv.default([]),
      approvers: csv.default([]),
      approverGroup: z.string().optional(),
      slackApiUrl: z.string().optional(),
      summary: z
        .object({
          channel: z.string().optional(),
          day: z.enum(['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN']).default('MON'),
          time: z.string().regex(/^\d{2}:\d{2}$/, 'time is HH:MM').default('09:00'),
          timezone: z.string().default('UTC'),
        })
        .prefault({}),
    })
    .prefault({}),
});

export type Config = z.infer<typeof configSchema>;

/** Environment variables and where they land in the schema. */
const ENV: Record<string, string> = {
  FIREBREAK_LOG_LEVEL: 'logLevel',
  AWS_REGION: 'aws.region',
  AWS_PROFILE: 'aws.profile',
  FIREBREAK_ACCOUNTS: 'aws.accounts',
  FIREBREAK_SCENARIO: 'scenario',
  FIREBREAK_CONCURRENCY: 'runner.concurrency',
  FIREBREAK_SOURCE_TIMEOUT_MS: 'runner.sourceTimeoutMs',
  FIREBREAK_DEADLINE_MS: 'runner.deadlineMs',
  FIREBREAK_LOGS_INSIGHTS: 'runner.logsInsights',
  FIREBREAK_MAX_INSIGHTS_BYTES: 'runner.maxInsightsBytes',
  FIREBREAK_BUDGET: 'bundle.budget',
  FIREBREAK_MASK_ACCOUNT_IDS: 'bundle.maskAccountIds',
  FIREBREAK_MASK_IPS: 'bundle.maskIps',
  FIREBREAK_BUNDLE_DIR: 'bundle.outDir',
  FIREBREAK_BEDROCK_ENABLED: 'models.enabled',
  FIREBREAK_BEDROCK_REGION: 'models.region',
  FIREBREAK_BEDROCK_BUDGET_USD: 'models.monthlyBudgetUsd',
  FIREBREAK_MODEL_SMALL: 'models.small',
  FIREBREAK_MODEL_LARGE: 'models.large',
  FIREBREAK_MODEL_LITE: 'models.lite',
  FIREBREAK_AUTO_ESCALATE: 'models.autoEscalate',
  FIREBREAK_MAX_TOKENS: 'models.maxTokens',
  FIREBREAK_FINGERPRINT_FRESHNESS_MINUTES: 'cache.fingerprintFreshnessMinutes',
  FIREBREAK_DAILY_TOKENS: 'quota.dailyTokens',
  FIREBREAK_QUOTA_TIMEZONE: 'quota.timezone',
  FIREBREAK_ADMINS: 'quota.admins',
  FIREBREAK_TABLE: 'ledger.tableName',
  FIREBREAK_DYNAMODB_ENDPOINT: 'ledger.endpoint',
  FIREBREAK_EMBEDDED_DYNAMODB: 'ledger.embedded',
  FIREBREAK_LEDGER_SNAPSHOT: 'ledger.snapshotPath',
  FIREBREAK_ALARM_ROUTES: 'alarms.routes',
  FIREBREAK_ALARM_MAPPINGS: 'alarms.mappings',
  FIREBREAK_ALARM_QUIET_MINUTES: 'alarms.quietMinutes',
  FIREBREAK_ALARM_MAX_PER_API_PER_HOUR: 'alarms.maxPerApiPerHour',
  FIREBREAK_ALARM_SINCE: 'alarms.since',
  FIREBREAK_ALARM_APPROVAL: 'alarms.approval',
  SLACK_BOT_TOKEN: 'slack.botToken',
  SLACK_SIGNING_SECRET: 'slack.signingSecret',
  SLACK_APP_TOKEN: 'slack.appToken',
  PORT: 'slack.port',
  FIREBREAK_ALLOWED_CHANNELS: 'slack.allowedChannels',
  FIREBREAK_APPROVERS: 'slack.approvers',
  FIREBREAK_APPROVER_GROUP: 'slack.approverGroup',
  SLACK_API_URL: 'slack.slackApiUrl',
  FIREBREAK_SUMMARY_CHANNEL: 'slack.summary.channel',
  FIREBREAK_SUMMARY_DAY: 'slack.summary.day',
  FIREBREAK_SUMMARY_TIME: 'slack.summary.time',
  FIREBREAK_SUMMARY_TIMEZONE: 'slack.summary.timezone',
};

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) {
    if (typeof node[key] !== 'object' || node[key] === null) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys[keys.length - 1] as string] = value;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Reads the optional file and the environment once; a bad value names its setting. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Record<string, unknown> = {}): Config {
  let raw: Record<string, unknown> = {};
  const file = env.FIREBREAK_CONFIG;
  if (file) {
    try {
      const text = readFileSync(file, 'utf8');
      raw = (file.endsWith('.json') ? JSON.parse(text) : parseYaml(text)) ?? {};
    } catch (err) {
      throw new ConfigError(`FIREBREAK_CONFIG ${file}: ${(err as Error).message}`);
    }
  }
  for (const [name, path] of Object.entries(ENV)) {
    const value = env[name];
    if (value !== undefined && value !== '') setPath(raw, path, value);
  }
  for (const [path, value] of Object.entries(overrides)) if (value !== undefined) setPath(raw, path, value);
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.join('.') ?? '';
    const envName = Object.entries(ENV).find(([, p]) => p === where)?.[0];
    throw new ConfigError(`setting ${where}${envName ? ` (${envName})` : ''}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}
