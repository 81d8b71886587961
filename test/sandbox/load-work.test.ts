/**
 * The scenario loader bounds the work a file can ask for: thirty 1M-request traffic generators
 * (26 KB of YAML) are refused at load, naming the entry that goes over, before anything is
 * generated; the built-in scenarios and the largest benchmark stay far below the bound.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { listScenarios, loadScenario, MAX_SCENARIO_REQUESTS } from '../../src/sandbox/load.js';
import { scaleTraffic } from '../../src/sandbox/scale.js';

describe('the work a scenario file may ask for', () => {
  it('refuses thirty 1M-request generators at load, naming the entry that goes over', async () => {
    const base = await loadScenario('healthy');
    const generator = base.traffic[0]!;
    const flood = { ...base, name: 'flood', traffic: Array.from({ length: 30 }, (_, i) => ({ ...generator, requests: 1_000_000, seed: i })) };
    const file = join(mkdtempSync(join(tmpdir(), 'firebreak-flood-')), 'flood.yaml');
    writeFileSync(file, stringify(flood));
    const error = (await loadScenario(file).catch((err: Error) => err)) as Error;
    expect(error).toBeInstanceOf(Error);
    expect(error.message).toMatch(/^scenario .*flood\.yaml: traffic\.1: the traffic generators ask for 2,000,000 requests up to this entry; a scenario may ask for at most 1,000,000/);
  });

  it('counts HTTP API generators too', async () => {
    const base = await loadScenario('http-healthy');
    const spec = base.httpTraffic[0]!;
    const file = join(mkdtempSync(join(tmpdir(), 'firebreak-flood-')), 'http-flood.yaml');
    writeFileSync(file, stringify({ ...base, traffic: [], httpTraffic: [{ ...spec, requests: 600_000 }, { ...spec, requests: 600_000, seed: 2 }] }));
    await expect(loadScenario(file)).rejects.toThrow(/httpTraffic\.1: the traffic generators ask for 1,200,000 requests/);
  });

  it('leaves every built-in scenario and the largest benchmark (3M events) far below the bound', async () => {
    for (const { name } of await listScenarios()) {
      const s = await loadScenario(name);
      expect([...s.traffic, ...s.httpTraffic].reduce((n, t) => n + t.requests, 0), name).toBeLessThan(MAX_SCENARIO_REQUESTS / 10);
    }
    const bench = scaleTraffic(await loadScenario('multi-timeout-and-throttling'), 3_000_000 / 26_700);
    expect(bench.traffic.reduce((n, t) => n + t.requests, 0)).toBeLessThan(MAX_SCENARIO_REQUESTS / 5);
  }, 60_000);
});
