import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { buildLambda } from '../infra/build-lambda.js';

const run = promisify(execFile);
const repoRoot = fileURLToPath(new URL('../', import.meta.url));
const RUNS = 5;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

/** Wall time of whole processes, the way a user or Lambda's init phase sees them. */
async function timeProcess(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const started = performance.now();
  await run(process.execPath, args, { cwd: repoRoot, env, timeout: 60_000 });
  return performance.now() - started;
}

/**
 * Cold start figures: each Lambda bundle imported in a fresh node (what Lambda's init phase pays
 * before the first event), and the installed CLI as whole processes: `firebreak --version`,
 * `firebreak help` and the demo. Aims: the front under 150 ms, --version under 150 ms, the demo
 * under 1 s. `node -e 0` is Node's own start-up on this machine, for scale.
 */
export async function benchStartup(): Promise<string[]> {
  const lines = ['startup (median of 5 fresh processes each)'];
  const env = { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', NO_COLOR: '1' };
  const samples = async (args: string[], extra: NodeJS.ProcessEnv = {}) => {
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) times.push(await timeProcess(args, { ...env, ...extra }));
    return median(times);
  };
  lines.push(`  node -e 0                    ${(await samples(['-e', '0'])).toFixed(0).padStart(5)} ms   (Node alone, for scale)`);

  const outdir = mkdtempSync(join(tmpdir(), 'firebreak-bench-lambda-'));
  try {
    const { sizes } = await buildLambda({ outdir });
    for (const size of sizes) {
      const entry = pathToFileURL(join(outdir, `${size.name}.mjs`)).href;
      // Import and report the import time measured inside the process (no process start-up).
      const script = `const t=performance.now(); await import(${JSON.stringify(entry)}); process.stdout.write(String(performance.now()-t));`;
      const imports: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { cwd: outdir, env, timeout: 60_000 });
        imports.push(Number(stdout));
      }
      lines.push(
        `  lambda ${size.name.padEnd(9)} import   ${median(imports).toFixed(0).padStart(5)} ms   ${(size.startBytes / 1024).toFixed(0)} KB at start, ${(size.reachableBytes / 1024).toFixed(0)} KB with lazy chunks${size.name === 'front' ? ' (aim < 150 ms, < 1.5 MB)' : ''}`,
      );
    }
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }

  const bin = join(repoRoot, 'bin', 'firebreak.js');
  if (!existsSync(join(repoRoot, 'dist', 'cli', 'main.js'))) {
    lines.push('  (dist/ missing: run `npm run build` for the CLI figures)');
    return lines;
  }
  const home = mkdtempSync(join(tmpdir(), 'firebreak-bench-cli-'));
  try {
    const cliEnv = { FIREBREAK_LEDGER_SNAPSHOT: '', FIREBREAK_BUNDLE_DIR: home };
    lines.push(`  firebreak --version          ${(await samples([bin, '--version'], cliEnv)).toFixed(0).padStart(5)} ms   (aim < 150 ms)`);
    lines.push(`  firebreak help               ${(await samples([bin, 'help'], cliEnv)).toFixed(0).padStart(5)} ms`);
    lines.push(`  firebreak demo               ${(await samples([bin, 'demo'], cliEnv)).toFixed(0).padStart(5)} ms   (aim < 1 s)`);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
  return lines;
}
