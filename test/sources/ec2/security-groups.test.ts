import { describe, expect, it } from 'vitest';
import { admitsHttps } from '../../../src/sources/ec2/ingress.js';
import { securityGroupsSource } from '../../../src/sources/ec2/security-groups.js';
import { rowOf, runOnScenario } from '../../support/run-source.js';
import { stubSource } from '../../support/stub-sources.js';
import { ec2World, endpointEvidence, scenario } from './fixtures.js';

const withEndpoints = (endpoints = [endpointEvidence({ securityGroupIds: ['sg-1', 'sg-2'] })], status: 'ok' | 'not_applicable' = 'ok') => ({
  before: [stubSource('ec2.vpc-endpoints', { endpoints, vpcs: [] }, status)],
});

const groups = [
  { GroupId: 'sg-1', GroupName: 'vpce', VpcId: 'vpc-1', IpPermissions: [
    { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '10.0.0.0/16' }], UserIdGroupPairs: [{ GroupId: 'sg-app' }] },
    { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '10.0.0.0/8' }] },
  ] },
  { GroupId: 'sg-2', GroupName: 'closed', VpcId: 'vpc-1', IpPermissions: [{ IpProtocol: 'udp', FromPort: 0, ToPort: 65535, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] },
];

describe('admitsHttps', () => {
  it('accepts tcp ranges covering 443 and all traffic', () => {
    expect(admitsHttps({ IpProtocol: 'tcp', FromPort: 0, ToPort: 65535 })).toBe(true);
    expect(admitsHttps({ IpProtocol: '-1' })).toBe(true);
    expect(admitsHttps({ IpProtocol: '6', FromPort: 443, ToPort: 443 })).toBe(true);
    expect(admitsHttps({ IpProtocol: 'tcp', FromPort: 80, ToPort: 80 })).toBe(false);
    expect(admitsHttps({ IpProtocol: 'udp', FromPort: 443, ToPort: 443 })).toBe(false);
  });
});

describe('ec2.security-groups', () => {
  it('lists the inbound rules that admit TCP 443 and the groups that admit none', async () => {
    const result = await runOnScenario(securityGroupsSource, scenario(ec2World({ securityGroups: groups })), withEndpoints());
    const row = rowOf(result, 'ec2.security-groups');
    expect(row.status).toBe('ok');
    expect(row.count).toBe(2);
    expect(row.reason).toContain('sg-2 admits no inbound TCP 443');
    const [open, closed] = result.evidence['ec2.security-groups'] ?? [];
    expect(open).toMatchObject({ groupId: 'sg-1', inboundRuleCount: 2, usedBy: ['vpce-0a1b2c3d4e5f60001'] });
    expect(open?.https).toEqual([{ ipProtocol: 'tcp', fromPort: 443, toPort: 443, cidrs: ['10.0.0.0/16'], ipv6Cidrs: [], sourceGroupIds: ['sg-app'], prefixListIds: [] }]);
    expect(closed?.https).toEqual([]);
  });

  it('reports a group the endpoint uses that no longer exists', async () => {
    const result = await runOnScenario(securityGroupsSource, scenario(ec2World({ securityGroups: [groups[0]] })), withEndpoints());
    expect(rowOf(result, 'ec2.security-groups').reason).toContain('sg-2 not found');
    expect(result.evidence['ec2.security-groups']).toHaveLength(1);
  });

  it('is not applicable when the endpoints source was', async () => {
    const row = rowOf(await runOnScenario(securityGroupsSource, scenario(ec2World()), withEndpoints([], 'not_applicable')), 'ec2.security-groups');
    expect(row.status).toBe('not_applicable');
  });

  it('is empty when the endpoints have no groups', async () => {
    const row = rowOf(await runOnScenario(securityGroupsSource, scenario(ec2World()), withEndpoints([endpointEvidence({ securityGroupIds: [] })])), 'ec2.security-groups');
    expect(row.status).toBe('empty');
    expect(row.reason).toContain('have no security groups');
  });

  it.each([
    ['AccessDeniedException', 'access_denied'],
    ['ThrottlingException', 'throttled'],
  ])('classifies %s', async (error, kind) => {
    const row = rowOf(await runOnScenario(securityGroupsSource, scenario(ec2World(), { faults: [{ operation: 'ec2:DescribeSecurityGroups', error }] }), withEndpoints()), 'ec2.security-groups');
    expect(row.error?.kind).toBe(kind);
    if (kind === 'access_denied') expect(row.error?.action).toBe('ec2:DescribeSecurityGroups');
  });

  it('times out on a slow read', async () => {
    const result = await runOnScenario(securityGroupsSource, scenario(ec2World(), { faults: [{ operation: 'ec2:DescribeSecurityGroups', latencyMs: 5000 }] }), {
      ...withEndpoints(),
      sourceTimeoutMs: 200,
    });
    expect(rowOf(result, 'ec2.security-groups').error?.kind).toBe('timeout');
  });
});
