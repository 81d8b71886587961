import { describe, expect, it } from 'vitest';
import { t3RequestTooLarge as rule } from '../../../src/rules/limits/t3-request-too-large.js';
import { accessRecord, failSource, healthyInput } from '../fixtures.js';

describe('T3.request-too-large', () => {
  it('fires on 413 REQUEST_TOO_LARGE records', () => {
    const input = healthyInput();
    // Still happening at the window's end: the rule keeps its severity.
    const recent = input.window.until.getTime() - 60_000;
    input.evidence['logs.access']![0]!.records.push(...Array.from({ length: 12 }, (_, i) => accessRecord({ requestId: `l-${i}`, status: 413, timestamp: recent + i }, { responseType: 'REQUEST_TOO_LARGE' })));
    expect(rule.evaluate(input)[0]).toMatchObject({ rule: 'T3.request-too-large', severity: 'medium' });
  });

  it('says no more than a low "seen N times" note below the threshold (near miss)', () => {
    const input = healthyInput();
    input.evidence['logs.access']![0]!.records.push(accessRecord({ status: 413 }));
    expect(rule.evaluate(input).filter((f) => f.severity !== 'low')).toEqual([]);
  });

  it('is inconclusive without logs', () => {
    expect(rule.evaluate(failSource(failSource(healthyInput(), 'logs.execution'), 'logs.access'))[0]).toMatchObject({ inconclusive: true });
  });
});
