import { describe, expect, it } from 'vitest';
import type { CloudTrailEventEvidence } from '../../../src/core/evidence.js';
import { p3PolicyNotDeployed as rule } from '../../../src/rules/policy/p3-policy-not-deployed.js';
import { API_ID, failSource, healthyInput } from '../fixtures.js';

function policyChange(eventTime: string, extra: Partial<CloudTrailEventEvidence> = {}): CloudTrailEventEvidence {
  return {
    eventId: 'e-policy',
    eventName: 'UpdateRestApi',
    eventTime,
    eventSource: 'apigateway.amazonaws.com',
    username: 'alice',
    requestParameters: { restApiId: API_ID, patchOperations: [{ op: 'replace', path: '/policy', value: '{}' }] },
    resources: [],
    ...extra,
  };
}

describe('P3.policy-not-deployed', () => {
  it('fires when the policy changed after the live deployment', () => {
    const input = healthyInput();
    input.evidence['cloudtrail.changes']!.push(policyChange('2026-11-20T09:00:00Z'));
    const [f] = rule.evaluate(input);
    expect(f?.evidence[0]?.quote).toBe('UpdateRestApi 2026-11-20T09:00:00Z by alice');
    expect(f?.fix).toContain('create-deployment');
  });

  it('does not fire for a change before the deployment, a failed change, or a rename (near misses)', () => {
    const input = healthyInput();
    input.evidence['cloudtrail.changes']!.push(
      policyChange('2026-11-19T07:00:00Z'),
      policyChange('2026-11-20T09:00:00Z', { errorCode: 'AccessDenied' }),
      policyChange('2026-11-20T09:10:00Z', { requestParameters: { restApiId: API_ID, patchOperations: [{ op: 'replace', path: '/name', value: 'x' }] } }),
    );
    expect(rule.evaluate(input)).toEqual([]);
  });

  it('says it cannot rule it out when CloudTrail was refused', () => {
    const [f] = rule.evaluate(failSource(healthyInput(), 'cloudtrail.changes', { kind: 'access_denied', message: 'no', action: 'cloudtrail:LookupEvents' }));
    expect(f).toMatchObject({ inconclusive: true });
    expect(f?.detail).toMatch(/^cannot rule out .*cloudtrail:LookupEvents/);
  });
});
