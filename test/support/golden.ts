import { writeFile } from 'node:fs/promises';
import { buildBundle } from '../../src/bundle/index.js';
import { investigateScenario } from '../../bench/rules.js';
import type { Investigation } from '../../src/core/report.js';
import { listScenarios, loadScenario } from '../../src/sandbox/load.js';
import { DESCRIBERS } from './describers.js';

/**
 * What every built-in scenario produces (its findings and the sha256 of its default bundle),
 * recorded so a refactor can prove it changed no behaviour. Re-record deliberately, when a change
 * is meant to alter findings or bundles: `npx tsx test/support/golden.ts`.
 */
export interface GoldenRecord {
  findings: string[];
  /**
   * Null for scenarios that simulate slow accounts (their own per-source timeout): which reads
   * finish in time depends on the machine's load, so only their findings are compared.
   */
  bundleSha256: string | null;
}

export const GOLDEN_FILE = new URL('../app/golden-scenarios.json', import.meta.url);

export async function recordScenario(name: string, investigation?: Investigation): Promise<GoldenRecord> {
  const scenario = await loadScenario(name);
  const run = investigation ?? (await investigateScenario(name));
  return {
    findings: run.report.findings.map((f) => `${f.rule}:${f.severity}${f.inconclusive ? '?' : ''}`),
    bundleSha256: scenario.sourceTimeoutMs ? null : buildBundle(run, { describers: DESCRIBERS }).sha256,
  };
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop() ?? '-')) {
  const records: Record<string, GoldenRecord> = {};
  for (const { name } of await listScenarios()) records[name] = await recordScenario(name);
  await writeFile(GOLDEN_FILE, `${JSON.stringify(records, null, 2)}\n`);
  console.log(`recorded ${Object.keys(records).length} scenarios`);
}
