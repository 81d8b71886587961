import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { dependentChain, type CallRecord } from '../src/aws/call-context.js';
import { investigate } from '../src/engine.js';
import { createSandboxEnvironment } from '../src/sandbox/environment.js';
import { loadScenario } from '../src/sandbox/load.js';
import { buildLogStores, scanGroup } from '../src/sandbox/log-store.js';
import { scaleTraffic } from '../src/sandbox/scale.js';
import type { Scenario } from '../src/sandbox/scenario.js';
import { cpuOfProcess, firebreakMs, type CpuPart } from './cpu-profile.js';
import { describeChain, measuredChain } from './critical-path.js';

/**
 * Logs at scale: the `multi-timeout-and-throttling` traffic scaled to 30k, 300k, 1M and 3M log
 * events in the window, each run as a user would run it — the whole CLI in its own process,
 * sandbox included — measuring wall time, peak RSS (GNU time), and where the CPU went (a V8 CPU
 * profile charged by file: firebreak's sources, rules and bundle apart from the sandbox that
 * plays AWS, garbage collection and start-up), the bytes Logs Insights scanned against the bytes
 * of the log groups in the window, and the lines kept. Every size must give the findings of the
 * smallest. At the largest size a Logs Insights latency model estimates the time to a verdict
 * against AWS, where the queries, not the CPU, are the long pole.
 */
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BASE_SCENARIO = 'multi-timeout-and-throttling';
/** The built-in traffic writes about 26,700 events in the window (all log groups). */
const BASE_EVENTS = 26_700;
const SIZES = (process.env.FIREBREAK_BENCH_SIZES ?? '30000,300000,1000000,3000000').split(',').map(Number);
const GNU_TIME = '/usr/bin/time';
const WINDOW_MS = 2 * 3600_000;

/**
 * The Logs Insights latency model: a query takes a fixed time to be scheduled and answered plus
 * its bytes at a scan rate. AWS publishes neither; the defaults are assumptions, stated where they
 * are printed: a 144 KB query took 4.9 s in a published test (dev.classmethod.jp, 2024), so the
 * fixed part is seconds; the scan rate is a guess to replace with your own measurement
 * (FIREBREAK_BENCH_INSIGHTS_BASE_S, FIREBREAK_BENCH_INSIGHTS_MBPS). Other AWS calls: 100 ms each.
 */
const INSIGHTS_BASE_S = Number(process.env.FIREBREAK_BENCH_INSIGHTS_BASE_S ?? 3);
const INSIGHTS_MBPS = Number(process.env.FIREBREAK_BENCH_INSIGHTS_MBPS ?? 200);
const AWS_CALL_MS = 100;

interface Run {
  wallMs: number;
  peakRssKb?: number;
  /** User + system CPU seconds of the whole process (every thread). */
  cpuS?: number;
  parts?: Record<CpuPart, number>;
  report: {
    findings: { rule: string; severity: string }[];
    coverage: { source: string; reason?: string; truncated?: { kept: number; total: number; totalExact?: boolean; from?: string; until?: string } }[];
  };
}

async function runCli(scenarioFile: string, apiId: string, profileDir: string): Promise<Run> {
  const cli = ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, '--import', 'tsx', path.join(ROOT, 'src/cli/main.ts'), 'troubleshoot', 'api-gw', apiId, '--scenario', scenarioFile, '--json'];
  const timed = existsSync(GNU_TIME);
  const [command, args] = timed ? [GNU_TIME, ['-f', 'peak-rss-kb=%M cpu-s=%U+%S', process.execPath, ...cli]] : [process.execPath, cli];
  const run = await new Promise<Omit<Run, 'parts'>>((resolve, reject) => {
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
  // The main thread's profile and the module loader thread's.
  const profiles = (await readdir(profileDir)).filter((f) => f.endsWith('.cpuprofile')).map((f) => path.join(profileDir, f));
  return { ...run, ...(profiles.length ? { parts: await cpuOfProcess(profiles, run.cpuS === undefined ? undefined : run.cpuS * 1000) } : {}) };
}

const UNITS: Record<string, number> = { B: 1, KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3 };

/** Bytes Logs Insights scanned, per row, as the coverage rows say. */
function bytesScanned(run: Run): Map<string, number> {
  const out = new Map<string, number>();
  for (const row of run.report.coverage) {
    const m = /Logs Insights, ([\d.]+) (B|KiB|MiB|GiB) scanned/.exec(row.reason ?? '');
    if (m) out.set(row.source, Number(m[1]) * (UNITS[m[2] as string] ?? 1));
  }
  return out;
}

/** The bytes of every log group in the window, as Insights counts them (message bytes + 26 a event). */
function windowBytes(scenario: Scenario): number {
  const until = scenario.now.getTime();
  let bytes = 0;
  for (const store of buildLogStores(scenario).values()) {
    for (const group of store.values()) for (const slice of scanGroup(group, until - WINDOW_MS, until + 1)) for (const e of slice) bytes += e.message.length + 26;
  }
  return bytes;
}

/** Seconds one Insights query takes in the model, observed at the poll that follows (40 ms doubling to 1 s). */
function insightsSeconds(bytes: number): number {
  const done = INSIGHTS_BASE_S + bytes / (INSIGHTS_MBPS * 1024 ** 2);
  let t = 0;
  let wait = 0.04;
  while (t < done) {
    t += wait + AWS_CALL_MS / 1000;
    wait = Math.min(1, wait * 2);
  }
  return t;
}

/**
 * Time to a verdict against AWS: the heaviest chain of calls that waited on each other, every call
 * 100 ms except that a Logs Insights query's first poll takes the model's time for the bytes its
 * log group's query scans (its further polls are inside that time).
 */
function awsEstimate(records: readonly CallRecord[], bytesBySource: Map<string, number>): { seconds: number; path: CallRecord[] } {
  const cost = (call: CallRecord) => (call.operation === 'logs:GetQueryResults' ? (call.continued ? 0 : insightsSeconds(bytesBySource.get(call.source) ?? 0)) : AWS_CALL_MS / 1000);
  const { chain, total } = dependentChain(records, cost);
  return { seconds: total, path: chain };
}

const fmt = (n: number) => n.toLocaleString('en-US');
const findingsOf = (run: Run) => run.report.findings.map((f) => `${f.rule}:${f.severity}`).sort().join(' ');
const mib = (bytes: number) => `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
const sec = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

export async function benchLogsAtScale(): Promise<string[]> {
  const base = await loadScenario(BASE_SCENARIO);
  const dir = await mkdtemp(path.join(tmpdir(), 'firebreak-scale-'));
  const lines = [
    `logs at scale: ${BASE_SCENARIO} traffic scaled, whole CLI run (--json) in its own process, sandbox included; CPU charged by file from V8 profiles, scaled to the process's user+sys CPU`,
    '  events (about)    wall  CPU (all)  firebreak (sources/rules/bundle/other)   sandbox       GC  start-up  peak RSS   Insights scanned / window = ratio      execution kept / total (exact?) period       access kept / total   same period  findings',
  ];
  let reference: string | undefined;
  let largest: { scenario: Scenario; bytes: Map<string, number> } | undefined;
  try {
    for (const size of SIZES) {
      const factor = size / BASE_EVENTS;
      const scenario = { ...scaleTraffic(base, factor), name: `${BASE_SCENARIO}-${size}` };
      const file = path.join(dir, `scaled-${size}.json`);
      await writeFile(file, JSON.stringify(scenario));
      const profileDir = await mkdtemp(path.join(dir, 'profile-'));
      const run = await runCli(file, base.apiId, profileDir);
      const row = (source: string) => run.report.coverage.find((r) => r.source === source);
      const execution = row('logs.execution')?.truncated;
      const access = row('logs.access')?.truncated;
      const findings = findingsOf(run);
      reference ??= findings;
      const period = execution?.from && execution.until ? `${execution.from.slice(11, 19)}–${execution.until.slice(11, 19)}` : 'whole window';
      const same = execution && access ? (execution.from === access.from && execution.until === access.until ? 'yes' : 'NO') : '-';
      const scanned = bytesScanned(run);
      const totalScanned = [...scanned.values()].reduce((a, b) => a + b, 0);
      const inWindow = windowBytes(scenario);
      const parts = run.parts;
      const split = parts
        ? `${sec(firebreakMs(parts))} (${(parts.sources / 1000).toFixed(2)}/${(parts.rules / 1000).toFixed(2)}/${(parts.bundle / 1000).toFixed(2)}/${((parts['aws clients'] + parts['app, core, cli']) / 1000).toFixed(2)})`.padEnd(40) +
          `${sec(parts.sandbox).padStart(8)} ${sec(parts.gc).padStart(8)} ${sec(parts['start-up and other']).padStart(9)}`
        : 'no profile'.padEnd(67);
      lines.push(
        `  ${fmt(size).padStart(14)} ${(run.wallMs / 1000).toFixed(1).padStart(6)} s ${run.cpuS !== undefined ? `${run.cpuS.toFixed(1)} s`.padStart(10) : '         ?'}  ${split} ${run.peakRssKb ? `${Math.round(run.peakRssKb / 1024)} MiB`.padStart(9) : '        ?'}   ${`${mib(totalScanned)} / ${mib(inWindow)} = ${(totalScanned / inWindow).toFixed(2)}×`.padEnd(37)}  ${
          execution ? `${fmt(execution.kept)} / ${fmt(execution.total)} (${execution.totalExact ? 'exact' : 'estimated'}) ${period}` : 'all lines kept'
        }`.padEnd(20) + `   ${access ? `${fmt(access.kept)} / ${fmt(access.total)}` : 'all'}`.padEnd(22) + `${same.padEnd(13)}${findings === reference ? 'same as the smallest' : `DIFFERENT: ${findings}`}`,
      );
      largest = { scenario, bytes: scanned };
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  if (largest) {
    // The critical chain at the largest size, traced in this process with 100 ms per call.
    const sandbox = createSandboxEnvironment(largest.scenario, { latencyMs: AWS_CALL_MS });
    const records: CallRecord[] = [];
    await investigate(
      { kind: 'api-gw', restApiId: largest.scenario.apiId, region: largest.scenario.region, stage: 'prod' },
      { since: new Date(sandbox.now.getTime() - WINDOW_MS), until: sandbox.now },
      { factory: sandbox.factory, dns: sandbox.dns, now: () => sandbox.now, origin: 'bench', region: sandbox.defaults.region, sourceTimeoutMs: 300_000 },
      { onCall: (r) => records.push(r), deadlineMs: 600_000 },
    );
    const chain = measuredChain(records);
    const estimate = awsEstimate(records, largest.bytes);
    const queries = [...largest.bytes.entries()].map(([source, bytes]) => `${source} ${mib(bytes)} → ${insightsSeconds(bytes).toFixed(1)} s`).join(', ');
    lines.push(
      `  time to a verdict against AWS at ${fmt(SIZES[SIZES.length - 1] ?? 0)} events (model): ${estimate.seconds.toFixed(1)} s, along ${describeChain(estimate.path)}`,
      `    Logs Insights model: ${INSIGHTS_BASE_S} s + bytes at ${INSIGHTS_MBPS} MB/s per query (assumed: AWS publishes no scan rate; set FIREBREAK_BENCH_INSIGHTS_BASE_S / _MBPS), seen at the next poll; other calls ${AWS_CALL_MS} ms; queries side by side: ${queries}`,
      `    dependent calls at 100 ms each (traced here): ${chain.length}: ${describeChain(chain)}`,
    );
  }
  return lines;
}
