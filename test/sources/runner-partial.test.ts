import { describe, expect, it } from 'vitest';
import { ClientFactory } from '../../src/aws/clients.js';
import { DeadlineError } from '../../src/aws/errors.js';
import { collectPages } from '../../src/sources/paginate.js';
import { runSources } from '../../src/sources/runner.js';
import { defineSource, type DnsResolver } from '../../src/sources/types.js';

const factory = new ClientFactory({ region: 'us-east-1', homeAccountId: '111111111111', transport: async () => ({}) });
const dns: DnsResolver = { resolveCname: async () => [], resolve4: async () => [] };

describe('runner keeps partial results at a deadline', () => {
  it('marks the row as timeout but keeps what a paginating source had read', async () => {
    const slowPages = defineSource({
      id: 'logs.execution',
      title: 'execution logs',
      dependsOn: [],
      calls: { chain: 10 },
      async run(ctx) {
        const collected = await collectPages(
          async (token) => {
            if (!token) return { items: [{ stage: 'prod', logGroup: 'g', lines: [{ timestamp: 1, message: 'first page' }] }], next: 'p2' };
            // The second page never comes before the deadline.
            await new Promise((_, reject) => ctx.signal.addEventListener('abort', () => reject(new DeadlineError('late'))));
            return { items: [] };
          },
          { maxItems: 100, maxPages: 10 },
        );
        return { status: 'ok', evidence: collected.items, count: collected.items.length, ...(collected.truncated ? { truncated: collected.truncated } : {}) };
      },
    });
    const result = await runSources({
      sources: [slowPages],
      target: { kind: 'api-gw', restApiId: 'a1b2c3d4e5', region: 'us-east-1' },
      window: { since: new Date(0), until: new Date(1) },
      aws: factory.forAccount(),
      factory,
      dns,
      sourceTimeoutMs: 100,
    });
    const row = result.coverage[0]!;
    expect(row.status).toBe('error');
    expect(row.error?.kind).toBe('timeout');
    expect(row.error?.message).toContain('partial results kept');
    expect(row.truncated).toEqual({ kept: 1, total: 1 });
    expect(result.evidence['logs.execution']?.[0]?.lines[0]?.message).toBe('first page');
  });
});
