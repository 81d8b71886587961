import { writeFile } from 'node:fs/promises';
import { buildBundle } from '../../src/bundle/index.js';
import { investigate } from '../../src/engine.js';
import { createSandboxEnvironment } from '../../src/sandbox/environment.js';
import { listScenarios, loadScenario } from '../../src/sandbox/load.js';

/**
 * What every built-in scenario produces (its findings and the sha256 of its default bundle),
 * recorded so a refactor can prove it changed no behaviour. Re-record deliberately, when a change
 * is meant to alter findings or bundles: `npx tsx test/support/golden.ts`.
 */
export interface GoldenRecord {
  findings: string[];
  bundleSha256: string;
}

export const GOLDEN_FILE = new URL('../app/golden-scenarios.json', import.meta.url);

export async function recordScenario(name: string): Promise<GoldenRecord> {
  const scenario = await loadScenario(name);
  const sandbox = createSandboxEnvironment(scenario);
  const env = { factory: sandbox.factory, dns: sandbox.dns, now: () => sandbox.now, origin: `sandbox:${scenario.name}`, region: sandbox.defaults.region };
  const { restApiId, stage, region } = sandbox.defaults;
  const window = { since: new Date(sandbox.now.getTime() - 2 * 3600_000), until: sandbox.now };
  const investigation = await investigate({ kind: 'api-gw', restApiId, region, ...(stage ? { stage } : {}) }, window, env);
  return {
    findings: investigation.report.findings.map((f) => `${f.rule}:${f.severity}${f.inconclusive ? '?' : ''}`),
    bundleSha256: buildBundle(investigation).sha256,
  };
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop() ?? '-')) {
  const records: Record<string, GoldenRecord> = {};
  for (const { name } of await listScenarios()) records[name] = await recordScenario(name);
  await writeFile(GOLDEN_FILE, `${JSON.stringify(records, null, 2)}\n`);
  console.log(`recorded ${Object.keys(records).length} scenarios`);
}
