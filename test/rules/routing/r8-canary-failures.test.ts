import { describe, expect, it } from 'vitest';
import { r8CanaryFailures as rule } from '../../../src/rules/routing/r8-canary-failures.js';
import { accessRecord, healthyInput } from '../fixtures.js';

function canary(percent = 10) {
  const input = healthyInput();
  input.evidence['apigw.stages']![0]!.canary = { percentTraffic: percent, deploymentId: 'dep2' };
  return input;
}

describe('R8.canary-failures', () => {
  it('fires when canary requests fail and base ones do not ($context.isCanaryRequest)', () => {
    const input = canary();
    input.evidence['logs.access']![0]!.records.push(...Array.from({ length: 20 }, (_, i) => accessRecord({ requestId: `c-${i}`, status: i < 15 ? 502 : 200 }, { isCanaryRequest: 'true' })));
    expect(rule.evaluate(input)[0]?.detail).toContain('15 of 20 canary requests');
  });

  it('fires when the error share matches the canary share, without the canary field', () => {
    const input = canary(10);
    input.evidence['logs.access']![0]!.records.push(...Array.from({ length: 22 }, (_, i) => accessRecord({ requestId: `e-${i}`, status: 500 })));
    expect(rule.evaluate(input)).toHaveLength(1);
  });

  it('stays silent for a canary with the base deployment, or no errors (near miss)', () => {
    expect(rule.evaluate(canary())).toEqual([]);
    const same = canary();
    same.evidence['apigw.stages']![0]!.canary!.deploymentId = 'dep1';
    same.evidence['logs.access']![0]!.records.push(...Array.from({ length: 22 }, (_, i) => accessRecord({ requestId: `e-${i}`, status: 500 })));
    expect(rule.evaluate(same)).toEqual([]);
  });
});
