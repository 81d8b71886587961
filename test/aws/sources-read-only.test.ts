import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { READ_OPERATIONS } from '../../src/aws/operations.js';
import { resolveWindow, troubleshootRequestSchema } from '../../src/core/input.js';
import { openWorld } from '../../src/app/world.js';
import { investigate } from '../../src/engine.js';
import { listScenarios } from '../../src/sandbox/load.js';
import { HTTP_SOURCES, SOURCES } from '../../src/sources/registry.js';

const allowed = new Set(READ_OPERATIONS.map((op) => `${op.service}:${op.operation}`));

describe('sources are read-only', () => {
  it('sends only operations on the read-only list, across every built-in scenario', async () => {
    const seen = new Set<string>();
    const foundData = new Set<string>();
    for (const { name } of await listScenarios()) {
      const env = await openWorld({ scenario: name }, loadConfig({}));
      const d = env.defaults!;
      const request = troubleshootRequestSchema.parse({ restApiId: d.restApiId });
      const { report } = await investigate(
        { kind: 'api-gw', restApiId: d.restApiId, region: d.region, ...(d.stage ? { stage: d.stage } : {}) },
        resolveWindow(request, env.now()),
        env,
      );
      for (const row of report.coverage) {
        for (const call of row.calls) seen.add(call);
        if (row.status === 'ok') foundData.add(row.source);
        // The guard refuses anything off the list; a source that tried would show it here.
        expect(row.error?.message ?? '', `${name} ${row.source}`).not.toContain('ReadOnlyViolationError');
      }
    }
    expect(seen.size).toBeGreaterThan(10);
    for (const call of seen) expect(allowed.has(call), call).toBe(true);
    // Adding a source is adding a file, and a scenario that gives it data: a registered source no
    // built-in scenario exercises is untested end to end.
    const unexercised = [...SOURCES, ...HTTP_SOURCES].map((source) => source.id).filter((id) => !foundData.has(id));
    expect([...new Set(unexercised)], 'registered sources that no built-in scenario gives data').toEqual([]);
    // HTTP API scenarios exercise every API Gateway v2 read on the list.
    // (GetApis is the lookup of a target given by name, before any source runs: test/app/resolve-target.test.ts.)
    for (const op of READ_OPERATIONS.filter((o) => o.service === 'apigatewayv2' && !o.why.includes('a target given by name'))) expect(seen.has(`apigatewayv2:${op.operation}`), op.operation).toBe(true);
    // Every built-in scenario end to end: the library grows, so this test gets more time than one.
  }, 180_000);
});
