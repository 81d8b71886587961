import { describe, expect, it } from 'vitest';
import type { CoverageError } from '../../src/core/coverage.js';
import { evaluateRules } from '../../src/rules/index.js';
import { fixForSource, inconclusive, requireAnySource, requireSources } from '../../src/rules/helpers.js';
import { defineRule } from '../../src/rules/types.js';
import { failSource, healthyInput, missingStage } from './fixtures.js';

const rule = defineRule({ id: 'X.test', severity: 'high', title: 'test', evaluate: () => [] });

function fixWhenFailed(error: CoverageError, hint?: string): string {
  const input = failSource(healthyInput(), 'cloudtrail.changes', error);
  if (hint) input.coverage = input.coverage.map((r) => (r.source === 'cloudtrail.changes' ? { ...r, hint } : r));
  return requireSources(input, rule, ['cloudtrail.changes'], 'something')?.[0]?.fix ?? '';
}

describe('inconclusive findings', () => {
  it('take their fix from the failed row hint when there is one', () => {
    expect(fixWhenFailed({ kind: 'throttled', message: 'x' }, 'AWS throttled the reads after retries; run again in a minute or narrow --since')).toBe(
      'cloudtrail.changes: AWS throttled the reads after retries; run again in a minute or narrow --since. Then run the investigation again.',
    );
  });

  it('build the fix from the error kind when the row has no hint', () => {
    expect(fixWhenFailed({ kind: 'access_denied', message: 'denied', action: 'cloudtrail:LookupEvents' })).toBe('cloudtrail.changes: grant cloudtrail:LookupEvents to the firebreak role. Then run the investigation again.');
    expect(fixWhenFailed({ kind: 'throttled', message: 'x' })).toContain('narrow --since');
    expect(fixWhenFailed({ kind: 'timeout', message: 'x' })).toContain('narrow --since');
    expect(fixWhenFailed({ kind: 'dependency_failed', message: 'x', dependency: 'apigw.rest-api' })).toBe('cloudtrail.changes: fix apigw.rest-api first. Then run the investigation again.');
    expect(fixWhenFailed({ kind: 'not_found', message: 'x' })).toContain('check the API id, stage and region');
    expect(fixWhenFailed({ kind: 'invalid_input', message: 'x' })).toContain('time window');
    for (const kind of ['throttled', 'timeout', 'dependency_failed', 'not_found', 'invalid_input'] as const) {
      expect(fixWhenFailed({ kind, message: 'x' })).not.toContain('permission');
    }
  });

  it('names a source that never ran', () => {
    const input = healthyInput();
    input.coverage = input.coverage.filter((r) => r.source !== 'cloudtrail.changes');
    delete input.evidence['cloudtrail.changes'];
    expect(fixForSource(input, 'cloudtrail.changes')).toContain('not collected');
  });

  it('list each distinct fix once, with the sources it applies to', () => {
    const f = inconclusive(rule, 'x', [
      { source: 'a', why: 'a failed', fix: 'retry' },
      { source: 'b', why: 'b failed', fix: 'retry' },
      { source: 'c', why: 'c failed' },
    ]);
    expect(f.fix).toBe('a, b: retry. c: make it readable. Then run the investigation again.');
  });
});

describe('a targeted stage that does not exist', () => {
  it('silences the inconclusive findings that only the missing stage caused', () => {
    const input = missingStage(healthyInput());
    expect(requireSources(input, rule, ['apigw.stages'], 'x')).toEqual([]);
    expect(requireAnySource(input, rule, ['logs.execution', 'logs.access'], 'x')).toEqual([]);
  });

  it('keeps a finding with another failed input, with fixes that do not ask for permissions', () => {
    const input = failSource(missingStage(healthyInput()), 'cloudtrail.changes', { kind: 'timeout', message: 'slow' });
    const [f] = requireSources(input, rule, ['cloudtrail.changes', 'apigw.stages'], 'x') ?? [];
    expect(f?.fix).toBe('cloudtrail.changes: the reads did not finish in time; narrow --since. apigw.stages: use one of: prod. Then run the investigation again.');
  });

  it('still reports a stage source that failed for another reason', () => {
    const input = failSource(healthyInput(), 'apigw.stages', { kind: 'throttled', message: 'x' });
    expect(requireSources(input, rule, ['apigw.stages'], 'x')).toHaveLength(1);
  });

  it('leaves R1 as the only finding of the regional API that was otherwise fine', () => {
    const findings = evaluateRules(missingStage(healthyInput()));
    expect(findings.map((f) => f.rule)).toEqual(['R1.route-not-deployed']);
  });
});
