import { describe, expect, it } from 'vitest';
import { a5IamAuthorizationFails as rule } from '../../../src/rules/auth/a5-iam-authorization-fails.js';
import { accessRecord, failSource, healthyInput, repeatRequests } from '../fixtures.js';

describe('A5.iam-authorization-fails', () => {
  it('fires on expired signatures in the access log', () => {
    const input = healthyInput();
    input.evidence['logs.access']![0]!.records.push(...Array.from({ length: 20 }, (_, i) => accessRecord({ requestId: `s-${i}`, status: 403 }, { responseType: 'INVALID_SIGNATURE', errorMessage: 'Signature expired: 20240501T100000Z is now earlier than 20240501T100500Z' })));
    expect(rule.evaluate(input)[0]).toMatchObject({ rule: 'A5.iam-authorization-fails' });
  });

  it('fires on an identity-policy deny of execute-api:Invoke', () => {
    const input = healthyInput();
    input.evidence['logs.execution']![0]!.lines.push(...repeatRequests(12, ['User: arn:aws:sts::111111111111:assumed-role/batch/x is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:us-east-1:111111111111:a1b2c3d4e5/prod/GET/orders with an explicit deny in an identity-based policy']));
    expect(rule.evaluate(input)[0]?.detail).toContain('own IAM policies');
  });

  it('stays silent for an anonymous resource-policy deny (near miss: P1)', () => {
    const input = healthyInput();
    input.evidence['logs.execution']![0]!.lines.push(...repeatRequests(8, ['User: anonymous is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:us-east-1:111111111111:a1b2c3d4e5/prod/GET/orders']));
    expect(rule.evaluate(input)).toEqual([]);
  });

  it('is inconclusive without logs', () => {
    expect(rule.evaluate(failSource(failSource(healthyInput(), 'logs.execution'), 'logs.access'))[0]).toMatchObject({ inconclusive: true });
  });
});
