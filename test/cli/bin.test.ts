import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const home = mkdtempSync(join(tmpdir(), 'firebreak-bin-'));
const env = { ...process.env, FIREBREAK_LEDGER_SNAPSHOT: '', FIREBREAK_BUNDLE_DIR: home, NO_COLOR: '1' };

// What npm does when it installs the package: a symlink in node_modules/.bin to bin/firebreak.js,
// run through its shebang by plain node (the compiled dist/, no TypeScript loader).
const installedBin = join(home, 'node_modules', '.bin', 'firebreak');
mkdirSync(join(home, 'node_modules', '.bin'), { recursive: true });
symlinkSync(join(repoRoot, 'bin', 'firebreak.js'), installedBin);

async function settle(running: Promise<{ stdout: string; stderr: string }>): Promise<{ code: number; stdout: string; stderr: string }> {
  return running.then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (err: { code: number; stdout: string; stderr: string }) => ({ code: err.code, stdout: err.stdout, stderr: err.stderr }),
  );
}

const firebreak = (...args: string[]) => settle(run(installedBin, args, { env, cwd: home, timeout: 60_000 }));

describe('the installed firebreak command, run as a user would', () => {
  it('prints its version and its help', async () => {
    expect(await firebreak('--version')).toMatchObject({ code: 0, stdout: expect.stringMatching(/^firebreak \d+\.\d+\.\d+\n$/) });
    const help = await firebreak('help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('troubleshoot api-gw');
  }, 60_000);

  it('answers through npx in the package folder, as the README says', async () => {
    const npx = await settle(run('npx', ['--no-install', 'firebreak', '--version'], { env, cwd: repoRoot, timeout: 60_000 }));
    expect(npx).toMatchObject({ code: 0, stdout: expect.stringMatching(/firebreak \d+\.\d+\.\d+\n$/) });
    const unknown = await firebreak('frobnicate');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown command "frobnicate"');
  }, 60_000);

  it('runs one sandbox investigation as JSON, and refuses bad input with exit 2', async () => {
    const report = await firebreak('troubleshoot', 'api-gw', 'a1b2c3d4e5', 'prod', '—since', '2h', '--scenario', 'healthy', '--json');
    expect(report.code).toBe(0);
    const parsed = JSON.parse(report.stdout) as { target: { restApiId: string; stage?: string }; coverage: unknown[] };
    expect(parsed.target).toMatchObject({ restApiId: 'a1b2c3d4e5', stage: 'prod' });
    expect(parsed.coverage.length).toBeGreaterThan(10);
    const bad = await firebreak('troubleshoot', 'api-gw', '!NOPE!');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('api: name the API by its id');
  }, 60_000);
});
