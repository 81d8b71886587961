import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { listScenarios, loadScenario } from '../../src/sandbox/load.js';
import { createSandboxEnvironment } from '../../src/sandbox/environment.js';
import { baseScenario } from './fixture.js';

describe('loadScenario', () => {
  it('loads every built-in scenario, each with its own name, a description and a traffic-expanding environment', async () => {
    const listed = await listScenarios();
    expect(listed.map((s) => s.name)).toContain('healthy');
    for (const { name } of listed) {
      const scenario = await loadScenario(name);
      expect(scenario.name).toBe(name);
      expect(scenario.description.length).toBeGreaterThan(10);
      expect(() => createSandboxEnvironment(scenario)).not.toThrow();
    }
  });

  it('lists the built-in names when the name is unknown', async () => {
    await expect(loadScenario('nope')).rejects.toThrow(/unknown scenario "nope"; built-in scenarios: .*healthy/);
  });

  it('loads YAML and JSON files by path, and names the file and field when one is bad', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'firebreak-scenario-'));
    const json = path.join(dir, 'ok.json');
    await writeFile(json, JSON.stringify(baseScenario({ name: 'from-json' })));
    expect((await loadScenario(json)).name).toBe('from-json');

    const yaml = path.join(dir, 'bad.yaml');
    await writeFile(yaml, 'name: bad\napiId: a1b2c3d4e5\nnow: 2024-05-01T12:00:00Z\naccounts:\n  - accountId: "111111111111"\n    apigateway:\n      restApis:\n        - id: Nope\n          name: x\n');
    await expect(loadScenario(yaml)).rejects.toThrow(`scenario ${yaml}: accounts.0.apigateway.restApis.0.id: expected an API id (lowercase letters and digits, e.g. a1b2c3d4e5)`);

    const broken = path.join(dir, 'broken.yml');
    await writeFile(broken, 'name: [unclosed\n');
    await expect(loadScenario(broken)).rejects.toThrow(/not valid YAML/);
    await expect(loadScenario(path.join(dir, 'missing.yaml'))).rejects.toThrow(/cannot read it \(ENOENT\)/);
  });
});
