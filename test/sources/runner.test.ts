import { describe, expect, it } from 'vitest';
import type { SourceId } from '../../src/core/evidence.js';
import { createSandboxEnvironment } from '../../src/sandbox/environment.js';
import { parseScenario } from '../../src/sandbox/load.js';
import { resourcesSource } from '../../src/sources/apigw/resources.js';
import { restApiSource } from '../../src/sources/apigw/rest-api.js';
import { runSources, type ProgressEvent, type RunnerOptions } from '../../src/sources/runner.js';
import { defineSource, type Source, type SourceContext, type SourceOutcome } from '../../src/sources/types.js';
import { rowOf, runOnScenario } from '../support/run-source.js';
import { healthyApi, scenario } from './fixture.js';

/** Runner options over an empty sandbox account: fake sources ignore AWS, real ones can use it. */
function options(sources: Source[], extra: Partial<RunnerOptions> = {}): RunnerOptions {
  const env = createSandboxEnvironment(parseScenario(scenario(), 'runner-test'));
  return {
    sources,
    target: { kind: 'api-gw', restApiId: env.defaults.restApiId, region: env.defaults.region },
    window: { since: new Date(env.now.getTime() - 3600_000), until: env.now },
    aws: env.factory.forAccount(),
    factory: env.factory,
    dns: env.dns,
    ...extra,
  };
}

// Fake sources borrow real ids (the contract keys rows by SourceId); their evidence is irrelevant.
function fake(id: SourceId, run: (ctx: SourceContext) => Promise<SourceOutcome<SourceId>>, deps: { dependsOn?: SourceId[]; after?: SourceId[] } = {}): Source {
  return defineSource({ id, title: id, dependsOn: deps.dependsOn ?? [], ...(deps.after ? { after: deps.after } : {}), calls: { chain: 1 }, run }) as Source;
}

const ok = async (): Promise<SourceOutcome<SourceId>> => ({ status: 'ok', reason: 'fine' });
/** Never finishes and ignores its signal: only the runner's deadline race ends it. */
const never = () => new Promise<SourceOutcome<SourceId>>(() => undefined);

describe('runSources', () => {
  it('fails dependants of a failed source as dependency_failed, naming the dependency, and keeps the rest', async () => {
    const failing = fake('apigw.rest-api', async () => {
      throw Object.assign(new Error('no such API'), { name: 'NotFoundException' });
    });
    const dependant = fake('apigw.stages', ok, { dependsOn: ['apigw.rest-api'] });
    const transitive = fake('logs.execution', ok, { dependsOn: ['apigw.stages'] });
    const optional = fake('apigw.domains', ok, { after: ['apigw.rest-api'] });
    const independent = fake('apigw.account', ok);
    const result = await runSources(options([failing, dependant, transitive, optional, independent]));
    expect(result.coverage.map((r) => r.source)).toEqual(['apigw.rest-api', 'apigw.stages', 'logs.execution', 'apigw.domains', 'apigw.account']);
    expect(rowOf(result, 'apigw.rest-api').error?.kind).toBe('not_found');
    expect(rowOf(result, 'apigw.stages').error).toMatchObject({ kind: 'dependency_failed', dependency: 'apigw.rest-api' });
    expect(rowOf(result, 'apigw.stages').error?.message).toContain('apigw.rest-api');
    expect(rowOf(result, 'apigw.stages').hint).toBe('fix apigw.rest-api first');
    expect(rowOf(result, 'logs.execution').error).toMatchObject({ kind: 'dependency_failed', dependency: 'apigw.stages' });
    // `after` orders without failing.
    expect(rowOf(result, 'apigw.domains').status).toBe('ok');
    expect(rowOf(result, 'apigw.account').status).toBe('ok');
  });

  it('times out a slow source and keeps the rows of the ones that finished', async () => {
    const result = await runSources(options([fake('apigw.account', ok), fake('apigw.stages', never), fake('apigw.domains', ok)], { sourceTimeoutMs: 30 }));
    expect(rowOf(result, 'apigw.account').status).toBe('ok');
    expect(rowOf(result, 'apigw.domains').status).toBe('ok');
    const slow = rowOf(result, 'apigw.stages');
    expect(slow.status).toBe('error');
    expect(slow.error?.kind).toBe('timeout');
    expect(slow.hint).toMatch(/narrow --since/);
  });

  it('at the overall deadline keeps finished rows and reports running and unstarted sources as timeout', async () => {
    const sources = [
      fake('apigw.account', ok),
      fake('apigw.stages', never),
      fake('logs.execution', ok, { dependsOn: ['apigw.stages'] }),
    ];
    const result = await runSources(options(sources, { deadlineMs: 30, sourceTimeoutMs: 10_000 }));
    expect(result.coverage).toHaveLength(3);
    expect(rowOf(result, 'apigw.account').status).toBe('ok');
    expect(rowOf(result, 'apigw.stages').error?.kind).toBe('timeout');
    const unstarted = rowOf(result, 'logs.execution');
    expect(unstarted.error?.kind).toBe('timeout');
    expect(unstarted.error?.message).toContain('not started before the overall deadline');
  });

  it('paginates across 3+ pages and reports truncation {kept, total} at the item cap', async () => {
    const resources = Array.from({ length: 9 }, (_, i) => ({
      id: `r${i}`,
      path: `/r${i}`,
      resourceMethods: { GET: { httpMethod: 'GET', methodIntegration: { type: 'MOCK' } } },
    }));
    const data = scenario({ api: healthyApi({ resources }), pageSize: 3 });
    const full = rowOf(await runOnScenario(resourcesSource, data, { before: [restApiSource] }), 'apigw.resources');
    expect(full.count).toBe(9);
    expect(full.truncated).toBeUndefined();
    const capped = rowOf(await runOnScenario(resourcesSource, data, { before: [restApiSource], limits: { maxItems: 4 } }), 'apigw.resources');
    // 9 resources plus the root resource, read in 4 pages of 3.
    expect(capped.truncated).toEqual({ kept: 4, total: 10 });
    const pageCapped = rowOf(await runOnScenario(resourcesSource, data, { before: [restApiSource], limits: { maxPages: 2 } }), 'apigw.resources');
    expect(pageCapped.truncated).toEqual({ kept: 6, total: 6 });
  });

  it('never runs more sources at once than the concurrency limit', async () => {
    let running = 0;
    let peak = 0;
    const counted = async (): Promise<SourceOutcome<SourceId>> => {
      running += 1;
      peak = Math.max(peak, running);
      // Yield a few turns so that any source the runner wrongly started would overlap.
      for (let i = 0; i < 5; i += 1) await new Promise((resolve) => setImmediate(resolve));
      running -= 1;
      return { status: 'ok' };
    };
    const ids: SourceId[] = ['apigw.account', 'apigw.stages', 'apigw.domains', 'apigw.resources', 'apigw.authorizers', 'apigw.usage-plans'];
    const result = await runSources(options(ids.map((id) => fake(id, counted)), { concurrency: 2 }));
    expect(result.coverage.every((r) => r.status === 'ok')).toBe(true);
    expect(peak).toBe(2);
  });

  it('emits progress events in order: started, then each source started before it finished', async () => {
    const progress: ProgressEvent[] = [];
    const sources = [fake('apigw.rest-api', ok), fake('apigw.stages', ok, { dependsOn: ['apigw.rest-api'] }), fake('logs.execution', ok, { dependsOn: ['apigw.stages'] })];
    await runSources(options(sources, { onProgress: (e) => progress.push(e) }));
    const summary = progress.map((e) => (e.type === 'started' ? `started/${e.total}` : e.type === 'source-started' ? `start ${e.source}` : `done ${e.row.source} ${e.done}/${e.total}`));
    expect(summary).toEqual([
      'started/3',
      'start apigw.rest-api',
      'done apigw.rest-api 1/3',
      'start apigw.stages',
      'done apigw.stages 2/3',
      'start logs.execution',
      'done logs.execution 3/3',
    ]);
  });

  it('reports a dependency cycle instead of waiting forever', async () => {
    const sources = [fake('apigw.stages', ok, { dependsOn: ['logs.execution'] }), fake('logs.execution', ok, { dependsOn: ['apigw.stages'] })];
    const result = await runSources(options(sources));
    expect(result.coverage.map((r) => r.error?.kind)).toEqual(['dependency_failed', 'dependency_failed']);
  });
});
