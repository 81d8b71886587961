import { describe, expect, it } from 'vitest';
import { apiAccountSource } from '../../../src/sources/apigw/account.js';
import { restApiSource } from '../../../src/sources/apigw/rest-api.js';
import { stagesSource } from '../../../src/sources/apigw/stages.js';
import { executionLogsSource } from '../../../src/sources/logs/execution.js';
import { rowOf, runOnScenario } from '../../support/run-source.js';
import { API_ID, events, healthyApi, healthyStage, itReportsAwsErrors, NOW, scenario } from '../fixture.js';

const before = [restApiSource, apiAccountSource, stagesSource];
const PROD_GROUP = `API-Gateway-Execution-Logs_${API_ID}/prod`;
const prodLogs = (count: number) => ({
  logGroupName: PROD_GROUP,
  events: events(count, (i) => `(req-${i}) Execution failed due to a timeout error`),
});

describe('logs.execution', () => {
  it('reads the stage execution log lines in the window', async () => {
    const outside = { timestamp: Date.parse(NOW) - 5 * 3600_000, message: '(old) Method completed with status: 200' };
    const group = { ...prodLogs(3), events: [outside, ...prodLogs(3).events] };
    const result = await runOnScenario(executionLogsSource, scenario({ logGroups: [group] }), { before });
    const row = rowOf(result, 'logs.execution');
    expect(row.status).toBe('ok');
    expect(row.count).toBe(3);
    expect(row.calls).toEqual(['logs:FilterLogEvents']);
    expect(row.reason).toBe('prod: 3 line(s)');
    const [prod] = result.evidence['logs.execution'] ?? [];
    expect(prod?.logGroup).toBe(PROD_GROUP);
    expect(prod?.lines.map((l) => l.message)).toEqual([0, 1, 2].map((i) => `(req-${i}) Execution failed due to a timeout error`));
    expect(prod?.lines[0]?.timestamp).toBeTypeOf('number');
  });

  it('is not_configured, with the fix, when execution logging is OFF', async () => {
    const api = healthyApi({ stages: [healthyStage({ methodSettings: { '*/*': { loggingLevel: 'OFF' } } })] });
    const row = rowOf(await runOnScenario(executionLogsSource, scenario({ api }), { before }), 'logs.execution');
    expect(row.status).toBe('not_configured');
    expect(row.reason).toBe('prod: execution logging is OFF');
    expect(row.hint).toBe('enable execution logging (INFO) on stage prod');
    expect(row.calls).toEqual([]);
  });

  it('reads the logs when only a per-method override turns logging on', async () => {
    const methodSettings = { '*/*': { loggingLevel: 'OFF' }, '~1orders/GET': { loggingLevel: 'INFO' } };
    const api = healthyApi({ stages: [healthyStage({ methodSettings })] });
    const row = rowOf(await runOnScenario(executionLogsSource, scenario({ api, logGroups: [prodLogs(1)] }), { before }), 'logs.execution');
    expect(row.status).toBe('ok');
    expect(row.reason).toBe('prod: 1 line(s) (logging only for ~1orders/GET)');
  });

  it('is not_configured when the account has no CloudWatch Logs role', async () => {
    const data = scenario({ apigateway: { account: {} }, logGroups: [prodLogs(2)] });
    const row = rowOf(await runOnScenario(executionLogsSource, data, { before }), 'logs.execution');
    expect(row.status).toBe('not_configured');
    expect(row.reason).toContain('no CloudWatch Logs role');
    expect(row.hint).toBe('set the CloudWatch log role ARN in API Gateway settings for us-east-1');
  });

  it('still reads the logs when the account settings could not be read', async () => {
    const data = scenario({ logGroups: [prodLogs(2)], faults: [{ operation: 'apigateway:GetAccount', error: 'AccessDeniedException' }] });
    const result = await runOnScenario(executionLogsSource, data, { before });
    expect(rowOf(result, 'apigw.account').error?.kind).toBe('access_denied');
    expect(rowOf(result, 'logs.execution').status).toBe('ok');
  });

  it('is empty when nothing was logged in the window', async () => {
    const group = { logGroupName: PROD_GROUP, events: [{ timestamp: Date.parse(NOW) - 5 * 3600_000, message: '(old) x' }] };
    const row = rowOf(await runOnScenario(executionLogsSource, scenario({ logGroups: [group] }), { before }), 'logs.execution');
    expect(row.status).toBe('empty');
    expect(row.reason).toBe(`prod: no execution log lines in the window (${PROD_GROUP})`);
  });

  it('is empty, saying why, when the log group does not exist', async () => {
    const row = rowOf(await runOnScenario(executionLogsSource, scenario(), { before }), 'logs.execution');
    expect(row.status).toBe('empty');
    expect(row.reason).toContain(`log group ${PROD_GROUP} does not exist`);
  });

  it('combines stages when none is targeted: ok if any has lines, reason per stage', async () => {
    const api = healthyApi({ stages: [healthyStage(), healthyStage({ stageName: 'dev', methodSettings: {} })] });
    const result = await runOnScenario(executionLogsSource, scenario({ api, stage: null, logGroups: [prodLogs(2)] }), { before });
    const row = rowOf(result, 'logs.execution');
    expect(row.status).toBe('ok');
    expect(row.reason).toBe('prod: 2 line(s); dev: execution logging is OFF');
    expect(row.hint).toBe('enable execution logging (INFO) on stage dev');
    expect(result.evidence['logs.execution']?.map((e) => e.stage)).toEqual(['prod']);
  });

  it('reads 3+ pages and reports truncation as {kept, total} at the item cap', async () => {
    const data = scenario({ logGroups: [prodLogs(7)], pageSize: 2 });
    const all = rowOf(await runOnScenario(executionLogsSource, data, { before }), 'logs.execution');
    expect(all.count).toBe(7);
    expect(all.truncated).toBeUndefined();
    const capped = rowOf(await runOnScenario(executionLogsSource, data, { before, limits: { maxItems: 5 } }), 'logs.execution');
    expect(capped.truncated).toMatchObject({ kept: 5, total: 7, totalExact: true });
    // The newest lines are kept: the failure under investigation is usually the latest.
    const kept = await runOnScenario(executionLogsSource, data, { before, limits: { maxItems: 5 } });
    // (Error lines older than the kept period are added to them: every failure counts.)
    const period = kept.evidence['logs.execution']?.[0]?.period;
    const newest = kept.evidence['logs.execution']?.[0]?.lines.filter((l) => l.timestamp >= Date.parse(period?.from ?? ''));
    expect(newest?.map((l) => l.message.slice(0, 7))).toEqual(['(req-2)', '(req-3)', '(req-4)', '(req-5)', '(req-6)']);
    // At the page cap the newest lines read are kept, and the total is counted over the window.
    const fewPages = rowOf(await runOnScenario(executionLogsSource, data, { before, limits: { maxPages: 2 } }), 'logs.execution');
    expect(fewPages.truncated).toMatchObject({ total: 7, totalExact: true });
    expect(fewPages.truncated?.kept).toBeLessThan(7);
  });

  it('fails as dependency_failed naming the API when it does not exist', async () => {
    const data = scenario({ faults: [{ operation: 'apigateway:GetRestApi', error: 'NotFoundException' }] });
    const row = rowOf(await runOnScenario(executionLogsSource, data, { before }), 'logs.execution');
    expect(row.error).toMatchObject({ kind: 'dependency_failed', dependency: 'apigw.rest-api' });
  });

  itReportsAwsErrors(executionLogsSource, 'logs:FilterLogEvents', { before, action: 'logs:FilterLogEvents', parts: { logGroups: [prodLogs(1)] } });
});

describe('logs.execution on a busy stage', () => {
  it('keeps the newest lines at the cap and still reads every error line in the window', async () => {
    const start = Date.parse(NOW) - 3600_000;
    const early = [0, 1, 2].map((i) => ({ timestamp: start + i * 1000, message: `(err-${i}) Execution failed due to a timeout error` }));
    const healthy = Array.from({ length: 40 }, (_, i) => ({ timestamp: start + 60_000 + i * 1000, message: `(ok-${i}) Method completed with status: 200` }));
    const group = { logGroupName: PROD_GROUP, events: [...early, ...healthy] };
    const result = await runOnScenario(executionLogsSource, scenario({ logGroups: [group] }), { before, limits: { maxItems: 10 } });
    const row = rowOf(result, 'logs.execution');
    expect(row.status).toBe('ok');
    expect(row.truncated).toMatchObject({ kept: 10, total: 43, totalExact: true, until: new Date(start + 99_000).toISOString() });
    expect(row.reason).toMatch(/^prod: newest 10 of 43 lines, 09:01:30–09:01:39, plus all 3 error lines in the window \(counted by Logs Insights, [\d.]+ KiB scanned \(one query\)\)/);
    const messages = result.evidence['logs.execution']?.[0]?.lines.map((l) => l.message) ?? [];
    expect(messages.filter((m) => m.includes('Execution failed'))).toHaveLength(3);
    expect(messages[0]).toContain('(err-0)');
  });
});

describe('logs.execution counting with Logs Insights', () => {
  const busy = () => {
    const start = Date.parse(NOW) - 3600_000;
    return { logGroupName: PROD_GROUP, events: Array.from({ length: 60 }, (_, i) => ({ timestamp: start + i * 1000, message: `(r-${i}) Method completed with status: ${i % 10 === 0 ? 504 : 200}` })) };
  };

  it('stops a query that scans more than the configured cap, and says which totals are estimated', async () => {
    const result = await runOnScenario(executionLogsSource, scenario({ logGroups: [busy()] }), { before, limits: { maxItems: 10, maxInsightsBytes: 1 } });
    const row = rowOf(result, 'logs.execution');
    expect(row.calls).toEqual(expect.arrayContaining(['logs:StartQuery', 'logs:GetQueryResults', 'logs:StopQuery']));
    expect(row.reason).toMatch(/estimated from FilterLogEvents \(Logs Insights stopped at \d+ (B|KiB) scanned \(cap 1 B\)\); totals not exact/);
    expect(row.truncated).toMatchObject({ kept: 10, totalExact: false });
  });

  it('falls back to FilterLogEvents when the query ends Failed, and when Insights is turned off', async () => {
    const failed = rowOf(await runOnScenario(executionLogsSource, { ...scenario({ logGroups: [busy()] }), logsInsights: { outcome: 'Failed' } }, { before, limits: { maxItems: 10 } }), 'logs.execution');
    expect(failed.reason).toMatch(/Logs Insights query ended Failed/);
    const off = rowOf(await runOnScenario(executionLogsSource, scenario({ logGroups: [busy()] }), { before, limits: { maxItems: 10, logsInsights: false } }), 'logs.execution');
    expect(off.calls).not.toContain('logs:StartQuery');
    expect(off.reason).toMatch(/Logs Insights is turned off in the configuration/);
  });
});
