import { GetRestApisCommand } from '@aws-sdk/client-api-gateway';
import type { SourceId } from '../../../src/core/evidence.js';
import type { Source } from '../../../src/sources/types.js';

/**
 * A test-only source, whole in this folder: it reads (the names of the account's REST APIs),
 * describes its configuration line and records what it read, and nothing outside this folder
 * knows it exists. The recording tests add it through the application's `extraSources` seam.
 */
export const TEST_SOURCE_ID = 'test.api-names' as SourceId;

export const testSource = {
  id: TEST_SOURCE_ID,
  title: 'API names (test-only source)',
  dependsOn: [],
  calls: { chain: 1 },
  async run(ctx) {
    const out = await ctx.aws.apigateway.send(new GetRestApisCommand({ limit: 25 }));
    const names = (out.items ?? []).map((api) => api.name ?? api.id ?? '?').sort();
    return { status: names.length ? 'ok' : 'empty', evidence: names as never, count: names.length, reason: `${names.length} API name(s)` };
  },
  describe: {
    order: 999,
    lines: (names: unknown) => [`test-only source: APIs ${(names as string[]).join(', ')}`],
  },
  record(read, writer) {
    // Its own answers, verbatim for the request it made.
    for (const call of read.calls) if (call.source === TEST_SOURCE_ID && call.output) writer.answer(call);
  },
} as Source;
