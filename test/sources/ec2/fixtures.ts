import type { RestApiEvidence, VpcEndpointEvidence } from '../../../src/core/evidence.js';

export const API = 'a1b2c3d4e5';
export const HOME = '111111111111';
export const SERVICE = 'com.amazonaws.us-east-1.execute-api';

export function restApi(types: string[], vpcEndpointIds: string[] = []): RestApiEvidence {
  return { id: API, name: 'orders', endpointTypes: types, vpcEndpointIds, policy: null, disableExecuteApiEndpoint: false };
}

export function endpointEvidence(extra: Partial<VpcEndpointEvidence> = {}): VpcEndpointEvidence {
  return {
    vpcEndpointId: 'vpce-0a1b2c3d4e5f60001', vpcId: 'vpc-1', serviceName: SERVICE, state: 'available', privateDnsEnabled: true,
    securityGroupIds: ['sg-1'], subnetIds: ['subnet-1'], networkInterfaceIds: ['eni-1'], eniAddresses: ['10.0.1.15'],
    policyDocument: null, referencedByApi: true, ...extra,
  };
}

/** A VPC with one execute-api endpoint (private DNS), its group, its ENI. */
export function ec2World(extra: Record<string, unknown> = {}) {
  return {
    vpcs: [{ VpcId: 'vpc-1', CidrBlock: '10.0.0.0/16', enableDnsSupport: true, enableDnsHostnames: false }],
    vpcEndpoints: [
      {
        VpcEndpointId: 'vpce-0a1b2c3d4e5f60001', VpcEndpointType: 'Interface', VpcId: 'vpc-1', ServiceName: SERVICE, State: 'available', PrivateDnsEnabled: true,
        Groups: [{ GroupId: 'sg-1', GroupName: 'vpce' }], SubnetIds: ['subnet-1'], NetworkInterfaceIds: ['eni-1'],
        PolicyDocument: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"*"}]}',
      },
      { VpcEndpointId: 'vpce-s3', VpcEndpointType: 'Gateway', VpcId: 'vpc-1', ServiceName: 'com.amazonaws.us-east-1.s3', State: 'available' },
    ],
    securityGroups: [
      { GroupId: 'sg-1', GroupName: 'vpce', VpcId: 'vpc-1', IpPermissions: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '10.0.0.0/16' }] }] },
    ],
    networkInterfaces: [{ NetworkInterfaceId: 'eni-1', PrivateIpAddress: '10.0.1.15', VpcId: 'vpc-1', SubnetId: 'subnet-1' }],
    ...extra,
  };
}

export function scenario(ec2: Record<string, unknown>, extra: { faults?: unknown[]; logs?: unknown[] } = {}) {
  return {
    name: 'ec2', apiId: API, now: '2026-11-20T10:00:00Z',
    accounts: [{ accountId: HOME, ec2, logs: { groups: extra.logs ?? [] } }],
    faults: extra.faults ?? [],
  };
}
