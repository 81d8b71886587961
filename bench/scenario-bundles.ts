import { buildBundle } from '../src/bundle/index.js';
import { loadScenario, listScenarios } from '../src/sandbox/load.js';
import { evidenceSize, investigateScenario } from './rules.js';

/** Per built-in scenario: tokens collected vs tokens sent at the default budget, and evidence kept. */
export async function benchScenarioBundles(): Promise<string[]> {
  const lines = ['bundle: per scenario, default (medium) budget', '  scenario                         log lines   collected      sent   ratio  evidence kept'];
  for (const { name } of await listScenarios()) {
    const scenario = await loadScenario(name);
    const investigation = await investigateScenario(name);
    const bundle = buildBundle(investigation, { budget: 'medium' });
    const wanted = scenario.expect?.bundleContains ?? [];
    const kept = wanted.filter((s) => bundle.text.includes(s)).length;
    const ratio = bundle.rawTokens / Math.max(1, bundle.tokens);
    lines.push(
      `  ${name.padEnd(32)} ${String(evidenceSize(investigation)).padStart(9)} ${String(bundle.rawTokens).padStart(11)} ${String(bundle.tokens).padStart(9)} ${ratio.toFixed(1).padStart(6)}×  ${kept}/${wanted.length}`,
    );
  }
  return lines;
}
