/**
 * Redacting the evidence where it enters (before the rules quote it) must not change what the
 * rules find: for every built-in scenario, the findings from redacted evidence are the findings
 * from the raw evidence (same rules, severities, verdicts), and their quotes are already redacted.
 */
import { describe, expect, it } from 'vitest';
import { investigateScenario } from '../../bench/rules.js';
import { redactDeep } from '../../src/bundle/egress.js';
import { evaluateRules } from '../../src/rules/index.js';
import { listScenarios } from '../../src/sandbox/load.js';

const scenarios = await listScenarios();

describe('rules over redacted evidence', () => {
  for (const { name } of scenarios) {
    it(`${name}: the same findings`, async () => {
      const investigation = await investigateScenario(name);
      const window = { since: new Date(investigation.report.window.since), until: new Date(investigation.report.window.until) };
      const input = { target: investigation.report.target, window, coverage: investigation.report.coverage };
      const raw = evaluateRules({ ...input, evidence: investigation.evidence });
      const redacted = evaluateRules({ ...input, evidence: redactDeep(investigation.evidence) });
      const shape = (fs: typeof raw) => fs.map((f) => `${f.rule}|${f.severity}|${f.inconclusive ? 'inconclusive' : 'decided'}`).sort();
      expect(shape(redacted)).toEqual(shape(raw));
    });
  }
});
