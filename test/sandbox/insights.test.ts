import { FilterLogEventsCommand, GetQueryResultsCommand, StartQueryCommand, StopQueryCommand } from '@aws-sdk/client-cloudwatch-logs';
import { describe, expect, it } from 'vitest';
import { patternOf } from '../../src/sandbox/insights/run.js';
import { baseScenario, environmentFor, NOW_MS } from './fixture.js';

const EXECUTION = 'API-Gateway-Execution-Logs_a1b2c3d4e5/prod';
const SINCE = Math.floor((NOW_MS - 2 * 3600_000) / 1000);
const UNTIL = Math.floor(NOW_MS / 1000);

const traffic = (requests: number) => ({
  stage: 'prod',
  requests,
  seed: 11,
  routes: [{ method: 'GET', path: '/users' }],
  outcomes: [
    { weight: 80, status: 200 },
    { weight: 20, status: 504, kind: 'integration_timeout' },
  ],
});

function logsFor(extra: Record<string, unknown> = {}, requests = 200) {
  const data = baseScenario({ traffic: [traffic(requests)], ...extra });
  return environmentFor(data).factory.forAccount().logs;
}

type Logs = ReturnType<typeof logsFor>;

async function query(logs: Logs, queryString: string, group = EXECUTION) {
  const { queryId } = await logs.send(new StartQueryCommand({ logGroupName: group, startTime: SINCE, endTime: UNTIL, queryString }));
  const statuses: string[] = [];
  for (let i = 0; i < 10; i++) {
    const out = await logs.send(new GetQueryResultsCommand({ queryId }));
    statuses.push(out.status ?? '?');
    // Partial statistics while it runs, results only when it is complete.
    if (out.status === 'Scheduled' || out.status === 'Running') expect(out.results).toEqual([]);
    if (out.status !== 'Running' && out.status !== 'Scheduled') {
      const rows = (out.results ?? []).map((r) => Object.fromEntries(r.map((f) => [f.field, f.value])));
      return { statuses, rows, statistics: out.statistics, queryId };
    }
  }
  throw new Error('query never ended');
}

async function allEvents(logs: Logs, filterPattern?: string) {
  const messages: string[] = [];
  let nextToken: string | undefined;
  do {
    const out = await logs.send(new FilterLogEventsCommand({ logGroupName: EXECUTION, startTime: SINCE * 1000, endTime: UNTIL * 1000, ...(filterPattern ? { filterPattern } : {}), ...(nextToken ? { nextToken } : {}) }));
    messages.push(...(out.events ?? []).map((e) => e.message ?? ''));
    nextToken = out.nextToken;
  } while (nextToken);
  return messages;
}

describe('sandbox Logs Insights', () => {
  it('runs Scheduled → Running → Complete and counts what FilterLogEvents returns', async () => {
    const logs = logsFor();
    const all = await allEvents(logs);
    const result = await query(logs, 'stats count(*) as events by bin(5m)');
    expect(result.statuses).toEqual(['Running', 'Complete']);
    const total = result.rows.reduce((n, r) => n + Number(r.events), 0);
    expect(total).toBe(all.length);
    expect(result.rows[0]?.['bin(5m)']).toMatch(/^2024-05-01 1\d:\d[05]:00\.000$/);
    expect(result.statistics?.recordsScanned).toBe(all.length);
    expect(result.statistics?.bytesScanned).toBeGreaterThan(all.join('').length);
  });

  it('filters, parses, aggregates with pct and sorts, like the queries firebreak sends', async () => {
    const logs = logsFor();
    const timeouts = (await allEvents(logs, '"timeout error"')).length;
    const counted = await query(logs, 'filter @message like /Execution failed due to a timeout error/ | stats count(*) as n');
    expect(Number(counted.rows[0]?.n)).toBe(timeouts);
    const latency = await query(logs, 'filter @message like /Integration latency: / | parse @message /Integration latency: (?<lat>\\d+) ms/ | stats pct(lat, 50) as p50, pct(lat, 99) as p99, avg(lat) as mean, count(*) as n');
    expect(Number(latency.rows[0]?.p50)).toBeGreaterThanOrEqual(12);
    expect(Number(latency.rows[0]?.p99)).toBeLessThanOrEqual(240);
    expect(Number(latency.rows[0]?.p50)).toBeLessThanOrEqual(Number(latency.rows[0]?.p99));
    const newest = await query(logs, 'fields @timestamp, @message | filter @message like "Method completed" | sort @timestamp desc | limit 3');
    expect(newest.rows).toHaveLength(3);
    expect(newest.rows[0]?.['@timestamp'] && newest.rows[0]['@timestamp'] >= (newest.rows[2]?.['@timestamp'] ?? '')).toBe(true);
    expect(newest.rows[0]?.['@ptr']).toBeTruthy();
    const glob = await query(logs, 'parse @message "(*) Method completed with status: *" as rid, status | filter ispresent(status) | stats count(*) as n by status | sort n desc');
    expect(glob.rows.map((r) => r.status).sort()).toEqual(['200', '504']);
  });

  it('discovers JSON fields of access logs and groups by several keys', async () => {
    const logs = logsFor();
    const result = await query(logs, 'stats count(*) as requests by httpMethod, resourcePath, status | sort requests desc', 'access');
    expect(result.rows.map((r) => `${r.httpMethod} ${r.resourcePath} ${r.status}`).sort()).toEqual(['GET /users 200', 'GET /users 504']);
  });

  it('templates lines with pattern: @pattern, @sampleCount, @ratio, @severityLabel', async () => {
    const logs = logsFor();
    const result = await query(logs, 'filter @message like /timeout error|status: 504/ | parse @message /^\\((?<rid>[^)]*)\\) (?<text>.*)$/ | pattern text');
    const timeout = result.rows.find((r) => r['@pattern'] === 'Execution failed due to a timeout error');
    expect(timeout?.['@severityLabel']).toBe('Error');
    expect(Number(timeout?.['@sampleCount'])).toBeGreaterThan(10);
    expect(Number(timeout?.['@ratio'])).toBeGreaterThan(0);
    expect(patternOf('(abc-123) Received response. Status: 200, Integration latency: 57 ms')).toBe('(<*>) Received response. Status: <*>, Integration latency: <*> ms');
  });

  it('refuses what it does not interpret, unknown queries and groups, and stops running queries', async () => {
    const logs = logsFor();
    await expect(logs.send(new StartQueryCommand({ logGroupName: EXECUTION, startTime: SINCE, endTime: UNTIL, queryString: 'dedup @message' }))).rejects.toMatchObject({ name: 'MalformedQueryException' });
    await expect(logs.send(new StartQueryCommand({ logGroupName: 'nope', startTime: SINCE, endTime: UNTIL, queryString: 'stats count(*)' }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    await expect(logs.send(new GetQueryResultsCommand({ queryId: 'missing' }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    const { queryId } = await logs.send(new StartQueryCommand({ logGroupName: EXECUTION, startTime: SINCE, endTime: UNTIL, queryString: 'stats count(*)' }));
    expect((await logs.send(new StopQueryCommand({ queryId }))).success).toBe(true);
    expect((await logs.send(new GetQueryResultsCommand({ queryId }))).status).toBe('Cancelled');
    expect((await logs.send(new StopQueryCommand({ queryId }))).success).toBe(false);
  });

  it('ends queries Failed or Timeout when the scenario says so, and refuses them as a fault', async () => {
    const failed = await query(logsFor({ logsInsights: { outcome: 'Timeout', runningPolls: 2 } }), 'stats count(*)');
    expect(failed.statuses).toEqual(['Scheduled', 'Running', 'Timeout']);
    expect(failed.rows).toEqual([]);
    const refused = logsFor({ faults: [{ operation: 'logs:StartQuery', error: 'AccessDeniedException' }] });
    await expect(refused.send(new StartQueryCommand({ logGroupName: EXECUTION, startTime: SINCE, endTime: UNTIL, queryString: 'stats count(*)' }))).rejects.toMatchObject({ name: 'AccessDeniedException' });
  });
});

describe('sandbox FilterLogEvents pages', () => {
  it('end at 10,000 events, and at 1 MB when the events are large, without losing or repeating one', async () => {
    const short = Array.from({ length: 12_000 }, (_, i) => ({ timestamp: NOW_MS - 600_000 + i, message: `short ${i}` }));
    const shortLogs = environmentFor(baseScenario({ accounts: [{ ...(baseScenario().accounts as Record<string, unknown>[])[0], logs: { groups: [{ logGroupName: 'short', events: short }] } }] })).factory.forAccount().logs;
    const first = await shortLogs.send(new FilterLogEventsCommand({ logGroupName: 'short' }));
    expect(first.events).toHaveLength(10_000);
    expect(first.nextToken).toBeDefined();
    // Generated execution lines are ~150 bytes: a page of them ends at 1 MB, before 10,000 events.
    const logs = logsFor({}, 2_000);
    const page = await logs.send(new FilterLogEventsCommand({ logGroupName: EXECUTION, startTime: SINCE * 1000, endTime: UNTIL * 1000 }));
    expect(page.events?.length).toBeLessThan(10_000);
    expect(page.events?.reduce((n, e) => n + Buffer.byteLength(e.message ?? '') + 26, 0)).toBeLessThanOrEqual(1_048_576);
    const all = await allEvents(logs);
    expect(all.length).toBeGreaterThan(20_000);
    expect(new Set(all).size).toBe(all.length);

    const big = 'x'.repeat(200_000);
    const events = Array.from({ length: 12 }, (_, i) => ({ timestamp: NOW_MS - 60_000 + i, message: `${i} ${big}` }));
    const bigLogs = environmentFor(baseScenario({ accounts: [{ ...(baseScenario().accounts as Record<string, unknown>[])[0], logs: { groups: [{ logGroupName: 'big', events }] } }] })).factory.forAccount().logs;
    const bigPage = await bigLogs.send(new FilterLogEventsCommand({ logGroupName: 'big' }));
    expect(bigPage.events?.length).toBe(5);
    const rest = await bigLogs.send(new FilterLogEventsCommand({ logGroupName: 'big', nextToken: bigPage.nextToken }));
    expect(rest.events?.[0]?.message?.startsWith('5 ')).toBe(true);
  });

  it('resumes within a millisecond shared by many events', async () => {
    const events = Array.from({ length: 7 }, (_, i) => ({ timestamp: NOW_MS - 1000, message: `same ms ${i}` }));
    const logs = environmentFor(baseScenario({ pageSize: 3, accounts: [{ ...(baseScenario().accounts as Record<string, unknown>[])[0], logs: { groups: [{ logGroupName: 'g', events }] } }] })).factory.forAccount().logs;
    const seen: string[] = [];
    let nextToken: string | undefined;
    do {
      const out = await logs.send(new FilterLogEventsCommand({ logGroupName: 'g', ...(nextToken ? { nextToken } : {}) }));
      seen.push(...(out.events ?? []).map((e) => e.message ?? ''));
      nextToken = out.nextToken;
    } while (nextToken);
    expect(seen).toEqual(events.map((e) => e.message));
  });
});

describe('sandbox FilterLogEvents newest first (startFromHead: false)', () => {
  const group = (events: { timestamp: number; message: string }[], extra: Record<string, unknown> = {}) =>
    environmentFor(baseScenario({ ...extra, accounts: [{ ...(baseScenario().accounts as Record<string, unknown>[])[0], logs: { groups: [{ logGroupName: 'g', events }] } }] })).factory.forAccount().logs;

  it('returns the newest events first and keeps that direction through its tokens, as AWS does', async () => {
    const events = Array.from({ length: 25 }, (_, i) => ({ timestamp: NOW_MS - 60_000 + Math.floor(i / 2) * 1000, message: `e${i}` }));
    const logs = group(events, { pageSize: 4 });
    const seen: string[] = [];
    let nextToken: string | undefined;
    let pages = 0;
    do {
      const out = await logs.send(new FilterLogEventsCommand({ logGroupName: 'g', startTime: NOW_MS - 120_000, endTime: NOW_MS, ...(nextToken ? { nextToken } : { startFromHead: false }) }));
      seen.push(...(out.events ?? []).map((e) => e.message ?? ''));
      nextToken = out.nextToken;
      pages++;
    } while (nextToken);
    expect(pages).toBe(7);
    // Every event once, newest first (within a millisecond too: the reverse of the order written).
    expect(seen).toEqual(events.map((e) => e.message).reverse());
    const newest = await logs.send(new FilterLogEventsCommand({ logGroupName: 'g', startTime: NOW_MS - 120_000, endTime: NOW_MS, startFromHead: false, limit: 3 }));
    expect(newest.events?.map((e) => e.message)).toEqual(['e24', 'e23', 'e22']);
  });

  it('refuses it for a window starting before 2024 (InvalidParameterException), and an emulator may ignore it', async () => {
    const events = [{ timestamp: NOW_MS - 1000, message: 'a' }, { timestamp: NOW_MS - 500, message: 'b' }];
    const logs = group(events);
    await expect(logs.send(new FilterLogEventsCommand({ logGroupName: 'g', startTime: Date.UTC(2023, 11, 31), endTime: NOW_MS, startFromHead: false }))).rejects.toThrow(/startFromHead=false/);
    const moto = group(events, { logsFilter: { ignoreStartFromHead: true } });
    const out = await moto.send(new FilterLogEventsCommand({ logGroupName: 'g', startTime: NOW_MS - 60_000, endTime: NOW_MS, startFromHead: false }));
    expect(out.events?.map((e) => e.message)).toEqual(['a', 'b']);
  });
});

describe('sandbox Logs Insights answers as emulators give them', () => {
  it('answers a stats query with the matching events and no stats columns (like moto), or with words for counts', async () => {
    const events = await query(logsFor({ logsInsights: { answer: 'events' } }), 'stats count(*) as events by bin(5m)');
    expect(events.rows.length).toBeGreaterThan(10);
    expect(events.rows.every((r) => r['@ptr'] !== undefined && r.events === undefined && r['bin(5m)'] === undefined)).toBe(true);
    const text = await query(logsFor({ logsInsights: { answer: 'text' } }), 'stats count(*) as events by bin(5m)');
    expect(text.rows[0]?.events).toMatch(/^about \d+$/);
  });

  it('counts with several functions in one stats by bin: parsed fields counted only where they matched', async () => {
    const logs = logsFor();
    const timeouts = (await allEvents(logs, '"timeout error"')).length;
    const all = (await allEvents(logs)).length;
    const result = await query(logs, 'parse @message /(?<err>timeout error)/\n| parse @message /Integration latency: (?<lat>\\d+) ms/\n| stats count(*) as events, count(err) as errors, count(lat) as responses, pct(lat, 99) as p99, max(lat) as pmax by bin(5m)');
    expect(result.rows.reduce((n, r) => n + Number(r.events), 0)).toBe(all);
    expect(result.rows.reduce((n, r) => n + Number(r.errors), 0)).toBe(timeouts);
    expect(result.rows.some((r) => Number(r.responses) > 0 && Number(r.pmax) >= Number(r.p99))).toBe(true);
  });
});
