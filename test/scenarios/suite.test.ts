import { afterAll, describe, expect, it } from 'vitest';
import { buildBundle } from '../../src/bundle/index.js';
import type { Investigation } from '../../src/core/report.js';
import { SEVERITY_RANK } from '../../src/core/finding.js';
import { investigate, type Environment } from '../../src/engine.js';
import { createSandboxEnvironment } from '../../src/sandbox/environment.js';
import { listScenarios, loadScenario } from '../../src/sandbox/load.js';

/**
 * Every built-in scenario, end to end: sources → evidence → rules. Each scenario's `expect` is its
 * own test; a table of all of them is printed at the end (HolmesGPT-style eval table).
 */
interface Row {
  scenario: string;
  expected: string;
  found: string;
  pass: boolean;
}

const rows: Row[] = [];

async function runScenario(name: string) {
  const scenario = await loadScenario(name);
  const sandbox = createSandboxEnvironment(scenario);
  const env: Environment = {
    factory: sandbox.factory,
    dns: sandbox.dns,
    now: () => sandbox.now,
    origin: `sandbox:${scenario.name}`,
    region: sandbox.defaults.region,
    defaults: sandbox.defaults,
  };
  const { restApiId, stage, region } = sandbox.defaults;
  const until = sandbox.now;
  const window = { since: new Date(until.getTime() - 2 * 3600_000), until };
  const investigation = await investigate({ kind: 'api-gw', restApiId, region, ...(stage ? { stage } : {}) }, window, env);
  return { scenario, investigation };
}

function bundleText(investigation: Investigation): string {
  return buildBundle(investigation).text;
}

const scenarios = await listScenarios();

describe('scenario suite', () => {
  it('has the scenario library', () => {
    expect(scenarios.length).toBeGreaterThanOrEqual(55);
  });

  for (const { name } of scenarios) {
    it(`scenario ${name} meets its expect`, async () => {
      const { scenario, investigation } = await runScenario(name);
      const { findings, coverage } = investigation.report;
      const fired = [...new Set(findings.filter((f) => !f.inconclusive).map((f) => f.rule))];
      const allFired = [...new Set(findings.map((f) => f.rule))];
      const inconclusive = [...new Set(findings.filter((f) => f.inconclusive).map((f) => `${f.rule}?`))];
      const expected = scenario.expect?.findings ?? [];
      const missing = expected.filter((id) => !allFired.includes(id));
      const unexpectedAbsent = (scenario.expect?.absentFindings ?? []).filter((id) => fired.includes(id));
      // Precision: every finding above low must be one the scenario expects.
      const unexpected = [...new Set(findings.filter((f) => SEVERITY_RANK[f.severity] < SEVERITY_RANK.low && !expected.includes(f.rule)).map((f) => f.rule))];
      // `status` or `status:errorKind`, e.g. `error:access_denied`.
      const actual = (source: string) => {
        const row = coverage.find((r) => r.source === source);
        return row ? (row.error ? `${row.status}:${row.error.kind}` : row.status) : 'missing';
      };
      const coverageWrong = Object.entries(scenario.expect?.coverage ?? {}).filter(([source, status]) =>
        status.includes(':') ? actual(source) !== status : actual(source).split(':')[0] !== status,
      );
      const text = scenario.expect?.bundleContains?.length ? bundleText(investigation) : '';
      const notInBundle = (scenario.expect?.bundleContains ?? []).filter((s) => !text.includes(s));
      const pass = !missing.length && !unexpectedAbsent.length && !unexpected.length && !coverageWrong.length && !notInBundle.length;
      rows.push({ scenario: name, expected: expected.join(' ') || '(none above info)', found: [...fired, ...inconclusive].join(' ') || '-', pass });

      expect(missing, `findings expected but not fired (fired: ${allFired.join(', ')})`).toEqual([]);
      expect(unexpectedAbsent, 'findings that must be absent').toEqual([]);
      expect(unexpected, 'findings above low that the scenario does not expect').toEqual([]);
      expect(
        coverageWrong.map(([source, status]) => `${source}: expected ${status}, got ${actual(source)}`),
        'coverage statuses',
      ).toEqual([]);
      expect(notInBundle, 'strings missing from the bundle').toEqual([]);
      if (name === 'healthy') {
        expect(findings.filter((f) => SEVERITY_RANK[f.severity] < SEVERITY_RANK.info).map((f) => `${f.rule}: ${f.detail}`)).toEqual([]);
      }
    });
  }

  afterAll(() => {
    console.table(rows.sort((a, b) => a.scenario.localeCompare(b.scenario)));
  });
});
