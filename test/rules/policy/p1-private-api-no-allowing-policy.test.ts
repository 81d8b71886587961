import { describe, expect, it } from 'vitest';
import { p1PrivateApiNoAllowingPolicy as rule } from '../../../src/rules/policy/p1-private-api-no-allowing-policy.js';
import { asRegional, failSource, healthyInput } from '../fixtures.js';

describe('P1.private-api-no-allowing-policy', () => {
  it('fires when a private API has no resource policy', () => {
    const input = healthyInput();
    input.evidence['apigw.rest-api']!.policy = null;
    expect(rule.evaluate(input)[0]).toMatchObject({ severity: 'critical', evidence: [{ quote: 'policy: none' }] });
  });

  it('fires when the policy allows only another endpoint', () => {
    const input = healthyInput();
    input.evidence['apigw.rest-api']!.policy!.Statement[0]!.Condition = { StringEquals: { 'aws:SourceVpce': 'vpce-someone-else' } };
    const [f] = rule.evaluate(input);
    expect(f?.detail).toContain('vpce-0a1 matched by no Allow');
  });

  it('does not fire when the policy allows the endpoint or its VPC (near miss)', () => {
    expect(rule.evaluate(healthyInput())).toEqual([]);
    const input = healthyInput();
    input.evidence['apigw.rest-api']!.policy!.Statement[0]!.Condition = { StringEquals: { 'aws:SourceVpc': 'vpc-1' } };
    expect(rule.evaluate(input)).toEqual([]);
  });

  it('does not apply to a REGIONAL API', () => {
    expect(rule.evaluate(asRegional(healthyInput()))).toEqual([]);
  });

  it('is inconclusive when the caller endpoints are unknown', () => {
    expect(rule.evaluate(failSource(healthyInput(), 'ec2.vpc-endpoints'))[0]).toMatchObject({ inconclusive: true });
  });
});
