import { describe, expect, it } from 'vitest';
import { n3VpcDnsAttributesOff as rule } from '../../../src/rules/network/n3-vpc-dns-attributes-off.js';
import { failSource, healthyInput } from '../fixtures.js';

describe('N3.vpc-dns-attributes-off', () => {
  it('fires when the endpoint VPC has DNS hostnames off', () => {
    const input = healthyInput();
    input.evidence['ec2.vpc-endpoints']!.vpcs[0]!.enableDnsHostnames = false;
    const [f] = rule.evaluate(input);
    expect(f?.evidence[0]?.quote).toBe('vpc-1 enableDnsHostnames=false');
  });

  it('does not fire when private DNS is off on the endpoint (near miss)', () => {
    const input = healthyInput();
    input.evidence['ec2.vpc-endpoints']!.vpcs[0]!.enableDnsHostnames = false;
    input.evidence['ec2.vpc-endpoints']!.endpoints[0]!.privateDnsEnabled = false;
    expect(rule.evaluate(input)).toEqual([]);
  });

  it('does not fire when both attributes are on', () => {
    expect(rule.evaluate(healthyInput())).toEqual([]);
  });

  it('is inconclusive without endpoint data', () => {
    expect(rule.evaluate(failSource(healthyInput(), 'ec2.vpc-endpoints'))[0]).toMatchObject({ inconclusive: true });
  });
});
