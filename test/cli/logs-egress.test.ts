/**
 * The CLI's log is what it writes to stderr (errors, warnings, progress): it passes the egress
 * boundary in the process itself, here run as a user runs it, including an error that echoes what
 * the user typed and the stack printed with FIREBREAK_DEBUG.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { Gen } from '../bundle/secret-corpus.js';

const g = new Gen(27_028);
const TOKEN = `ghp_${g.alnum(36)}`;
const MAIN = join(import.meta.dirname, '../../src/cli/main.ts');

async function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', MAIN, ...args], {
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...env },
      timeout: 60_000,
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const failed = err as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('the CLI process writes no secret to stderr', () => {
  it('redacts an error that echoes what was typed, with the debug stack too', async () => {
    const result = await cli(['troubleshoot', 'api-gw', 'a1b2c3d4e5', '--scenario', `/nonexistent/token=${TOKEN}.yaml`], { FIREBREAK_DEBUG: '1' });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('[REDACTED:');
    expect(result.stderr).not.toContain(TOKEN.slice(4, 16));
    expect(result.stdout).not.toContain(TOKEN.slice(4, 16));
  }, 90_000);
});
