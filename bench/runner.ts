import { availableParallelism, loadavg } from 'node:os';
import type { CallRecord } from '../src/aws/call-context.js';
import type { Investigation } from '../src/core/report.js';
import { listScenarios } from '../src/sandbox/load.js';
import { HTTP_SOURCES, SOURCES } from '../src/sources/registry.js';
import { describeChain, measuredChain, minimalChain } from './critical-path.js';
import { investigateScenario } from './rules.js';

/**
 * The time to a verdict is the chain of AWS calls that wait on each other. Every built-in
 * scenario is investigated with 100 ms added to each AWS call (the sandbox, real time on this
 * machine): the chain is measured from when each call started and ended, and compared with the
 * minimal chain its data needs, computed from the source graph and the sources' declared needs
 * (not from the run, so the ratio moves when the code adds a call that waits). Per kind of API.
 */
const LATENCY_MS = 100;
const NAMED = ['long-night', 'healthy', 'multi-timeout-and-throttling', 'http-healthy'];
/** `long-night`'s collection wall before the short critical path (issue 28, same method, 14 dependent calls). */
const LONG_NIGHT_BEFORE_MS = 1330;
/** A comma-separated subset of scenarios, for a quick look (`FIREBREAK_BENCH_SCENARIOS=long-night`). */
const ONLY = process.env.FIREBREAK_BENCH_SCENARIOS?.split(',').filter(Boolean) ?? [];

interface Measured {
  name: string;
  kind: 'REST' | 'HTTP';
  calls: number;
  chain: CallRecord[];
  minimal: number;
  wallMs: number;
}

async function measure(name: string): Promise<Measured> {
  const records: CallRecord[] = [];
  const started = performance.now();
  const investigation: Investigation = await investigateScenario(name, { latencyMs: LATENCY_MS, onCall: (r) => records.push(r) });
  const wallMs = performance.now() - started;
  const kind = investigation.report.target.apiType === 'HTTP' ? 'HTTP' : 'REST';
  const minimal = minimalChain(kind === 'HTTP' ? HTTP_SOURCES : SOURCES, investigation.report.coverage, records).rounds;
  return { name, kind, calls: records.length, chain: measuredChain(records), minimal, wallMs };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)] ?? 0;

export async function benchRunner(): Promise<string[]> {
  const runs: Measured[] = [];
  // One unmeasured run first: the first investigation in a process also loads and compiles its modules.
  await measure('long-night');
  // One scenario at a time: the figure is each investigation's own wall.
  for (const { name } of await listScenarios()) {
    // A scenario that simulates a slow account sets its own latency and timeouts: not a 100 ms run.
    if (name === 'slow-account' || (ONLY.length > 0 && !ONLY.includes(name))) continue;
    runs.push(await measure(name));
  }
  const lines = [
    `load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} (${availableParallelism()} cores): walls stretch with it, chains do not`,
    `runner — every built-in scenario with ${LATENCY_MS} ms added to each AWS call; chain = AWS calls that waited on each other; minimal = what the data needs (source graph and declared needs, not the run); wall on this machine`,
    '  kind  scenarios  chain median / max  minimal median / max  chain / minimal (worst)               wall median / max',
  ];
  for (const kind of ['REST', 'HTTP'] as const) {
    const of = runs.filter((r) => r.kind === kind);
    if (of.length === 0) continue;
    const worst = of.reduce((a, b) => (b.chain.length / b.minimal > a.chain.length / a.minimal ? b : a));
    lines.push(
      `  ${kind.padEnd(5)} ${String(of.length).padStart(9)}  ${`${median(of.map((r) => r.chain.length))} / ${Math.max(...of.map((r) => r.chain.length))}`.padStart(18)}  ${`${median(of.map((r) => r.minimal))} / ${Math.max(...of.map((r) => r.minimal))}`.padStart(20)}  ${`${(worst.chain.length / worst.minimal).toFixed(2)}× (${worst.name} ${worst.chain.length}/${worst.minimal})`.padEnd(36)}  ${Math.round(median(of.map((r) => r.wallMs)))} / ${Math.round(Math.max(...of.map((r) => r.wallMs)))} ms`,
    );
  }
  for (const name of NAMED) {
    const run = runs.find((r) => r.name === name);
    if (!run) continue;
    const before = name === 'long-night' ? ` (${(run.wallMs / LONG_NIGHT_BEFORE_MS).toFixed(2)}× the ${LONG_NIGHT_BEFORE_MS.toLocaleString('en-US')} ms before)` : '';
    lines.push(`  ${name} (${run.kind}): ${run.calls} calls, chain ${run.chain.length} (minimal ${run.minimal}), wall ${Math.round(run.wallMs)} ms${before}: ${describeChain(run.chain)}`);
  }
  return lines;
}
