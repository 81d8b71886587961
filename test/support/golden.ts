import { writeFile } from 'node:fs/promises';
import { buildBundle } from '../../src/bundle/index.js';
import { openWorld } from '../../src/app/world.js';
import { loadConfig } from '../../src/config.js';
import { investigate } from '../../src/engine.js';
import { listScenarios } from '../../src/sandbox/load.js';

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

export async function recordScenario(name: string): Promise<GoldenRecord> {
  const env = await openWorld({ scenario: name }, loadConfig({}));
  const { restApiId, stage, region } = env.defaults!;
  const window = { since: new Date(env.now().getTime() - 2 * 3600_000), until: env.now() };
  const investigation = await investigate({ kind: 'api-gw', restApiId, region, ...(stage ? { stage } : {}) }, window, env);
  return {
    findings: investigation.report.findings.map((f) => `${f.rule}:${f.severity}${f.inconclusive ? '?' : ''}`),
    bundleSha256: env.sourceTimeoutMs ? null : buildBundle(investigation).sha256,
  };
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop() ?? '-')) {
  const records: Record<string, GoldenRecord> = {};
  for (const { name } of await listScenarios()) records[name] = await recordScenario(name);
  await writeFile(GOLDEN_FILE, `${JSON.stringify(records, null, 2)}\n`);
  console.log(`recorded ${Object.keys(records).length} scenarios`);
}
