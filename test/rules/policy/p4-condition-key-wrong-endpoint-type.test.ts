import { describe, expect, it } from 'vitest';
import { p4ConditionKeyWrongEndpointType as rule } from '../../../src/rules/policy/p4-condition-key-wrong-endpoint-type.js';
import { healthyInput } from '../fixtures.js';

describe('P4.condition-key-wrong-endpoint-type', () => {
  it('fires when a REGIONAL API keeps a private-style aws:SourceVpce policy', () => {
    const input = healthyInput();
    input.evidence['apigw.rest-api']!.endpointTypes = ['REGIONAL'];
    const [f] = rule.evaluate(input);
    expect(f?.evidence[0]?.quote).toBe('Allow AllowEndpoint on aws:SourceVpce with endpoint type REGIONAL');
  });

  it('fires (medium) for aws:SourceIp with private ranges on a PRIVATE API', () => {
    const input = healthyInput();
    input.evidence['apigw.rest-api']!.policy!.Statement[0]!.Condition = { IpAddress: { 'aws:SourceIp': ['10.0.0.0/16'] } };
    expect(rule.evaluate(input)[0]).toMatchObject({ severity: 'medium' });
  });

  it('does not fire for the same policy on a PRIVATE API, nor for public ranges (near misses)', () => {
    expect(rule.evaluate(healthyInput())).toEqual([]);
    const input = healthyInput();
    input.evidence['apigw.rest-api']!.policy!.Statement[0]!.Condition = { IpAddress: { 'aws:SourceIp': ['203.0.113.0/24'] } };
    expect(rule.evaluate(input)).toEqual([]);
  });
});
