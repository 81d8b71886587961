import { describe, expect, it } from 'vitest';
import { n1PrivateDnsCapturesPublicApi as rule } from '../../../src/rules/network/n1-private-dns-captures-public-api.js';
import { failSource, healthyInput, setStatus } from '../fixtures.js';

function regionalWithEndpoint() {
  const input = healthyInput();
  input.evidence['apigw.rest-api']!.endpointTypes = ['REGIONAL'];
  input.evidence['apigw.rest-api']!.policy = null;
  input.evidence['ec2.vpc-endpoints']!.endpoints[0]!.referencedByApi = false;
  return input;
}

describe('N1.private-dns-captures-public-api', () => {
  it('fires for a REGIONAL API when an execute-api endpoint has private DNS on', () => {
    const [f] = rule.evaluate(regionalWithEndpoint());
    expect(f).toMatchObject({ rule: 'N1.private-dns-captures-public-api', severity: 'medium' });
    expect(f?.evidence.map((e) => e.quote)).toContain('vpce-0a1 PrivateDnsEnabled true in vpc-1');
  });

  it('does not fire when private DNS is off (near miss)', () => {
    const input = regionalWithEndpoint();
    input.evidence['ec2.vpc-endpoints']!.endpoints[0]!.privateDnsEnabled = false;
    expect(rule.evaluate(input)).toEqual([]);
  });

  it('does not fire for a PRIVATE API', () => {
    expect(rule.evaluate(healthyInput())).toEqual([]);
  });

  it('is silent when endpoints are not applicable, inconclusive when the lookup failed', () => {
    expect(rule.evaluate(setStatus(regionalWithEndpoint(), 'ec2.vpc-endpoints', 'not_applicable'))).toEqual([]);
    const [f] = rule.evaluate(failSource(regionalWithEndpoint(), 'ec2.vpc-endpoints'));
    expect(f).toMatchObject({ inconclusive: true });
  });
});
