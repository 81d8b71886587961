import { describe, expect, it } from 'vitest';
import type { Investigation } from '../../src/core/report.js';
import { investigate } from '../../src/engine.js';
import { createSandboxEnvironment } from '../../src/sandbox/environment.js';
import { loadScenario } from '../../src/sandbox/load.js';
import type { Scenario } from '../../src/sandbox/scenario.js';

/**
 * Issue 21's "answers checked before they are believed", through the counting model: when Logs
 * Insights answers without the stats columns (as moto does), its answer counts for nothing, the
 * error-line pass still runs, and the findings rest on FilterLogEvents' records: the same causes,
 * with figures that never claim Insights as their basis.
 */
async function run(scenario: Scenario): Promise<Investigation> {
  const env = createSandboxEnvironment(scenario);
  return investigate(
    { kind: 'api-gw', restApiId: scenario.apiId, region: env.defaults.region, ...(scenario.stage ? { stage: scenario.stage } : {}) },
    { since: new Date(env.now.getTime() - 2 * 3600_000), until: env.now },
    { factory: env.factory, dns: env.dns, now: () => env.now, origin: 'test', region: env.defaults.region },
  );
}

const causes = (investigation: Investigation) => [...new Set(investigation.report.findings.map((f) => f.rule))].sort();

describe('an Insights answer not believed, through the counting model', () => {
  it('gives the same causes from the records read, with no figure resting on Insights', async () => {
    const scenario = await loadScenario('multi-timeout-and-throttling');
    const believed = await run(scenario);
    const unbelieved = await run({ ...scenario, logsInsights: { outcome: 'Complete', runningPolls: 1, ...scenario.logsInsights, answer: 'events' } });

    const figuresOf = (investigation: Investigation) => investigation.report.findings.flatMap((f) => f.figures ?? []);
    expect(believed.evidence['logs.execution']?.[0]?.counts).toMatchObject({ method: 'insights', exact: true });
    expect(unbelieved.evidence['logs.execution']?.[0]?.counts).toMatchObject({ method: 'filter', exact: false });
    expect(unbelieved.report.coverage.find((r) => r.source === 'logs.execution')?.reason).toContain('Logs Insights answered without the fields asked for');
    expect(causes(unbelieved)).toEqual(causes(believed));
    const figures = figuresOf(unbelieved);
    expect(figures.length).toBeGreaterThan(0);
    for (const figure of figures) {
      expect(figure.basis).not.toBe('insights');
      expect(figure.numerator).toBeGreaterThan(0);
    }
  }, 120_000);
});
