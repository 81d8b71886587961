import { buildBundle } from '../src/bundle/index.js';
import { loadScenario, listScenarios } from '../src/sandbox/load.js';
import { evidenceSize, investigateScenario } from './rules.js';
import { allDescribers } from '../src/sources/registry.js';

const DESCRIBERS = allDescribers();

/**
 * Per built-in scenario: tokens collected vs tokens sent at the default budget, the sections
 * left out (and why), and whether the scenario's expected evidence is still in the bundle.
 */
export async function benchScenarioBundles(): Promise<string[]> {
  const lines = [
    'bundle: per scenario, default (medium) budget',
    '  scenario                         log lines   collected      sent   ratio  evidence kept  left out',
  ];
  const sent: number[] = [];
  const largeRatios: { name: string; ratio: number }[] = [];
  const reasons = new Set<string>();
  for (const { name } of await listScenarios()) {
    const scenario = await loadScenario(name);
    const investigation = await investigateScenario(name);
    const bundle = buildBundle(investigation, { describers: DESCRIBERS, budget: 'medium' });
    const wanted = scenario.expect?.bundleContains ?? [];
    const kept = wanted.filter((s) => bundle.text.includes(s)).length;
    const ratio = bundle.rawTokens / Math.max(1, bundle.tokens);
    const leftOut = bundle.sections.filter((s) => s.leftOut);
    const dropped = bundle.sections.filter((s) => !s.leftOut && s.truncated).map((s) => `${s.name} (budget)`);
    for (const s of leftOut) reasons.add((s.leftOut ?? '').replace(/; \S+ is not part of its evidence$/, ''));
    sent.push(bundle.tokens);
    if (bundle.rawTokens >= 100_000) largeRatios.push({ name, ratio });
    lines.push(
      `  ${name.padEnd(32)} ${String(evidenceSize(investigation)).padStart(9)} ${String(bundle.rawTokens).padStart(11)} ${String(bundle.tokens).padStart(9)} ${ratio.toFixed(1).padStart(6)}×  ${`${kept}/${wanted.length}`.padEnd(13)}  ${[...leftOut.map((s) => s.name), ...dropped].join(', ') || '-'}`,
    );
  }
  const sorted = [...sent].sort((a, b) => a - b);
  const median = sorted.length ? (sorted[Math.floor((sorted.length - 1) / 2)]! + sorted[Math.ceil((sorted.length - 1) / 2)]!) / 2 : 0;
  const worst = largeRatios.sort((a, b) => a.ratio - b.ratio)[0];
  lines.push(`  median sent: ${median} tokens; smallest ratio among ${largeRatios.length} scenarios with 100k+ collected tokens: ${worst ? `${worst.ratio.toFixed(1)}× (${worst.name})` : '-'}`);
  lines.push('  why sections were left out: a finding named the cause with high confidence (critical or high, not inconclusive), and the section holds none of its evidence; e.g.');
  for (const reason of [...reasons].slice(0, 3)) lines.push(`    ${reason}`);
  return lines;
}
