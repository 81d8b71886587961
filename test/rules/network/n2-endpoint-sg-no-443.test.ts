import { describe, expect, it } from 'vitest';
import type { IngressRuleEvidence } from '../../../src/core/evidence.js';
import { n2EndpointSgNo443 as rule } from '../../../src/rules/network/n2-endpoint-sg-no-443.js';
import { asRegional, failSource, healthyInput } from '../fixtures.js';

function https(overrides: Partial<IngressRuleEvidence>): IngressRuleEvidence {
  return { ipProtocol: 'tcp', fromPort: 443, toPort: 443, cidrs: [], ipv6Cidrs: [], sourceGroupIds: [], prefixListIds: [], ...overrides };
}

function withRules(rules: IngressRuleEvidence[]) {
  const input = healthyInput();
  input.evidence['ec2.security-groups']![0]!.https = rules;
  return input;
}

describe('N2.endpoint-sg-no-443', () => {
  it('fires when the group allows 443 only from an unrelated range', () => {
    const [f] = rule.evaluate(withRules([https({ cidrs: ['192.168.0.0/16'] })]));
    expect(f).toMatchObject({ rule: 'N2.endpoint-sg-no-443', severity: 'critical' });
    expect(f?.evidence[0]?.quote).toBe('sg-1 inbound 443 from 192.168.0.0/16 only');
    expect(f?.fix).toContain('10.0.0.0/16');
    expect(f?.fix).toContain('sg-1');
  });

  it('fires when the group has no 443 rule at all', () => {
    const [f] = rule.evaluate(withRules([]));
    expect(f?.evidence[0]?.quote).toContain('sg-1 has no inbound rule for TCP 443');
  });

  it('does not fire when the group allows the VPC CIDR, a superset, a group, or 0.0.0.0/0 (near misses)', () => {
    expect(rule.evaluate(withRules([https({ cidrs: ['10.0.0.0/16'] })]))).toEqual([]);
    expect(rule.evaluate(withRules([https({ cidrs: ['10.0.0.0/8'] })]))).toEqual([]);
    expect(rule.evaluate(withRules([https({ cidrs: ['0.0.0.0/0'] })]))).toEqual([]);
    expect(rule.evaluate(withRules([https({ sourceGroupIds: ['sg-clients'] })]))).toEqual([]);
  });

  it('does not apply to a REGIONAL API', () => {
    expect(rule.evaluate(asRegional(withRules([])))).toEqual([]);
  });

  it('is inconclusive when security groups could not be read', () => {
    const [f] = rule.evaluate(failSource(healthyInput(), 'ec2.security-groups', { kind: 'access_denied', message: 'x', action: 'ec2:DescribeSecurityGroups' }));
    expect(f).toMatchObject({ inconclusive: true });
    expect(f?.detail).toContain('ec2:DescribeSecurityGroups');
  });
});

describe('N2 from flow-log REJECTs', () => {
  it('fires high when the groups look open but connections to 443 on the endpoint are refused', () => {
    const input = healthyInput();
    input.evidence['ec2.flow-logs']!.rejects = Array.from({ length: 4 }, (_, i) => ({
      timestamp: i, srcaddr: `10.0.7.${i}`, dstaddr: '10.0.1.15', dstport: 443, protocol: 6, action: 'REJECT', target: 'vpce-0a1',
      raw: `2 111111111111 eni-1 10.0.7.${i} 10.0.1.15 40000 443 6 3 180 1 2 REJECT OK`,
    }));
    const [f] = rule.evaluate(input);
    expect(f?.severity).toBe('high');
    expect(f?.evidence[0]).toMatchObject({ source: 'ec2.flow-logs', key: 'vpce-0a1' });
    input.evidence['ec2.flow-logs']!.rejects = input.evidence['ec2.flow-logs']!.rejects.slice(0, 2);
    expect(rule.evaluate(input)).toEqual([]);
  });
});
