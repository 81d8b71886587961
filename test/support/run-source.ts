import type { ApiType } from '../../src/core/target.js';
import { runSources, type RunResult } from '../../src/sources/runner.js';
import type { Source, SourceLimits } from '../../src/sources/types.js';
import { createSandboxEnvironment } from '../../src/sandbox/environment.js';
import { parseScenario } from '../../src/sandbox/load.js';

export interface RunOnScenarioOptions {
  /** Sources to run before the one under test (its dependencies), in order. */
  before?: readonly Source[];
  stage?: string;
  sourceTimeoutMs?: number;
  deadlineMs?: number;
  latencyMs?: number;
  /** Window length before the scenario clock; 2 h by default. */
  windowMs?: number;
  limits?: Partial<SourceLimits>;
  /** The kind of API the target is (sources word some reasons by it). */
  apiType?: ApiType;
}

/** Runs one source (and the ones it needs) against an inline scenario through the real SDK clients. */
export async function runOnScenario(source: Source, scenarioData: unknown, options: RunOnScenarioOptions = {}): Promise<RunResult> {
  const scenario = parseScenario(scenarioData, 'test');
  const env = createSandboxEnvironment(scenario, options.latencyMs === undefined ? {} : { latencyMs: options.latencyMs });
  const until = env.now;
  const since = new Date(until.getTime() - (options.windowMs ?? 2 * 3600_000));
  const stage = options.stage ?? env.defaults.stage;
  return runSources({
    sources: [...(options.before ?? []), source],
    target: { kind: 'api-gw', restApiId: env.defaults.restApiId, region: env.defaults.region, ...(stage ? { stage } : {}), ...(options.apiType ? { apiType: options.apiType } : {}) },
    window: { since, until },
    aws: env.factory.forAccount(),
    factory: env.factory,
    dns: env.dns,
    ...(options.sourceTimeoutMs ? { sourceTimeoutMs: options.sourceTimeoutMs } : {}),
    ...(options.deadlineMs ? { deadlineMs: options.deadlineMs } : {}),
    ...(options.limits ? { limits: options.limits } : {}),
  });
}

/** The row of the source under test (the last one run). */
export function rowOf(result: RunResult, sourceId: string) {
  const row = result.coverage.find((r) => r.source === sourceId);
  if (!row) throw new Error(`no coverage row for ${sourceId}`);
  return row;
}
