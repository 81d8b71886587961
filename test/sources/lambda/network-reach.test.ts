import { describe, expect, it } from 'vitest';
import type { LambdaFunctionEvidence, LambdaNetworkReachEvidence } from '../../../src/core/evidence.js';
import { lambdaNetworkReachSource, servicesFromEnvironment } from '../../../src/sources/lambda/network-reach.js';
import { rowOf, runOnScenario } from '../../support/run-source.js';
import { stubSource } from '../../support/stub-sources.js';

const HOME = '111111111111';
const fn = (vpc: boolean): LambdaFunctionEvidence => ({
  functionArn: `arn:aws:lambda:us-east-1:${HOME}:function:orders`,
  functionName: 'orders',
  accountId: HOME,
  region: 'us-east-1',
  usedBy: ['integration'],
  layers: [],
  ...(vpc ? { vpcConfig: { subnetIds: ['subnet-a'], securityGroupIds: ['sg-fn'] } } : {}),
});

function scenario(routes: unknown[], endpoints: unknown[] = []) {
  return {
    name: 'reach',
    apiId: 'a1b2c3d4e5',
    now: '2026-11-20T10:00:00Z',
    accounts: [
      {
        accountId: HOME,
        lambda: { functions: [{ FunctionName: 'orders', Environment: { Variables: { SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:111111111111:secret:db-AbCdEf', API_KEY: 'not-kept' } }, VpcConfig: { SubnetIds: ['subnet-a'], SecurityGroupIds: ['sg-fn'] } }] },
        ec2: {
          subnets: [{ SubnetId: 'subnet-a', VpcId: 'vpc-1', CidrBlock: '10.0.1.0/24' }],
          routeTables: [{ RouteTableId: 'rtb-1', VpcId: 'vpc-1', Associations: [{ SubnetId: 'subnet-a' }], Routes: [{ DestinationCidrBlock: '10.0.0.0/16', GatewayId: 'local' }, ...routes] }],
          vpcEndpoints: endpoints,
          securityGroups: [{ GroupId: 'sg-ep', VpcId: 'vpc-1', IpPermissions: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, UserIdGroupPairs: [{ GroupId: 'sg-fn' }] }] }],
        },
      },
    ],
  };
}

describe('lambda.network-reach', () => {
  it('reads the subnet routes, the VPC endpoints and the services the configuration names (not its values)', async () => {
    const result = await runOnScenario(
      lambdaNetworkReachSource,
      scenario([], [{ VpcEndpointId: 'vpce-sts', VpcEndpointType: 'Interface', VpcId: 'vpc-1', ServiceName: 'com.amazonaws.us-east-1.sts', State: 'available', PrivateDnsEnabled: true, Groups: [{ GroupId: 'sg-ep' }] }]),
      { before: [stubSource('lambda.functions', [fn(true)])] },
    );
    const row = rowOf(result, 'lambda.network-reach');
    expect(row.status).toBe('ok');
    expect(row.calls).toEqual(expect.arrayContaining(['ec2:DescribeRouteTables', 'ec2:DescribeSubnets', 'ec2:DescribeVpcEndpoints', 'lambda:GetFunctionConfiguration']));
    const [reach] = result.evidence['lambda.network-reach'] as LambdaNetworkReachEvidence[];
    expect(reach).toMatchObject({ vpcId: 'vpc-1', servicesFromEnvironment: ['secretsmanager'], subnets: [{ subnetId: 'subnet-a', routeTableId: 'rtb-1', natRoute: false }] });
    expect(reach?.endpoints[0]).toMatchObject({ service: 'sts', privateDnsEnabled: true, admitsFunction: true });
    expect(JSON.stringify(reach)).not.toContain('not-kept');
  });

  it('sees a NAT route', async () => {
    const result = await runOnScenario(lambdaNetworkReachSource, scenario([{ DestinationCidrBlock: '0.0.0.0/0', NatGatewayId: 'nat-1' }]), { before: [stubSource('lambda.functions', [fn(true)])] });
    expect((result.evidence['lambda.network-reach'] as LambdaNetworkReachEvidence[])[0]?.subnets[0]?.natRoute).toBe(true);
  });

  it('is not applicable when no function is in a VPC', async () => {
    const result = await runOnScenario(lambdaNetworkReachSource, scenario([]), { before: [stubSource('lambda.functions', [fn(false)])] });
    expect(rowOf(result, 'lambda.network-reach').status).toBe('not_applicable');
  });

  it('reports a refused read as an error row naming the action', async () => {
    const data = { ...scenario([]), faults: [{ operation: 'ec2:DescribeRouteTables', error: 'UnauthorizedOperation' }] };
    const row = rowOf(await runOnScenario(lambdaNetworkReachSource, data, { before: [stubSource('lambda.functions', [fn(true)])] }), 'lambda.network-reach');
    expect(row.status).toBe('error');
    expect(row.error).toMatchObject({ kind: 'access_denied', action: 'ec2:DescribeRouteTables' });
  });

  it('maps environment names and ARNs to services', () => {
    expect(servicesFromEnvironment({ ORDERS_TABLE: 'orders', PRICING_FUNCTION: 'pricing', QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/1/q' })).toEqual(['dynamodb', 'lambda', 'sqs']);
  });
});
