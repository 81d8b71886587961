import { performance } from 'node:perf_hooks';
import { loadConfig } from '../src/config.js';
import { resolveWindow, troubleshootRequestSchema } from '../src/core/input.js';
import type { CallRecord } from '../src/aws/call-context.js';
import type { Investigation } from '../src/core/report.js';
import { openWorld } from '../src/app/world.js';
import { investigate } from '../src/engine.js';
import { evaluateRules } from '../src/rules/index.js';
import { listScenarios } from '../src/sandbox/load.js';

/** Log lines and records an investigation holds: the size rules have to walk. */
export function evidenceSize(investigation: Investigation): number {
  const e = investigation.evidence;
  const lines = (list?: { lines?: unknown[]; records?: unknown[] }[]) =>
    (list ?? []).reduce((n, item) => n + (item.lines?.length ?? 0) + (item.records?.length ?? 0), 0);
  return lines(e['logs.execution']) + lines(e['logs.access']) + lines(e['logs.lambda']) + (e['ec2.flow-logs']?.rejects.length ?? 0);
}

export interface ScenarioRunOptions {
  /** Every AWS call takes this long (the scenario's own latency when absent). */
  latencyMs?: number;
  onCall?: (record: CallRecord) => void;
}

export async function investigateScenario(name: string, options: ScenarioRunOptions = {}): Promise<Investigation> {
  const env = await openWorld({ scenario: name, ...(options.latencyMs !== undefined ? { latencyMs: options.latencyMs } : {}) }, loadConfig({}));
  const d = env.defaults;
  if (!d) throw new Error(`scenario ${name} has no defaults`);
  const request = troubleshootRequestSchema.parse({ restApiId: d.restApiId, ...(d.stage ? { stage: d.stage } : {}) });
  return investigate({ kind: 'api-gw', restApiId: d.restApiId, region: d.region, ...(d.stage ? { stage: d.stage } : {}) }, resolveWindow(request, env.now()), env, {
    ...(options.onCall ? { onCall: options.onCall } : {}),
  });
}

export async function benchRules(): Promise<string[]> {
  let largest: { name: string; investigation: Investigation; size: number } | undefined;
  for (const { name } of await listScenarios()) {
    const investigation = await investigateScenario(name);
    const size = evidenceSize(investigation);
    if (!largest || size > largest.size) largest = { name, investigation, size };
  }
  if (!largest) return ['rules: no scenarios'];
  const { investigation } = largest;
  const input = {
    target: investigation.report.target,
    window: { since: new Date(investigation.report.window.since), until: new Date(investigation.report.window.until) },
    evidence: investigation.evidence,
    coverage: investigation.report.coverage,
  };
  const runs = 50;
  const times: number[] = [];
  let findings = 0;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    findings = evaluateRules(input).length;
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(runs / 2)] ?? 0;
  const p99 = times[Math.min(runs - 1, Math.floor(runs * 0.99))] ?? 0;
  return [
    `rules — largest scenario "${largest.name}" (${largest.size} log lines and records), ${findings} findings`,
    `  evaluation: median ${median.toFixed(2)} ms, p99 ${p99.toFixed(2)} ms over ${runs} runs`,
  ];
}
