import { describe, expect, it } from 'vitest';
import { n5EndpointNotAvailable as rule } from '../../../src/rules/network/n5-endpoint-not-available.js';
import { failSource, healthyInput } from '../fixtures.js';

describe('N5.endpoint-not-available', () => {
  it('fires when the API endpoint is pending or failed', () => {
    const input = healthyInput();
    input.evidence['ec2.vpc-endpoints']!.endpoints[0]!.state = 'failed';
    expect(rule.evaluate(input)[0]?.evidence[0]?.quote).toBe('vpce-0a1 state failed');
  });

  it('fires when the API lists an endpoint that no longer exists', () => {
    const input = healthyInput();
    input.evidence['ec2.vpc-endpoints']!.endpoints.push({ ...input.evidence['ec2.vpc-endpoints']!.endpoints[0]!, vpcEndpointId: 'vpce-gone', missing: true, state: 'deleted' });
    expect(rule.evaluate(input)[0]?.evidence[0]?.quote).toContain('vpce-gone is listed by the API but does not exist');
  });

  it('ignores an unrelated unavailable endpoint when the API names its own (near miss)', () => {
    const input = healthyInput();
    input.evidence['ec2.vpc-endpoints']!.endpoints.push({ ...input.evidence['ec2.vpc-endpoints']!.endpoints[0]!, vpcEndpointId: 'vpce-other', referencedByApi: false, state: 'pending' });
    expect(rule.evaluate(input)).toEqual([]);
  });

  it('is inconclusive without endpoint data', () => {
    expect(rule.evaluate(failSource(healthyInput(), 'ec2.vpc-endpoints'))[0]).toMatchObject({ inconclusive: true });
  });
});
