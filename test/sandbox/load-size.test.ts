import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenario, MAX_SCENARIO_BYTES } from '../../src/sandbox/load.js';

describe('scenario file size cap', () => {
  const dir = mkdtempSync(join(tmpdir(), 'firebreak-scenario-size-'));

  it('refuses a file over the cap before reading it, with one clear line', async () => {
    const file = join(dir, 'huge.yaml');
    // A sparse-enough file: the cap is checked on its size, not its content.
    writeFileSync(file, `name: huge\n# ${'x'.repeat(2048)}\n`);
    const error = await loadScenario(file, { maxBytes: 1024 }).catch((err: Error) => err);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/^scenario .*huge\.yaml: the file is 2\.0 KB; scenario files are capped at 1\.0 KB \(describe volume with traffic generators/);
    expect((error as Error).message).not.toContain('\n');
  });

  it('caps at a few megabytes by default, far above every built-in scenario', async () => {
    expect(MAX_SCENARIO_BYTES).toBe(8 * 1024 * 1024);
    const file = join(dir, 'big.yaml');
    writeFileSync(file, `# ${'y'.repeat(MAX_SCENARIO_BYTES)}\n`);
    await expect(loadScenario(file)).rejects.toThrow(/the file is 8\.0 MB; scenario files are capped at 8\.0 MB/);
    await expect(loadScenario('healthy')).resolves.toMatchObject({ name: 'healthy' });
  });

  it('still says when a file cannot be read', async () => {
    await expect(loadScenario(join(dir, 'missing.yaml'))).rejects.toThrow(/cannot read it \(ENOENT\)/);
  });
});
