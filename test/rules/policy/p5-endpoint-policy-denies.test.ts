import { describe, expect, it } from 'vitest';
import { p5EndpointPolicyDenies as rule } from '../../../src/rules/policy/p5-endpoint-policy-denies.js';
import { failSource, healthyInput } from '../fixtures.js';

describe('P5.endpoint-policy-denies', () => {
  it('fires when the endpoint policy allows only other services', () => {
    const input = healthyInput();
    input.evidence['ec2.vpc-endpoints']!.endpoints[0]!.policyDocument = { Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:*', Resource: '*' }] };
    const [f] = rule.evaluate(input);
    expect(f?.evidence[0]?.quote).toContain('no statement allows execute-api:Invoke on a1b2c3d4e5');
  });

  it('fires on an explicit deny for this API', () => {
    const input = healthyInput();
    input.evidence['ec2.vpc-endpoints']!.endpoints[0]!.policyDocument = {
      Statement: [
        { Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' },
        { Sid: 'NoOrders', Effect: 'Deny', Principal: '*', Action: 'execute-api:Invoke', Resource: 'arn:aws:execute-api:us-east-1:111111111111:a1b2c3d4e5/*' },
      ],
    };
    expect(rule.evaluate(input)[0]?.detail).toContain('explicit Deny NoOrders');
  });

  it('does not fire for the default full-access policy or a deny on another API (near misses)', () => {
    const input = healthyInput();
    input.evidence['ec2.vpc-endpoints']!.endpoints[0]!.policyDocument = {
      Statement: [
        { Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' },
        { Effect: 'Deny', Principal: '*', Action: 'execute-api:Invoke', Resource: 'arn:aws:execute-api:us-east-1:111111111111:otherapi00/*' },
      ],
    };
    expect(rule.evaluate(input)).toEqual([]);
  });

  it('is inconclusive without endpoint data', () => {
    expect(rule.evaluate(failSource(healthyInput(), 'ec2.vpc-endpoints'))[0]).toMatchObject({ inconclusive: true });
  });
});
