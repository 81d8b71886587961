import { performance } from 'node:perf_hooks';
import { buildBundle } from '../src/bundle/index.js';
import { incidentFingerprint } from '../src/bundle/fingerprint.js';
import { makeTemplater } from '../src/bundle/log-lines.js';
import { redactLine } from '../src/bundle/redact.js';
import type { Investigation } from '../src/core/report.js';
import { listScenarios } from '../src/sandbox/load.js';
import { evidenceSize, investigateScenario } from './rules.js';
import { allDescribers } from '../src/sources/registry.js';

const DESCRIBERS = allDescribers();

function median(runs: number, work: () => void): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    work();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(runs / 2)] ?? 0;
}

/**
 * The incident fingerprint on the largest built-in scenario: alone (templating the logs itself,
 * the worst case), and what it adds to building the bundle, where it shares the bundle's
 * templater. It runs when the bundle is built, never on the Analyze click.
 */
export async function benchFingerprint(): Promise<string[]> {
  let largest: { name: string; investigation: Investigation; size: number } | undefined;
  for (const { name } of await listScenarios()) {
    const investigation = await investigateScenario(name);
    const size = evidenceSize(investigation);
    if (!largest || size > largest.size) largest = { name, investigation, size };
  }
  if (!largest) return ['fingerprint: no scenarios'];
  const { investigation } = largest;
  const runs = 15;
  const alone = median(runs, () => incidentFingerprint(investigation, { describers: DESCRIBERS, templater: makeTemplater((line) => redactLine(line)) }));
  const templater = makeTemplater((line) => redactLine(line));
  incidentFingerprint(investigation, { describers: DESCRIBERS, templater });
  const shared = median(runs, () => incidentFingerprint(investigation, { describers: DESCRIBERS, templater }));
  const bundle = median(runs, () => buildBundle(investigation, { describers: DESCRIBERS }));
  return [
    `fingerprint: largest scenario ${largest.name} (${largest.size.toLocaleString('en-US')} log lines and records)`,
    `  alone, templating the logs itself: median ${alone.toFixed(1)} ms over ${runs} runs`,
    `  with the bundle's templater (as buildBundle runs it): median ${shared.toFixed(2)} ms`,
    `  whole bundle including it: median ${bundle.toFixed(1)} ms; the Analyze click only reads it (one Query of the index)`,
  ];
}
