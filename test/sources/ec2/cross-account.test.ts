import { describe, expect, it } from 'vitest';
import type { RestApiEvidence } from '../../../src/core/evidence.js';
import { accountsInPolicy } from '../../../src/sources/accounts.js';
import { flowLogsSource } from '../../../src/sources/ec2/flow-logs.js';
import { securityGroupsSource } from '../../../src/sources/ec2/security-groups.js';
import { vpcEndpointsSource } from '../../../src/sources/ec2/vpc-endpoints.js';
import { rowOf, runOnScenario } from '../../support/run-source.js';
import { stubSource } from '../../support/stub-sources.js';
import { ec2World, HOME, restApi } from './fixtures.js';

/**
 * A cross-account private API: the API and its endpoint in the home account, a consumer's
 * endpoint in another account. Endpoints are looked up wherever the API or its policy names
 * them; an account without a role leaves its endpoint "unknown", never "missing".
 */
const CONSUMER = '222222222222';
const HOME_VPCE = 'vpce-0a1b2c3d4e5f60001';
const CONSUMER_VPCE = 'vpce-0c0c0c0c0c0c00002';

function consumerWorld(sgCidr = '10.9.0.0/16') {
  return {
    vpcs: [{ VpcId: 'vpc-9', CidrBlock: '10.9.0.0/16' }],
    vpcEndpoints: [
      {
        VpcEndpointId: CONSUMER_VPCE, VpcEndpointType: 'Interface', VpcId: 'vpc-9', ServiceName: 'com.amazonaws.us-east-1.execute-api', State: 'available', PrivateDnsEnabled: true,
        Groups: [{ GroupId: 'sg-9' }], SubnetIds: ['subnet-9'], NetworkInterfaceIds: ['eni-9'],
      },
    ],
    securityGroups: [{ GroupId: 'sg-9', VpcId: 'vpc-9', IpPermissions: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: sgCidr }] }] }],
    networkInterfaces: [{ NetworkInterfaceId: 'eni-9', PrivateIpAddress: '10.9.1.9', VpcId: 'vpc-9', SubnetId: 'subnet-9' }],
    flowLogs: [{ FlowLogId: 'fl-9', ResourceId: 'vpc-9', LogGroupName: 'consumer-flow' }],
  };
}

function world(consumer: { role: boolean }) {
  return {
    name: 'xacct', apiId: 'a1b2c3d4e5', now: '2026-11-20T10:00:00Z',
    accounts: [
      { accountId: HOME, ec2: ec2World() },
      { accountId: CONSUMER, ...(consumer.role ? { roleArn: `arn:aws:iam::${CONSUMER}:role/firebreak` } : {}), ec2: consumerWorld(), logs: { groups: [{ logGroupName: 'consumer-flow', events: [] }] } },
    ],
  };
}

function api(policyIds: string[], apiIds = [HOME_VPCE]): RestApiEvidence {
  return {
    ...restApi(['PRIVATE'], apiIds),
    policy: {
      Statement: [
        { Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke', Resource: 'execute-api:/*' },
        { Effect: 'Deny', Principal: '*', Action: 'execute-api:Invoke', Resource: 'execute-api:/*', Condition: { StringNotEquals: { 'aws:SourceVpce': policyIds } } },
      ],
    },
  };
}

const withApi = (evidence: RestApiEvidence) => ({ before: [stubSource('apigw.rest-api', evidence)] });

describe('endpoints across accounts', () => {
  it('finds a consumer endpoint named only in the resource policy, in its own account, through its role', async () => {
    const result = await runOnScenario(vpcEndpointsSource, world({ role: true }), withApi(api([HOME_VPCE, CONSUMER_VPCE])));
    const evidence = result.evidence['ec2.vpc-endpoints'];
    expect(evidence?.endpoints.map((e) => [e.vpcEndpointId, e.accountId])).toEqual(expect.arrayContaining([[HOME_VPCE, HOME], [CONSUMER_VPCE, CONSUMER]]));
    expect(evidence?.lookups).toEqual(expect.arrayContaining([expect.objectContaining({ vpcEndpointId: CONSUMER_VPCE, status: 'found', accountId: CONSUMER, namedBy: ['policy'] })]));
    expect(evidence?.vpcs.map((v) => [v.vpcId, v.accountId])).toEqual(expect.arrayContaining([['vpc-9', CONSUMER]]));
    expect(rowOf(result, 'ec2.vpc-endpoints').reason).toContain(`${CONSUMER}: 1 endpoint`);
  });

  it('calls an endpoint of an account without a role unknown, never missing, and names the account', async () => {
    const result = await runOnScenario(vpcEndpointsSource, world({ role: false }), withApi(api([HOME_VPCE, CONSUMER_VPCE], [HOME_VPCE, CONSUMER_VPCE])));
    const evidence = result.evidence['ec2.vpc-endpoints'];
    expect(evidence?.lookups?.find((l) => l.vpcEndpointId === CONSUMER_VPCE)).toMatchObject({ status: 'unknown' });
    expect(evidence?.endpoints.some((e) => e.missing)).toBe(false);
    expect(evidence?.accounts).toEqual(expect.arrayContaining([expect.objectContaining({ accountId: CONSUMER, status: 'no_role' })]));
    const row = rowOf(result, 'ec2.vpc-endpoints');
    expect(row.status).toBe('ok');
    expect(row.reason).toContain(`no role for account ${CONSUMER}`);
  });

  it('calls an id missing only when every account involved was read', async () => {
    const result = await runOnScenario(vpcEndpointsSource, world({ role: true }), withApi(api([HOME_VPCE, 'vpce-0dead0000000000'])));
    expect(result.evidence['ec2.vpc-endpoints']?.lookups?.find((l) => l.vpcEndpointId === 'vpce-0dead0000000000')).toMatchObject({ status: 'missing' });
  });

  it('is not_configured, naming the account and where it was seen, when nothing could be read', async () => {
    const data = world({ role: false });
    data.accounts[0]!.ec2 = { ...ec2World(), vpcEndpoints: [] };
    const evidence = api([CONSUMER_VPCE], [CONSUMER_VPCE]);
    evidence.policy!.Statement[0]!.Condition = { StringEquals: { 'aws:SourceAccount': CONSUMER } };
    const row = rowOf(await runOnScenario(vpcEndpointsSource, data, withApi(evidence)), 'ec2.vpc-endpoints');
    expect(row.status).toBe('not_configured');
    expect(row.reason).toMatch(new RegExp(`no role for account ${CONSUMER} \\(seen in .*the resource policy`));
    expect(row.hint).toContain(CONSUMER);
  });

  it('reads the consumer endpoint\u2019s security group and flow logs in the consumer account', async () => {
    const data = world({ role: true });
    (data.accounts[1]!.ec2 as ReturnType<typeof consumerWorld>).securityGroups[0]!.IpPermissions[0]!.IpRanges = [{ CidrIp: '192.168.0.0/24' }];
    const endpoints = await runOnScenario(vpcEndpointsSource, data, withApi(api([HOME_VPCE, CONSUMER_VPCE])));
    const before = [stubSource('apigw.rest-api', api([HOME_VPCE, CONSUMER_VPCE])), stubSource('ec2.vpc-endpoints', endpoints.evidence['ec2.vpc-endpoints']!)];
    const groups = await runOnScenario(securityGroupsSource, data, { before });
    expect(groups.evidence['ec2.security-groups']?.find((g) => g.groupId === 'sg-9')).toMatchObject({ accountId: CONSUMER, https: [expect.objectContaining({ cidrs: ['192.168.0.0/24'] })] });
    const flows = await runOnScenario(flowLogsSource, data, { before });
    expect(flows.evidence['ec2.flow-logs']?.flowLogs.map((f) => f.flowLogId)).toContain('fl-9');
  });
});

describe('accounts named by a policy', () => {
  it('reads AWS principals and account-valued condition keys', () => {
    expect(
      accountsInPolicy({
        Statement: [
          { Effect: 'Allow', Principal: { AWS: ['arn:aws:iam::333333333333:root', '444444444444'] }, Action: 'execute-api:Invoke' },
          { Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke', Condition: { StringEquals: { 'aws:SourceAccount': '555555555555' }, ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::666666666666:role/x' } } },
        ],
      }).sort(),
    ).toEqual(['333333333333', '444444444444', '555555555555', '666666666666']);
  });
});
