import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { READ_OPERATIONS } from '../../src/aws/operations.js';
import { resolveWindow, troubleshootRequestSchema } from '../../src/core/input.js';
import { investigate, openEnvironment } from '../../src/engine.js';
import { listScenarios } from '../../src/sandbox/load.js';

const allowed = new Set(READ_OPERATIONS.map((op) => `${op.service}:${op.operation}`));

describe('sources are read-only', () => {
  it('sends only operations on the read-only list, across every built-in scenario', async () => {
    const seen = new Set<string>();
    for (const { name } of await listScenarios()) {
      const env = await openEnvironment({ scenario: name }, loadConfig({}));
      const d = env.defaults!;
      const request = troubleshootRequestSchema.parse({ restApiId: d.restApiId });
      const { report } = await investigate(
        { kind: 'api-gw', restApiId: d.restApiId, region: d.region, ...(d.stage ? { stage: d.stage } : {}) },
        resolveWindow(request, env.now()),
        env,
      );
      for (const row of report.coverage) {
        for (const call of row.calls) seen.add(call);
        // The guard refuses anything off the list; a source that tried would show it here.
        expect(row.error?.message ?? '', `${name} ${row.source}`).not.toContain('ReadOnlyViolationError');
      }
    }
    expect(seen.size).toBeGreaterThan(10);
    for (const call of seen) expect(allowed.has(call), call).toBe(true);
    // Every built-in scenario (55+, one of them deliberately slow) end to end.
  }, 180_000);
});
