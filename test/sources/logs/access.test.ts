import { describe, expect, it } from 'vitest';
import { apiAccountSource } from '../../../src/sources/apigw/account.js';
import { restApiSource } from '../../../src/sources/apigw/rest-api.js';
import { stagesSource } from '../../../src/sources/apigw/stages.js';
import { ACCESS_LOG_PRESETS, renderAccessLogLine } from '../../../src/sources/logs/access-format.js';
import { accessLogsSource } from '../../../src/sources/logs/access.js';
import { rowOf, runOnScenario } from '../../support/run-source.js';
import { ACCESS_LOG_ARN, events, healthyApi, healthyStage, itReportsAwsErrors, scenario } from '../fixture.js';

const before = [restApiSource, apiAccountSource, stagesSource];
const JSON_FORMAT = ACCESS_LOG_PRESETS.json.replace(' }', ', "responseType":"$context.error.responseType" }');

function apiWithFormat(format: string, destinationArn = ACCESS_LOG_ARN) {
  return healthyApi({ stages: [healthyStage({ accessLogSettings: { destinationArn, format } })] });
}

const values = (i: number) => ({
  requestId: `req-${i}`,
  'identity.sourceIp': '10.0.1.7',
  requestTime: '20/Nov/2026:09:30:00 +0000',
  httpMethod: 'GET',
  resourcePath: '/orders',
  protocol: 'HTTP/1.1',
  status: i === 0 ? 504 : 200,
  responseLength: 42,
  'error.responseType': i === 0 ? 'INTEGRATION_TIMEOUT' : undefined,
});

describe('logs.access', () => {
  it('parses JSON-preset records with the numeric status and extra fields', async () => {
    const group = { logGroupName: 'orders-access', events: [...events(2, (i) => renderAccessLogLine(JSON_FORMAT, values(i))), ...events(1, () => 'not json')] };
    const result = await runOnScenario(accessLogsSource, scenario({ api: apiWithFormat(JSON_FORMAT), logGroups: [group] }), { before });
    const row = rowOf(result, 'logs.access');
    expect(row.status).toBe('ok');
    expect(row.count).toBe(3);
    expect(row.reason).toBe('prod: 2 JSON record(s), 1 line(s) did not match the stage format');
    const [prod] = result.evidence['logs.access'] ?? [];
    expect(prod).toMatchObject({ stage: 'prod', logGroup: 'orders-access', format: 'json' });
    expect(prod?.records[0]).toMatchObject({
      requestId: 'req-0',
      ip: '10.0.1.7',
      httpMethod: 'GET',
      resourcePath: '/orders',
      status: 504,
      fields: { 'error.responseType': 'INTEGRATION_TIMEOUT', protocol: 'HTTP/1.1', responseLength: '42' },
    });
    expect(prod?.records[1]?.status).toBe(200);
    expect(prod?.unparsed.map((l) => l.message)).toEqual(['not json']);
  });

  it('parses CLF-preset records by the template, from a log group ARN ending in :*', async () => {
    const group = { logGroupName: 'orders-access', events: events(2, (i) => renderAccessLogLine(ACCESS_LOG_PRESETS.clf, values(i))) };
    const api = apiWithFormat(ACCESS_LOG_PRESETS.clf, `${ACCESS_LOG_ARN}:*`);
    const result = await runOnScenario(accessLogsSource, scenario({ api, logGroups: [group] }), { before });
    const [prod] = result.evidence['logs.access'] ?? [];
    expect(prod?.format).toBe('clf');
    expect(prod?.records[0]).toMatchObject({
      requestId: 'req-0',
      ip: '10.0.1.7',
      httpMethod: 'GET',
      resourcePath: '/orders',
      status: 504,
      fields: { requestTime: '20/Nov/2026:09:30:00 +0000', 'identity.caller': '-', protocol: 'HTTP/1.1' },
    });
  });

  it('keeps lines verbatim in unparsed when the format has no $context variables', async () => {
    const group = { logGroupName: 'orders-access', events: events(1, () => 'free text') };
    const result = await runOnScenario(accessLogsSource, scenario({ api: apiWithFormat('static text'), logGroups: [group] }), { before });
    const [prod] = result.evidence['logs.access'] ?? [];
    expect(prod?.format).toBe('unknown');
    expect(prod?.records).toEqual([]);
    expect(prod?.unparsed.map((l) => l.message)).toEqual(['free text']);
  });

  it('is not_configured, with the fix, when the stage has no access log destination', async () => {
    const api = healthyApi({ stages: [healthyStage({ accessLogSettings: undefined })] });
    const row = rowOf(await runOnScenario(accessLogsSource, scenario({ api }), { before }), 'logs.access');
    expect(row.status).toBe('not_configured');
    expect(row.reason).toBe('prod: access logging is off');
    expect(row.hint).toContain('enable access logging on stage prod with the JSON preset plus $context.error.responseType');
  });

  it('is not_configured when the account has no CloudWatch Logs role', async () => {
    const row = rowOf(await runOnScenario(accessLogsSource, scenario({ apigateway: { account: {} } }), { before }), 'logs.access');
    expect(row.status).toBe('not_configured');
    expect(row.hint).toContain('CloudWatch log role');
  });

  it('is not_configured naming the account when the log group is in an account without a role', async () => {
    const foreign = 'arn:aws:logs:us-east-1:333333333333:log-group:central-access';
    const data = scenario({ api: apiWithFormat(JSON_FORMAT, foreign), accounts: [{ accountId: '333333333333' }] });
    const row = rowOf(await runOnScenario(accessLogsSource, data, { before }), 'logs.access');
    expect(row.status).toBe('not_configured');
    expect(row.reason).toContain('no role for account 333333333333');
  });

  it('reads a log group in another account with that account’s role', async () => {
    const foreign = 'arn:aws:logs:us-east-1:222222222222:log-group:central-access';
    const other = {
      accountId: '222222222222',
      roleArn: 'arn:aws:iam::222222222222:role/firebreak-readonly',
      logs: { groups: [{ logGroupName: 'central-access', events: events(1, (i) => renderAccessLogLine(JSON_FORMAT, values(i))) }] },
    };
    const result = await runOnScenario(accessLogsSource, scenario({ api: apiWithFormat(JSON_FORMAT, foreign), accounts: [other] }), { before });
    expect(rowOf(result, 'logs.access').status).toBe('ok');
    expect(result.evidence['logs.access']?.[0]?.records[0]?.status).toBe(504);
  });

  it('is not_applicable for a stage that delivers to Firehose', async () => {
    const firehose = 'arn:aws:firehose:us-east-1:111111111111:deliverystream/amazon-apigateway-orders';
    const row = rowOf(await runOnScenario(accessLogsSource, scenario({ api: apiWithFormat(JSON_FORMAT, firehose) }), { before }), 'logs.access');
    expect(row.status).toBe('not_applicable');
    expect(row.reason).toContain('not to a CloudWatch log group');
  });

  it('is empty when the access log group has nothing in the window', async () => {
    const row = rowOf(await runOnScenario(accessLogsSource, scenario({ logGroups: [{ logGroupName: 'orders-access', events: [] }] }), { before }), 'logs.access');
    expect(row.status).toBe('empty');
    expect(row.reason).toBe('prod: no access log records in the window (orders-access)');
  });

  it('reports truncation as {kept, total} across pages', async () => {
    const group = { logGroupName: 'orders-access', events: events(6, (i) => renderAccessLogLine(JSON_FORMAT, values(i))) };
    const data = scenario({ api: apiWithFormat(JSON_FORMAT), logGroups: [group], pageSize: 2 });
    const row = rowOf(await runOnScenario(accessLogsSource, data, { before, limits: { maxItems: 4 } }), 'logs.access');
    expect(row.truncated).toMatchObject({ kept: 4, total: 6, totalExact: true });
  });

  itReportsAwsErrors(accessLogsSource, 'logs:FilterLogEvents', {
    before,
    action: 'logs:FilterLogEvents',
    parts: { logGroups: [{ logGroupName: 'orders-access', events: events(1, (i) => renderAccessLogLine(JSON_FORMAT, values(i))) }] },
  });
});
