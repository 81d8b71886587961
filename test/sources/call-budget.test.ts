import { describe, expect, it } from 'vitest';
import { budgetViolations, measuredChain, minimalChain } from '../../bench/critical-path.js';
import type { CallRecord } from '../../src/aws/call-context.js';
import { runSources } from '../../src/sources/runner.js';
import { defineSource, type Source } from '../../src/sources/types.js';
import { GetRestApiCommand } from '@aws-sdk/client-api-gateway';
import { createSandboxEnvironment } from '../../src/sandbox/environment.js';
import { parseScenario } from '../../src/sandbox/load.js';
import { onVirtualTime } from '../support/virtual-time.js';
import { scenario } from './fixture.js';

/**
 * The call budget itself: a source that makes one call more, one after another, than it declares
 * is caught; calls side by side, further pages and polls are not. (Every built-in scenario is
 * checked against the registered sources' budgets in the scenario suite.)
 */
async function traced(source: Source): Promise<CallRecord[]> {
  const env = createSandboxEnvironment(parseScenario({ ...scenario(), latencyMs: 100 }, 'budget'));
  const records: CallRecord[] = [];
  await onVirtualTime(() =>
    runSources({
      sources: [source],
      target: { kind: 'api-gw', restApiId: env.defaults.restApiId, region: env.defaults.region },
      window: { since: new Date(env.now.getTime() - 3600_000), until: env.now },
      aws: env.factory.forAccount(),
      factory: env.factory,
      dns: env.dns,
      onCall: (r) => records.push(r),
    }),
  );
  return records;
}

const reading = (chain: number, sequential: boolean) =>
  defineSource({
    id: 'apigw.rest-api',
    title: 'twice',
    dependsOn: [],
    calls: { chain },
    async run(ctx) {
      const read = () => ctx.aws.apigateway.send(new GetRestApiCommand({ restApiId: ctx.target.restApiId }));
      if (sequential) {
        await read();
        await read();
      } else await Promise.all([read(), read()]);
      return { status: 'ok', reason: 'read' };
    },
  }) as Source;

describe('per-source call budgets', () => {
  it('fail a source that makes a call after another without declaring it', async () => {
    const source = reading(1, true);
    const violations = budgetViolations([source], await traced(source));
    expect(violations).toHaveLength(1);
    expect(violations[0]).toMatch(/^apigw\.rest-api: 2 calls one after another, 1 declared: GetRestApi \(apigw\.rest-api\) → GetRestApi \(apigw\.rest-api\)/);
  });

  it('pass the same calls side by side, or one after another when declared', async () => {
    const parallel = reading(1, false);
    expect(budgetViolations([parallel], await traced(parallel))).toEqual([]);
    const declared = reading(2, true);
    expect(budgetViolations([declared], await traced(declared))).toEqual([]);
  });

  it('measure the chain from when calls started and ended, and the minimal one from the graph', async () => {
    const source = reading(2, true);
    const records = await traced(source);
    expect(measuredChain(records)).toHaveLength(2);
    const row = { source: 'apigw.rest-api' as const, title: 't', status: 'ok' as const, durationMs: 0, calls: ['apigateway:GetRestApi'] };
    // Declared needs (1 round) rather than what the code did: the minimal chain does not grow with the code.
    expect(minimalChain([defineSource({ ...source, calls: { chain: 2, needs: 1 } }) as Source], [row], records).rounds).toBe(1);
  });
});
