import { createSandboxEnvironment } from '../../src/sandbox/environment.js';
import { parseScenario } from '../../src/sandbox/load.js';

export const HOME = '111111111111';
export const OTHER = '222222222222';
export const NOW = '2024-05-01T12:00:00Z';
export const NOW_MS = Date.parse(NOW);

/** A small account with one of everything; tests override what they exercise. */
export function baseScenario(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'fixture',
    description: 'test fixture',
    apiId: 'a1b2c3d4e5',
    stage: 'prod',
    now: NOW,
    accounts: [
      {
        accountId: HOME,
        alias: 'home',
        apigateway: {
          account: { cloudwatchRoleArn: `arn:aws:iam::${HOME}:role/apigw-cw` },
          restApis: [
            {
              id: 'a1b2c3d4e5',
              name: 'shop',
              endpointConfiguration: { types: ['PRIVATE'], vpcEndpointIds: ['vpce-0aaa'] },
              policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke', Resource: '*' }] },
              stages: [
                {
                  stageName: 'prod',
                  deploymentId: 'dep1',
                  methodSettings: { '*/*': { loggingLevel: 'INFO' } },
                  accessLogSettings: { destinationArn: `arn:aws:logs:us-east-1:${HOME}:log-group:access`, format: 'JSON' },
                },
                { stageName: 'dev', deploymentId: 'dep2' },
              ],
              deployments: [
                { id: 'dep1', createdDate: '2024-04-30T10:00:00Z' },
                { id: 'dep2', createdDate: 1714464000000 },
              ],
              resources: [
                {
                  path: '/users',
                  resourceMethods: {
                    GET: {
                      authorizationType: 'NONE',
                      methodIntegration: {
                        type: 'AWS_PROXY',
                        uri: `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:${HOME}:function:users/invocations`,
                      },
                    },
                  },
                },
              ],
              authorizers: [{ id: 'auth01', name: 'jwt', type: 'TOKEN' }],
              gatewayResponses: [{ responseType: 'DEFAULT_4XX', statusCode: '400' }],
            },
          ],
          domainNames: [{ domainName: 'api.example.com', regionalDomainName: 'd-1.execute-api.us-east-1.amazonaws.com', basePathMappings: [{ restApiId: 'a1b2c3d4e5', stage: 'prod' }] }],
          usagePlans: [{ id: 'up1', name: 'basic', apiStages: [{ apiId: 'a1b2c3d4e5', stage: 'prod' }] }],
        },
        logs: { groups: [{ logGroupName: 'app', events: [] }] },
        cloudtrail: { events: [] },
        ec2: {
          vpcs: [{ VpcId: 'vpc-1', CidrBlock: '10.0.0.0/16', enableDnsHostnames: false }],
          vpcEndpoints: [
            { VpcEndpointId: 'vpce-0aaa', VpcId: 'vpc-1', ServiceName: 'com.amazonaws.us-east-1.execute-api', PrivateDnsEnabled: true, Groups: [{ GroupId: 'sg-1' }], NetworkInterfaceIds: ['eni-1'] },
            { VpcEndpointId: 'vpce-0bbb', VpcId: 'vpc-2', ServiceName: 'com.amazonaws.us-east-1.s3' },
          ],
          securityGroups: [
            { GroupId: 'sg-1', GroupName: 'endpoint', VpcId: 'vpc-1', IpPermissions: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '10.0.0.0/16' }] }] },
            { GroupId: 'sg-2', GroupName: 'other', VpcId: 'vpc-2' },
          ],
          networkInterfaces: [
            { NetworkInterfaceId: 'eni-1', PrivateIpAddress: '10.0.1.10', VpcId: 'vpc-1', Groups: [{ GroupId: 'sg-1' }], InterfaceType: 'vpc_endpoint' },
            { NetworkInterfaceId: 'eni-2', PrivateIpAddress: '10.0.2.10', VpcId: 'vpc-2', Groups: [{ GroupId: 'sg-2' }] },
          ],
          flowLogs: [{ FlowLogId: 'fl-1', ResourceId: 'vpc-1', LogGroupName: 'flow' }],
        },
        lambda: {
          functions: [
            { FunctionName: 'users', Timeout: 10, policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'apigateway.amazonaws.com' } }] }, reservedConcurrency: 5 },
            { FunctionName: 'nopolicy' },
          ],
        },
        wafv2: { webAcls: [{ Name: 'edge', Id: 'acl-1', DefaultAction: { Allow: {} }, Rules: [{ Name: 'rate', Priority: 1 }] }] },
      },
      { accountId: OTHER, alias: 'shared', roleArn: `arn:aws:iam::${OTHER}:role/firebreak`, lambda: { functions: [{ FunctionName: 'remote' }] } },
    ],
    ...overrides,
  };
}

export function environmentFor(data: Record<string, unknown>, latencyMs?: number) {
  const scenario = parseScenario(data, 'test');
  return createSandboxEnvironment(scenario, latencyMs === undefined ? {} : { latencyMs });
}

/** Log group with `count` events one minute apart, ending at the scenario clock. */
export function logGroup(name: string, count: number, message = (i: number) => `line ${i}`) {
  return {
    logGroupName: name,
    events: Array.from({ length: count }, (_, i) => ({ timestamp: NOW_MS - (count - i) * 60_000, message: message(i) })),
  };
}
