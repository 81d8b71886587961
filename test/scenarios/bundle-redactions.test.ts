import { describe, expect, it } from 'vitest';
import { investigateScenario } from '../../bench/rules.js';
import { buildBundle } from '../../src/bundle/index.js';
import { listScenarios, loadScenario } from '../../src/sandbox/load.js';

/**
 * The built-in scenarios hold no secrets, so every redaction in their bundles is a false positive
 * that hides evidence from the model (R1's "Missing Authentication Token: GET /user" once was).
 * A scenario that plants secrets on purpose is listed here with exactly the kinds it plants.
 */
const PLANTED_SECRETS: Record<string, Record<string, number>> = {};

const scenarios = await listScenarios();

describe('bundles of the built-in scenarios', () => {
  it('has scenarios to check', () => {
    expect(scenarios.length).toBeGreaterThan(0);
  });

  for (const { name } of scenarios) {
    it(`${name}: redacts nothing that is not a planted secret, and keeps its expected evidence`, async () => {
      const scenario = await loadScenario(name);
      const bundle = buildBundle(await investigateScenario(name), { budget: 'medium' });
      const redactedLines = bundle.text.split('\n').filter((line) => line.includes('[REDACTED:'));
      expect(bundle.redactions, redactedLines.join('\n')).toEqual(PLANTED_SECRETS[name] ?? {});
      for (const wanted of scenario.expect?.bundleContains ?? []) expect(bundle.text).toContain(wanted);
    });
  }
});
