import { afterAll, describe, expect, it } from 'vitest';
import { buildBundle } from '../../src/bundle/index.js';
import { SECTION_ORDER } from '../../src/bundle/sections.js';
import type { Investigation } from '../../src/core/report.js';
import { SEVERITY_RANK } from '../../src/core/finding.js';
import { openWorld } from '../../src/app/world.js';
import { loadConfig } from '../../src/config.js';
import { investigate } from '../../src/engine.js';
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
const config = loadConfig({});

async function runScenario(name: string) {
  const scenario = await loadScenario(name);
  const env = await openWorld({ scenario: name }, config);
  const { restApiId, stage, region } = env.defaults!;
  const until = env.now();
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
      const allFired = [...new Set(findings.map((f) => f.rule))];
      const expected = scenario.expect?.findings ?? [];
      const missing = expected.filter((id) => !allFired.includes(id));
      // A low "seen N times" note is not a claim of the cause: absent means nothing above low.
      const claimed = new Set(findings.filter((f) => !f.inconclusive && SEVERITY_RANK[f.severity] < SEVERITY_RANK.low).map((f) => f.rule));
      const unexpectedAbsent = (scenario.expect?.absentFindings ?? []).filter((id) => claimed.has(id));
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
      // Precision: every finding above low must be one the scenario expects. A healthy account
      // with background noise gets at most low notes; a broken one names only its causes.
      const extra = findings
        .filter((f) => SEVERITY_RANK[f.severity] < SEVERITY_RANK.low && !expected.includes(f.rule))
        .map((f) => `${f.rule} (${f.severity}): ${f.detail}`);
      const pass = !missing.length && !unexpectedAbsent.length && !coverageWrong.length && !notInBundle.length && !extra.length;
      const shown = findings.filter((f) => SEVERITY_RANK[f.severity] < SEVERITY_RANK.low).map((f) => `${f.rule}${f.inconclusive ? '?' : ''}`);
      const low = [...new Set(findings.filter((f) => SEVERITY_RANK[f.severity] >= SEVERITY_RANK.low).map((f) => `(${f.rule}${f.inconclusive ? '?' : ''})`))];
      rows.push({ scenario: name, expected: expected.join(' ') || '(none above low)', found: [...new Set(shown), ...low].join(' ') || '-', pass });

      expect(missing, `findings expected but not fired (fired: ${allFired.join(', ')})`).toEqual([]);
      expect(unexpectedAbsent, 'findings that must be absent').toEqual([]);
      expect(
        coverageWrong.map(([source, status]) => `${source}: expected ${status}, got ${actual(source)}`),
        'coverage statuses',
      ).toEqual([]);
      expect(notInBundle, 'strings missing from the bundle').toEqual([]);
      expect(extra, 'findings above low that the scenario does not expect (false alarms, or an incomplete expect)').toEqual([]);
      // The healthy traffic table never holds an error status (errors are in log-errors).
      const full = buildBundle(investigation, { sections: SECTION_ORDER }).text;
      const traffic = full.slice(full.indexOf('## traffic'));
      expect(traffic.match(/\b[45]\d\d: [\d,]+/g) ?? [], 'error statuses in the healthy traffic table').toEqual([]);
      if (name === 'healthy') {
        expect(findings.filter((f) => SEVERITY_RANK[f.severity] < SEVERITY_RANK.info).map((f) => `${f.rule}: ${f.detail}`)).toEqual([]);
      }
    });
  }

  afterAll(() => {
    console.table(rows.sort((a, b) => a.scenario.localeCompare(b.scenario)));
  });
});
