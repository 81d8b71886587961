import { describe, expect, it } from 'vitest';
import { vpcEndpointsSource } from '../../../src/sources/ec2/vpc-endpoints.js';
import { rowOf, runOnScenario } from '../../support/run-source.js';
import { stubSource } from '../../support/stub-sources.js';
import { ec2World, restApi, scenario } from './fixtures.js';

const privateApi = (ids = ['vpce-0a1b2c3d4e5f60001']) => ({ before: [stubSource('apigw.rest-api', restApi(['PRIVATE'], ids))] });
const regionalApi = { before: [stubSource('apigw.rest-api', restApi(['REGIONAL']))] };

describe('ec2.vpc-endpoints', () => {
  it('describes a private API\u2019s endpoints with their addresses, VPC DNS attributes and policy', async () => {
    const result = await runOnScenario(vpcEndpointsSource, scenario(ec2World()), privateApi());
    const row = rowOf(result, 'ec2.vpc-endpoints');
    expect(row.status).toBe('ok');
    expect(row.count).toBe(1);
    expect(row.calls).toEqual(
      expect.arrayContaining(['ec2:DescribeVpcEndpoints', 'ec2:DescribeNetworkInterfaces', 'ec2:DescribeVpcs', 'ec2:DescribeVpcAttribute']),
    );
    const evidence = result.evidence['ec2.vpc-endpoints'];
    expect(evidence?.endpoints[0]).toMatchObject({
      vpcEndpointId: 'vpce-0a1b2c3d4e5f60001', privateDnsEnabled: true, securityGroupIds: ['sg-1'], eniAddresses: ['10.0.1.15'], referencedByApi: true, accountId: '111111111111',
    });
    expect(evidence?.endpoints[0]?.policyDocument?.Statement[0]).toMatchObject({ Effect: 'Allow', Action: 'execute-api:Invoke' });
    expect(evidence?.vpcs).toEqual([{ vpcId: 'vpc-1', accountId: expect.any(String), cidrBlocks: ['10.0.0.0/16'], enableDnsSupport: true, enableDnsHostnames: false }]);
  });

  it('reports an endpoint id the API names but the account no longer has', async () => {
    const result = await runOnScenario(vpcEndpointsSource, scenario(ec2World()), privateApi(['vpce-0a1b2c3d4e5f60001', 'vpce-deleted']));
    const row = rowOf(result, 'ec2.vpc-endpoints');
    expect(row.status).toBe('ok');
    expect(result.evidence['ec2.vpc-endpoints']?.endpoints.find((e) => e.vpcEndpointId === 'vpce-deleted')).toMatchObject({ missing: true, referencedByApi: true });
    expect(row.reason).toContain('vpce-deleted referenced by the API but not found');
  });

  it('includes other execute-api endpoints in the same VPC', async () => {
    const world = ec2World();
    world.vpcEndpoints.push({ ...world.vpcEndpoints[0]!, VpcEndpointId: 'vpce-second', NetworkInterfaceIds: [] } as (typeof world.vpcEndpoints)[number]);
    const result = await runOnScenario(vpcEndpointsSource, scenario(world), privateApi());
    const endpoints = result.evidence['ec2.vpc-endpoints']?.endpoints ?? [];
    expect(endpoints.map((e) => [e.vpcEndpointId, e.referencedByApi])).toEqual([
      ['vpce-0a1b2c3d4e5f60001', true],
      ['vpce-second', false],
    ]);
  });

  it('reads every page of endpoints', async () => {
    const world = ec2World();
    for (const n of [2, 3, 4]) world.vpcEndpoints.push({ ...world.vpcEndpoints[0]!, VpcEndpointId: `vpce-extra${n}`, NetworkInterfaceIds: [] } as (typeof world.vpcEndpoints)[number]);
    const result = await runOnScenario(vpcEndpointsSource, { ...scenario(world), pageSize: 1 }, privateApi());
    expect(result.evidence['ec2.vpc-endpoints']?.endpoints.map((e) => e.vpcEndpointId)).toEqual([
      'vpce-0a1b2c3d4e5f60001', 'vpce-extra2', 'vpce-extra3', 'vpce-extra4',
    ]);
  });

  it('is not configured for a private API with no execute-api endpoint at all', async () => {
    const row = rowOf(await runOnScenario(vpcEndpointsSource, scenario(ec2World({ vpcEndpoints: [] })), privateApi([])), 'ec2.vpc-endpoints');
    expect(row.status).toBe('not_configured');
    expect(row.hint).toContain('com.amazonaws.us-east-1.execute-api');
  });

  it('is not applicable to a regional API when no endpoint has private DNS', async () => {
    const world = ec2World();
    world.vpcEndpoints[0]!.PrivateDnsEnabled = false;
    const row = rowOf(await runOnScenario(vpcEndpointsSource, scenario(world), regionalApi), 'ec2.vpc-endpoints');
    expect(row.status).toBe('not_applicable');
    expect(row.reason).toContain('not PRIVATE');
  });

  it('reports private DNS endpoints that can capture calls to a regional API', async () => {
    const result = await runOnScenario(vpcEndpointsSource, scenario(ec2World()), regionalApi);
    const row = rowOf(result, 'ec2.vpc-endpoints');
    expect(row.status).toBe('ok');
    expect(row.reason).toContain('private DNS endpoints can intercept calls to this public API from their VPCs');
    expect(result.evidence['ec2.vpc-endpoints']?.endpoints[0]).toMatchObject({ referencedByApi: false, eniAddresses: ['10.0.1.15'] });
  });

  it.each([
    ['AccessDeniedException', 'access_denied'],
    ['ThrottlingException', 'throttled'],
  ])('classifies %s', async (error, kind) => {
    const row = rowOf(await runOnScenario(vpcEndpointsSource, scenario(ec2World(), { faults: [{ operation: 'ec2:DescribeVpcEndpoints', error }] }), privateApi()), 'ec2.vpc-endpoints');
    expect(row.error?.kind).toBe(kind);
    if (kind === 'access_denied') expect(row.error?.action).toBe('ec2:DescribeVpcEndpoints');
  });

  it('times out on a slow read', async () => {
    const result = await runOnScenario(vpcEndpointsSource, scenario(ec2World(), { faults: [{ operation: 'ec2:DescribeVpcAttribute', latencyMs: 5000 }] }), {
      ...privateApi(),
      sourceTimeoutMs: 200,
    });
    expect(rowOf(result, 'ec2.vpc-endpoints').error?.kind).toBe('timeout');
  });
});
