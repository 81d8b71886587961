import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { prepareWire } from '../wire/global-setup.js';
import { findMotoServer, startMotoServer } from '../wire/moto-server.js';

/**
 * The wire suite's moto lifecycle, in `npm test` (no moto needed): a stand-in `moto_server` that
 * prints werkzeug's banner and sleeps shows the server is found, started on the port it reports,
 * and stopped, also when the process that started it is killed.
 */
const dir = mkdtempSync(join(tmpdir(), 'firebreak-moto-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const pidFile = join(dir, 'pid');
const fake = join(dir, 'moto_server');
writeFileSync(fake, `#!/bin/sh\necho $$ > ${pidFile}\necho ' * Running on http://127.0.0.1:45999' >&2\nexec sleep 300\n`);
chmodSync(fake, 0o755);

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function gone(pid: number, withinMs = 10_000): Promise<boolean> {
  const until = Date.now() + withinMs;
  while (Date.now() < until) {
    if (!alive(pid)) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return !alive(pid);
}

describe('the wire suite without moto', () => {
  it('finds no moto_server off PATH, or at a MOTO_SERVER that is not there', () => {
    expect(findMotoServer({ PATH: dir.replace(/[^/]+$/, 'nowhere') })).toBeUndefined();
    expect(findMotoServer({ PATH: '', MOTO_SERVER: join(dir, 'missing') })).toBeUndefined();
    expect(findMotoServer({ PATH: dir })).toBe(fake);
    expect(findMotoServer({ PATH: '', MOTO_SERVER: fake })).toBe(fake);
  });

  it('says in one line how to get moto, and skips', async () => {
    const lines: string[] = [];
    const provided: Record<string, unknown> = {};
    const stop = await prepareWire({ provide: (key, value) => void (provided[key] = value) }, { PATH: '' }, (line) => lines.push(line));
    expect(stop).toBeUndefined();
    expect(provided).toEqual({ motoEndpoint: '' });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^wire suite skipped: moto_server not found; pip install "moto\[server\]==5\.2\.1"/);
  });

  it('fails under CI instead of passing without moto', async () => {
    await expect(prepareWire({ provide: () => undefined }, { PATH: '', CI: 'true' }, () => undefined)).rejects.toThrow(/needs moto_server under CI: pip install/);
  });
});

describe('moto_server behind its watchdog', () => {
  it('starts on the port it reports and stops when asked', async () => {
    const server = await startMotoServer(fake);
    expect(server.endpoint).toBe('http://127.0.0.1:45999');
    const pid = Number(readFileSync(pidFile, 'utf8'));
    expect(alive(pid)).toBe(true);
    await server.stop();
    expect(await gone(pid)).toBe(true);
  });

  it('is killed outright when it ignores the request to stop', async () => {
    const stubborn = join(dir, 'stubborn_moto_server');
    writeFileSync(stubborn, `#!/bin/sh\ntrap '' TERM\necho $$ > ${pidFile}\necho ' * Running on http://127.0.0.1:45998' >&2\nexec sleep 300\n`);
    chmodSync(stubborn, 0o755);
    const server = await startMotoServer(stubborn);
    const pid = Number(readFileSync(pidFile, 'utf8'));
    await server.stop();
    expect(await gone(pid, 2_000)).toBe(true);
  }, 30_000);

  it('goes when the process that started it is killed', async () => {
    const root = fileURLToPath(new URL('../../', import.meta.url));
    const script = `import { startMotoServer } from './test/wire/moto-server.ts'; await startMotoServer(${JSON.stringify(fake)}); console.log('up'); setInterval(() => {}, 1000);`;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: root, stdio: ['ignore', 'pipe', 'ignore'] });
    await new Promise<void>((resolve, reject) => {
      child.stdout?.on('data', (chunk: Buffer) => chunk.toString().includes('up') && resolve());
      child.once('exit', () => reject(new Error('the starter exited before the server was up')));
    });
    const pid = Number(readFileSync(pidFile, 'utf8'));
    expect(alive(pid)).toBe(true);
    child.kill('SIGKILL');
    expect(await gone(pid)).toBe(true);
  }, 30_000);
});
