import { describe, expect, it } from 'vitest';
import type { FilteredLogEvent } from '@aws-sdk/client-cloudwatch-logs';
import { apiAccountSource } from '../../../src/sources/apigw/account.js';
import { restApiSource } from '../../../src/sources/apigw/rest-api.js';
import { stagesSource } from '../../../src/sources/apigw/stages.js';
import { ACCESS_LOG_PRESETS, renderAccessLogLine } from '../../../src/sources/logs/access-format.js';
import { accessLogsSource } from '../../../src/sources/logs/access.js';
import { executionLogsSource } from '../../../src/sources/logs/execution.js';
import { inTimeOrder } from '../../../src/sources/logs/read-log-group.js';
import { rowOf, runOnScenario } from '../../support/run-source.js';
import { ACCESS_LOG_ARN, API_ID, healthyApi, healthyStage, NOW, scenario } from '../fixture.js';

/**
 * Issue 21, "answers checked before they are believed": an Insights answer without the columns
 * asked for, with counts that are not numbers, or cut at its row limit is never summed (as 0, or
 * as part of the truth): the counts become an estimate from FilterLogEvents and the row says why.
 * FilterLogEvents pages are put in time order before the newest lines are taken.
 */
const before = [restApiSource, apiAccountSource, stagesSource];
const PROD_GROUP = `API-Gateway-Execution-Logs_${API_ID}/prod`;

/** About 16,000 lines in the last 80 minutes, one request in ten failing. */
function busyExecution(count = 16_000) {
  const start = Date.parse(NOW) - 80 * 60_000;
  const step = (80 * 60_000) / count;
  return {
    logGroupName: PROD_GROUP,
    events: Array.from({ length: count }, (_, i) => ({
      timestamp: Math.floor(start + i * step),
      message: i % 10 === 0 ? `(r-${i}) Execution failed due to a timeout error` : `(r-${i}) Method completed with status: 200`,
    })),
  };
}

const run = (answer: 'events' | 'text') =>
  runOnScenario(executionLogsSource, { ...scenario({ logGroups: [busyExecution()] }), logsInsights: { answer } }, { before, limits: { maxItems: 300 } });

describe('Logs Insights answers are checked before they are believed', () => {
  it('an answer without the stats columns (as moto gives it) is not summed as 0: the totals are estimated, visibly', async () => {
    const result = await run('events');
    const row = rowOf(result, 'logs.execution');
    expect(row.reason).toMatch(/^prod: newest 300 of ~16,000 lines/);
    expect(row.reason).toContain(
      'estimated from FilterLogEvents (Logs Insights answered without the fields asked for (bin(5m), events, errors, responses); the total is the 16,000 records its query scanned)',
    );
    expect(row.reason).toContain('totals not exact');
    expect(row.reason).not.toMatch(/prod: 300 line\(s\)/);
    expect(row.truncated).toMatchObject({ kept: 300, totalExact: false });
    expect(row.truncated?.total).toBe(16_000);
    const counts = result.evidence['logs.execution']?.[0]?.counts;
    expect(counts).toMatchObject({ method: 'filter', exact: false });
    expect(counts?.bytesScanned).toBeGreaterThan(0);
    // The error pass still ran: every error line of the window is in the evidence, not just the newest 300 lines'.
    const lines = result.evidence['logs.execution']?.[0]?.lines ?? [];
    expect(lines.filter((l) => l.message.includes('Execution failed'))).toHaveLength(1_600);
  });

  it('counts that are not numbers are not believed either', async () => {
    const row = rowOf(await run('text'), 'logs.execution');
    expect(row.reason).toMatch(/estimated from FilterLogEvents \(Logs Insights answered events = "about \d+", not a count; the total is/);
    expect(row.truncated?.totalExact).toBe(false);
  });

  it('an answer cut at its row limit (10,000 rows) is an estimate, not the window', async () => {
    const format = ACCESS_LOG_PRESETS.json;
    const start = Date.parse(NOW) - 30 * 60_000;
    // 12,000 requests, each on its own path: more route rows than one answer holds.
    const group = {
      logGroupName: 'orders-access',
      events: Array.from({ length: 12_000 }, (_, i) => ({
        timestamp: start + i * 100,
        message: renderAccessLogLine(format, { requestId: `q${i}`, httpMethod: 'GET', resourcePath: `/items/${i}`, status: 200, requestTime: '-', protocol: 'HTTP/1.1', responseLength: 1, 'identity.sourceIp': '10.0.0.1' }),
      })),
    };
    const api = healthyApi({ stages: [healthyStage({ accessLogSettings: { destinationArn: ACCESS_LOG_ARN, format } })] });
    const row = rowOf(await runOnScenario(accessLogsSource, scenario({ api, logGroups: [group] }), { before, limits: { maxItems: 100 } }), 'logs.access');
    expect(row.reason).toMatch(/estimated from FilterLogEvents \(Logs Insights answered 10,000 rows, its row limit: some are missing/);
    expect(row.truncated).toMatchObject({ totalExact: false });
  });

  it('a well-formed answer is believed: exact totals and the error lines counted in the same query', async () => {
    const result = await runOnScenario(executionLogsSource, scenario({ logGroups: [busyExecution()] }), { before, limits: { maxItems: 300 } });
    const row = rowOf(result, 'logs.execution');
    expect(row.truncated).toMatchObject({ kept: 300, total: 16_000, totalExact: true });
    expect(result.evidence['logs.execution']?.[0]?.counts).toMatchObject({ method: 'insights', exact: true, events: 16_000, errors: 1_600 });
    expect(row.reason).toContain('plus all 1,600 error lines in the window (counted by Logs Insights');
  });
});

describe('FilterLogEvents results are put in time order before the newest are taken', () => {
  const event = (timestamp: number, message: string): FilteredLogEvent => ({ timestamp, message });

  it('reverses a newest-first page and sorts a page in any other order', () => {
    expect(inTimeOrder([event(3, 'c'), event(2, 'b'), event(1, 'a')]).map((l) => l.message)).toEqual(['a', 'b', 'c']);
    expect(inTimeOrder([event(2, 'b'), event(3, 'c'), event(1, 'a'), event(2, 'b2')]).map((l) => l.message)).toEqual(['a', 'b', 'b2', 'c']);
  });

  it('keeps the newest lines from an emulator that ignores newest-first (slices from the end, side by side)', async () => {
    const data = { ...scenario({ logGroups: [busyExecution(4_000)] }), logsFilter: { ignoreStartFromHead: true } };
    const result = await runOnScenario(executionLogsSource, data, { before, limits: { maxItems: 300, logsInsights: false } });
    const lines = result.evidence['logs.execution']?.[0]?.lines ?? [];
    const healthy = lines.filter((l) => l.message.includes('completed'));
    const newest = busyExecution(4_000).events.slice(-300);
    // The 300 newest lines of the window, in time order (with the older error lines of the error pass).
    expect(healthy.map((l) => l.message)).toEqual(newest.filter((e) => e.message.includes('completed')).map((e) => e.message));
    expect(lines.map((l) => l.timestamp)).toEqual([...lines.map((l) => l.timestamp)].sort((a, b) => a - b));
    expect(rowOf(result, 'logs.execution').truncated).toMatchObject({ kept: 300 });
  });
});
