import { describe, expect, it } from 'vitest';
import type { CoverageRow } from '../../../src/core/coverage.js';
import type { Investigation } from '../../../src/core/report.js';
import { investigate, type Environment } from '../../../src/engine.js';
import { createSandboxEnvironment } from '../../../src/sandbox/environment.js';
import { loadScenario } from '../../../src/sandbox/load.js';
import { scaleTraffic } from '../../../src/sandbox/scale.js';
import type { Scenario } from '../../../src/sandbox/scenario.js';

/**
 * A busy API: the `multi-timeout-and-throttling` traffic at 30k and at more than 1,000,000 log
 * events in the window. The findings must not depend on the volume, the totals must be counted,
 * the kept lines must be the newest, and execution and access logs must describe one period.
 */
const BASE = await loadScenario('multi-timeout-and-throttling');
// The built-in traffic writes about 26,700 events; ×1.1 ≈ 30k; ×52 puts over 1,000,000 events in
// the execution and access log groups alone (Lambda logs add about 250k more).
const SMALL = 1.1;
const LARGE = 52;

async function run(scenario: Scenario): Promise<Investigation> {
  const sandbox = createSandboxEnvironment(scenario);
  const env: Environment = {
    factory: sandbox.factory,
    dns: sandbox.dns,
    now: () => sandbox.now,
    origin: `sandbox:${scenario.name}`,
    region: sandbox.defaults.region,
    defaults: sandbox.defaults,
    // A shared CI machine must not turn a slow pass into a timeout: the volume is what is tested.
    sourceTimeoutMs: 300_000,
  };
  const until = sandbox.now;
  return investigate({ kind: 'api-gw', restApiId: scenario.apiId, region: scenario.region, stage: 'prod' }, { since: new Date(until.getTime() - 2 * 3600_000), until }, env, {
    deadlineMs: 600_000,
  });
}

const refused = (scenario: Scenario): Scenario => ({
  ...scenario,
  faults: [...scenario.faults, { operation: 'logs:StartQuery', error: 'AccessDeniedException' }],
});

const row = (investigation: Investigation, source: string): CoverageRow => {
  const found = investigation.report.coverage.find((r) => r.source === source);
  if (!found) throw new Error(`no row ${source}`);
  return found;
};

const findingsOf = (investigation: Investigation) => investigation.report.findings.map((f) => `${f.rule}:${f.severity}${f.inconclusive ? '?' : ''}`).sort();

const eventsIn = (investigation: Investigation) =>
  (investigation.evidence['logs.execution']?.[0]?.counts?.events ?? 0) +
  (investigation.evidence['logs.access']?.[0]?.counts?.events ?? 0);

describe('logs at scale', { timeout: 600_000 }, () => {
  it('over a million events: the same findings as at 30k, an exact total, the newest lines, one period', async () => {
    const small = await run(scaleTraffic(BASE, SMALL));
    const large = await run(scaleTraffic(BASE, LARGE));
    expect(findingsOf(large)).toEqual(findingsOf(small));
    expect(findingsOf(large)).toEqual(expect.arrayContaining(['I6.integration-timeout:medium', 'T1.throttled:medium']));

    expect(eventsIn(large)).toBeGreaterThan(1_000_000);
    const execution = row(large, 'logs.execution');
    const access = row(large, 'logs.access');
    expect(execution.truncated?.totalExact).toBe(true);
    expect(execution.truncated?.total).toBe(large.evidence['logs.execution']?.[0]?.counts?.events);
    expect(execution.truncated?.total).toBeGreaterThan(950_000);
    expect(execution.truncated?.kept).toBe(5_000);
    const windowEnd = Date.parse(large.report.window.until);
    expect(windowEnd - Date.parse(execution.truncated?.until ?? '')).toBeLessThan(5 * 60_000);
    expect(access.truncated?.totalExact).toBe(true);
    expect({ from: access.truncated?.from, until: access.truncated?.until }).toEqual({ from: execution.truncated?.from, until: execution.truncated?.until });
    expect(execution.calls).toEqual(expect.arrayContaining(['logs:StartQuery', 'logs:GetQueryResults', 'logs:FilterLogEvents']));
    expect(execution.reason).toMatch(/newest 5,000 of [\d,]+ lines, \d\d:\d\d:\d\d–\d\d:\d\d:\d\d/);
    expect(execution.reason).toMatch(/counted by Logs Insights, [\d.]+ MiB scanned/);
    // Every error line is counted, over the window, not the kept lines; in the one query that counts the events.
    const counts = large.evidence['logs.execution']?.[0]?.counts;
    expect(counts?.errors).toBeGreaterThan(10_000);
    expect(counts?.buckets?.reduce((n, b) => n + (b.errors ?? 0), 0)).toBe(counts?.errors);
  });

  it('with Logs Insights refused: the same findings through FilterLogEvents, totals said not to be exact', async () => {
    const small = await run(scaleTraffic(BASE, SMALL));
    const large = await run(refused(scaleTraffic(BASE, LARGE)));
    expect(findingsOf(large)).toEqual(findingsOf(small));
    const execution = row(large, 'logs.execution');
    expect(execution.status).toBe('ok');
    expect(execution.truncated?.totalExact).toBe(false);
    expect(execution.reason).toMatch(/estimated from FilterLogEvents \(Logs Insights refused \(logs:StartQuery\)\)/);
    expect(execution.reason).toMatch(/totals not exact/);
    expect(execution.reason).toMatch(/~[\d,]+ lines/);
    const windowEnd = Date.parse(large.report.window.until);
    expect(windowEnd - Date.parse(execution.truncated?.until ?? '')).toBeLessThan(5 * 60_000);
    const access = row(large, 'logs.access');
    expect(access.truncated?.totalExact).toBe(false);
    expect({ from: access.truncated?.from, until: access.truncated?.until }).toEqual({ from: execution.truncated?.from, until: execution.truncated?.until });
  });
});
