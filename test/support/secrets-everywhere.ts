/**
 * Secrets planted in every source of a scenario (execution, access and Lambda logs, Lambda error
 * records one and two levels deep, CloudTrail request parameters, configuration: the resource
 * policy, stage variables, a deployment's description, Lambda environment variables) and in the
 * added context and a feedback note, generated at test time and substituted into
 * test/fixtures/secrets-everywhere.yaml: the CLI's and Slack's egress tests use the same ones.
 * Besides a fixed set, one line of every family of the redaction corpus is planted in each place,
 * and in a CloudWatch alarm on the API (its name, description, reason and tags).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { parse, stringify } from 'yaml';
import { fullyDecoded } from '../../src/bundle/secrets/decode.js';
import { FAMILY_TEMPLATES, PLANTINGS } from '../bundle/secret-corpus-families.js';
import { corpus, Gen, SECRET_TEMPLATES, type SecretLine } from '../bundle/secret-corpus.js';

const g = new Gen(20_261_130);
const PLANTED: Record<string, string> = {
  POLICY_API_KEY: g.alnum(40),
  ACCESS_PASSWORD: g.urlPassword(),
  JWT: g.jwt(),
  HEADER_API_KEY: g.alnum(40),
  BODY_PASSPHRASE: g.passphrase(),
  DB_PASSWORD: g.urlPassword(),
  GITHUB_TOKEN: `ghp_${g.alnum(36)}`,
  DD_API_KEY: g.hex(32),
  STRIPE_KEY: `sk_live_${g.alnum(24)}`,
  CT_ACCESS_KEY_ID: g.akid('ASIA'),
  CT_DB_PASSWORD: g.password().replace(/'/g, ''),
  CT_SLACK_TOKEN: `xoxb-${g.chars('0123456789', 12)}-${g.chars('0123456789', 13)}-${g.alnum(24)}`,
};
const CONTEXT_SECRET = g.awsSecret();
const CONTEXT_TOKEN = `glpat-${g.b64url(20)}`;

/** One line of every family of the corpus (values of their own seed). */
export const FAMILY_LINES: SecretLine[] = (() => {
  const seen = new Set<string>();
  return [...corpus(SECRET_TEMPLATES, 1, 31_000), ...corpus(FAMILY_TEMPLATES, 1, 7_000_000)].filter((line) => !seen.has(line.family) && seen.add(line.family));
})();

/** The added context: the fixed secrets and a few families' lines (the Slack modal takes 3,000 characters). */
export const CONTEXT = [
  `it broke after we rotated aws_secret_access_key=${CONTEXT_SECRET} and the deploy token ${CONTEXT_TOKEN}`,
  ...FAMILY_LINES.filter((l) => l.text.length < 180).slice(0, 10).map((l) => l.text),
].join('\n').slice(0, 2_900);
/** A feedback note ("the real cause was…") carrying secrets of other families. */
export const FEEDBACK_NOTE = (PLANTINGS.feedback as (t: string) => string)(FAMILY_LINES.filter((l) => l.text.length < 180).slice(10, 16).map((l) => l.text).join(' ; ')).slice(0, 1_900);

const ALL_SECRETS = [...Object.values(PLANTED), CONTEXT_SECRET, CONTEXT_TOKEN, ...FAMILY_LINES.flatMap((l) => l.secrets)];

/** The first 8-character run of any planted secret found in `text`, as it is or decoded (JSON escapes, URL encoding). */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function leak(text: string): string | undefined {
  const decoded = fullyDecoded(text);
  for (const secret of ALL_SECRETS) {
    // A UUID-shaped secret shares its dashes and version digit with every request id in the logs:
    // an 8-character run across a dash ("d-b13b-4") matches one of thousands of request ids by
    // chance. Its dash-free runs (the first and last groups) still catch a leak of it.
    const uuid = UUID.test(secret);
    for (let i = 0; i + 8 <= secret.length; i++) {
      const run = secret.slice(i, i + 8);
      if (uuid && run.includes('-')) continue;
      if (text.includes(run) || decoded.includes(run)) return `${run} (of a ${secret.length}-character secret)`;
    }
  }
  return undefined;
}

type Events = { timestamp: string; message: string }[];

/** Every family's line planted in every source of the scenario. */
function plantFamilies(scenario: Record<string, unknown>): void {
  const account = (scenario.accounts as Record<string, unknown>[])[0] as Record<string, Record<string, unknown>>;
  const groups = (account.logs as { groups: { logGroupName: string; events: Events }[] }).groups;
  const group = (name: string) => groups.find((g) => g.logGroupName === name)!.events;
  const at = (i: number) => `2024-05-01T10:${String(10 + (i % 40)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}Z`;
  const plant = (where: keyof typeof PLANTINGS, text: string) => (PLANTINGS[where] as (t: string) => string)(text);
  FAMILY_LINES.forEach((line, i) => {
    const requestId = `6f0c2c1e-1b7a-4c55-9a0e-${String(i).padStart(12, '0')}`;
    group('API-Gateway-Execution-Logs_a1b2c3d4e5/prod').push({ timestamp: at(i), message: `(${requestId}) Lambda execution failed with status 200 due to customer function error: ${line.text}` });
    group('/aws/lambda/shop-users').push(
      { timestamp: at(i), message: plant('log', line.text) },
      { timestamp: at(i), message: `2024-05-01T10:00:01.120Z\t${requestId}\tERROR\tInvoke Error \t${plant('lambda-error-1', line.text)}` },
      { timestamp: at(i), message: plant('lambda-error-2', line.text) },
    );
    group('/aws/apigateway/shop-api-access').push({ timestamp: at(i), message: plant('access-log', line.text) });
  });
  // CloudTrail: request parameters of changes to the API, and the configuration they set.
  const trail = (account.cloudtrail as { events: Record<string, unknown>[] }).events;
  FAMILY_LINES.forEach((line, i) => {
    trail.push({
      EventName: 'UpdateStage',
      EventTime: at(i).replace('T10:', 'T09:'),
      Username: 'deploy-bot',
      Resources: [{ ResourceType: 'AWS::ApiGateway::Stage', ResourceName: 'prod' }],
      CloudTrailEvent: {
        userIdentity: { type: 'AssumedRole', arn: 'arn:aws:sts::111111111111:assumed-role/deploy/deploy-bot' },
        requestParameters: { restApiId: 'a1b2c3d4e5', stageName: 'prod', patchOperations: [{ op: 'replace', path: '/description', value: line.text }] },
      },
    });
  });
  // Configuration: stage variables, a deployment's description, Lambda environment variables.
  const api = ((account.apigateway as { restApis: Record<string, unknown>[] }).restApis[0] as Record<string, unknown[]>);
  const stage = api.stages![0] as Record<string, unknown>;
  stage.variables = Object.fromEntries(FAMILY_LINES.map((line, i) => [`note${i}`, line.text]));
  (api.deployments![0] as Record<string, unknown>).description = FAMILY_LINES.map((l) => plant('configuration', l.text)).join(' | ').slice(0, 20_000);
  const fn = (account.lambda as { functions: Record<string, unknown>[] }).functions[0]!;
  fn.Environment = { Variables: Object.fromEntries(FAMILY_LINES.map((line, i) => [`NOTE_${i}`, line.text])) };
}

/** The alarm planted on the API: its name, description, reason, reason data and tags carry secrets. */
export const ALARM_NAME = `apigw-shop-api-5xx api_key=${PLANTED.HEADER_API_KEY}`;

/** An alarm on the API's 5XXErrors whose own text carries the families' lines (read by metrics.alarms and the alarm path). */
function plantAlarm(scenario: Record<string, unknown>): void {
  const short = FAMILY_LINES.filter((l) => l.text.length <= 200);
  const upTo = (limit: number, lines: SecretLine[]) => lines.map((l) => l.text).reduce((text, line) => (text.length + line.length + 3 <= limit ? (text ? `${text} | ${line}` : line) : text), '');
  scenario.alarms = [
    {
      AlarmName: ALARM_NAME,
      AlarmDescription: upTo(1_024, short.slice(0, 12)),
      StateValue: 'ALARM',
      StateReason: upTo(1_023, short.slice(12, 24)),
      StateReasonData: { version: '1.0', note: upTo(2_000, short.slice(24, 34)) },
      StateTransitionedTimestamp: '2024-05-01T11:50:00Z',
      Namespace: 'AWS/ApiGateway',
      MetricName: '5XXError',
      Dimensions: [
        { Name: 'ApiName', Value: 'shop-api' },
        { Name: 'Stage', Value: 'prod' },
      ],
      Statistic: 'Sum',
      Period: 60,
      EvaluationPeriods: 1,
      Threshold: 5,
      ComparisonOperator: 'GreaterThanThreshold',
      Tags: short.slice(0, 50).map((line, i) => ({ Key: `note${i}`, Value: line.text.slice(0, 256) })),
    },
  ];
}

export function scenarioFile(dir: string): string {
  let text = readFileSync(join(import.meta.dirname, '../fixtures/secrets-everywhere.yaml'), 'utf8');
  // Pad the Lambda error line so the GitHub token straddles the 200-character quote clip.
  text = text.replace('{{PADDING}}', 'x'.repeat(7));
  for (const [name, value] of Object.entries(PLANTED)) text = text.replaceAll(`{{${name}}}`, value);
  expect(text).not.toContain('{{');
  const scenario = parse(text) as Record<string, unknown>;
  plantFamilies(scenario);
  plantAlarm(scenario);
  const file = join(dir, 'secrets-everywhere.yaml');
  writeFileSync(file, stringify(scenario, { lineWidth: 0 }));
  return file;
}
