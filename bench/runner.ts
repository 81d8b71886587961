import { loadConfig } from '../src/config.js';
import { resolveWindow, troubleshootRequestSchema } from '../src/core/input.js';
import type { CoverageRow } from '../src/core/coverage.js';
import { openWorld } from '../src/app/world.js';
import { investigate } from '../src/engine.js';
import { SOURCES } from '../src/sources/registry.js';
import type { Source } from '../src/sources/types.js';

/** Longest chain of source durations through the dependency graph (hard and ordering edges). */
export function criticalPath(sources: readonly Source[], rows: readonly CoverageRow[]): { ms: number; chain: string[] } {
  const duration = new Map(rows.map((r) => [r.source, r.durationMs]));
  const memo = new Map<string, { ms: number; chain: string[] }>();
  const byId = new Map(sources.map((s) => [s.id as string, s]));
  const longest = (id: string): { ms: number; chain: string[] } => {
    const cached = memo.get(id);
    if (cached) return cached;
    const source = byId.get(id);
    const prerequisites = source ? [...source.dependsOn, ...(source.after ?? [])].filter((d) => byId.has(d)) : [];
    let best = { ms: 0, chain: [] as string[] };
    for (const dep of prerequisites) {
      const candidate = longest(dep);
      if (candidate.ms > best.ms) best = candidate;
    }
    const result = { ms: best.ms + (duration.get(id) ?? 0), chain: [...best.chain, id] };
    memo.set(id, result);
    return result;
  };
  return sources.map((s) => longest(s.id)).reduce((a, b) => (b.ms > a.ms ? b : a), { ms: 0, chain: [] });
}

export async function benchRunner(scenario = 'long-night', latencyMs = 100): Promise<string[]> {
  const config = loadConfig({});
  const env = await openWorld({ scenario, latencyMs }, config);
  const defaults = env.defaults;
  if (!defaults) throw new Error('scenario has no defaults');
  const request = troubleshootRequestSchema.parse({ restApiId: defaults.restApiId, ...(defaults.stage ? { stage: defaults.stage } : {}) });
  const target = { kind: 'api-gw' as const, restApiId: request.restApiId, region: defaults.region, ...(request.stage ? { stage: request.stage } : {}) };
  const window = resolveWindow(request, env.now());

  const sequential = await investigate(target, window, env, { concurrency: 1 });
  const sequentialMs = sequential.report.durationMs;
  const path = criticalPath(SOURCES, sequential.report.coverage);
  const parallel = await investigate(target, window, env, { concurrency: config.runner.concurrency });
  const parallelMs = parallel.report.durationMs;
  const calls = parallel.report.coverage.reduce((n, r) => n + r.calls.length, 0);
  return [
    `runner — scenario ${scenario}, ${SOURCES.length} sources, ${latencyMs} ms injected per AWS call, ${calls} distinct operations`,
    `  runner (concurrency ${config.runner.concurrency}): ${parallelMs} ms`,
    `  one after another:          ${sequentialMs} ms`,
    `  critical path:              ${path.ms} ms  (${path.chain.join(' → ')})`,
    `  runner / critical path:     ${(parallelMs / path.ms).toFixed(2)}× (target ≤ 1.25×)`,
  ];
}
