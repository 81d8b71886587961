import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadScenario } from '../src/sandbox/load.js';
import { scaleTraffic } from '../src/sandbox/scale.js';

/**
 * Logs at scale: the `multi-timeout-and-throttling` traffic scaled to 30k, 300k, 1M and 3M log
 * events in the window, each run as a user would run it — the whole CLI in its own process,
 * sandbox included — measuring wall time, peak RSS (GNU time), bytes Logs Insights scanned and
 * the lines kept. Every size must give the findings of the smallest.
 */
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BASE_SCENARIO = 'multi-timeout-and-throttling';
/** The built-in traffic writes about 26,700 events in the window (all log groups). */
const BASE_EVENTS = 26_700;
const SIZES = [30_000, 300_000, 1_000_000, 3_000_000];
const GNU_TIME = '/usr/bin/time';

interface Run {
  wallMs: number;
  peakRssKb?: number;
  /** User + system CPU seconds: on a shared machine, what the run needs when it has a core. */
  cpuS?: number;
  report: {
    findings: { rule: string; severity: string }[];
    coverage: { source: string; reason?: string; truncated?: { kept: number; total: number; totalExact?: boolean; from?: string; until?: string } }[];
  };
}

function runCli(scenarioFile: string, apiId: string): Promise<Run> {
  const cli = ['--import', 'tsx', path.join(ROOT, 'src/cli/main.ts'), 'troubleshoot', 'api-gw', apiId, '--scenario', scenarioFile, '--json'];
  const timed = existsSync(GNU_TIME);
  const [command, args] = timed ? [GNU_TIME, ['-f', 'peak-rss-kb=%M cpu-s=%U+%S', process.execPath, ...cli]] : [process.execPath, cli];
  return new Promise((resolve, reject) => {
    const started = performance.now();
    // Generous per-source timeouts: the figure measured is how long the run takes, not where it is cut.
    const child = spawn(command, args, { cwd: ROOT, env: { ...process.env, FIREBREAK_SOURCE_TIMEOUT_MS: '300000', FIREBREAK_DEADLINE_MS: '600000', FIREBREAK_LEDGER_SNAPSHOT: '' } });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const wallMs = performance.now() - started;
      if (code !== 0) return reject(new Error(`CLI exited ${code}: ${err.slice(-500)}`));
      const rss = /peak-rss-kb=(\d+)/.exec(err)?.[1];
      const cpu = /cpu-s=([\d.]+)\+([\d.]+)/.exec(err);
      resolve({ wallMs, ...(rss ? { peakRssKb: Number(rss) } : {}), ...(cpu ? { cpuS: Number(cpu[1]) + Number(cpu[2]) } : {}), report: JSON.parse(out) as Run['report'] });
    });
  });
}

function bytesScanned(run: Run): number {
  const units: Record<string, number> = { B: 1, KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3 };
  let total = 0;
  for (const row of run.report.coverage) {
    const m = /Logs Insights, ([\d.]+) (B|KiB|MiB|GiB) scanned/.exec(row.reason ?? '');
    if (m) total += Number(m[1]) * (units[m[2] as string] ?? 1);
  }
  return total;
}

const fmt = (n: number) => n.toLocaleString('en-US');
const findingsOf = (run: Run) => run.report.findings.map((f) => `${f.rule}:${f.severity}`).sort().join(' ');

export async function benchLogsAtScale(): Promise<string[]> {
  const base = await loadScenario(BASE_SCENARIO);
  const dir = await mkdtemp(path.join(tmpdir(), 'firebreak-scale-'));
  const lines = [
    `logs at scale: ${BASE_SCENARIO} traffic scaled, whole CLI run (--json) in its own process, sandbox included`,
    '  events (about)      wall  CPU (user+sys)  peak RSS   Insights scanned   execution kept / total (exact?) period     access kept / total      same period  findings',
  ];
  let reference: string | undefined;
  try {
    for (const size of SIZES) {
      const factor = size / BASE_EVENTS;
      const file = path.join(dir, `scaled-${size}.json`);
      await writeFile(file, JSON.stringify({ ...scaleTraffic(base, factor), name: `${BASE_SCENARIO}-${size}` }));
      const run = await runCli(file, base.apiId);
      const row = (source: string) => run.report.coverage.find((r) => r.source === source);
      const execution = row('logs.execution')?.truncated;
      const access = row('logs.access')?.truncated;
      const findings = findingsOf(run);
      reference ??= findings;
      const period = execution?.from && execution.until ? `${execution.from.slice(11, 19)}–${execution.until.slice(11, 19)}` : 'whole window';
      const same = execution && access ? (execution.from === access.from && execution.until === access.until ? 'yes' : 'NO') : '-';
      lines.push(
        `  ${fmt(size).padStart(14)} ${(run.wallMs / 1000).toFixed(1).padStart(8)} s ${run.cpuS !== undefined ? `${run.cpuS.toFixed(1)} s`.padStart(15) : '              ?'} ${run.peakRssKb ? `${Math.round(run.peakRssKb / 1024)} MiB`.padStart(10) : '         ?'} ${`${(bytesScanned(run) / 1024 ** 2).toFixed(1)} MiB`.padStart(18)}   ${
          execution ? `${fmt(execution.kept)} / ${fmt(execution.total)} (${execution.totalExact ? 'exact' : 'estimated'}) ${period}` : 'all lines kept'
        }`.padEnd(96) + `  ${access ? `${fmt(access.kept)} / ${fmt(access.total)}` : 'all'}`.padEnd(25) + `${same.padEnd(13)}${findings === reference ? 'same as 30k' : `DIFFERENT: ${findings}`}`,
      );
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return lines;
}
