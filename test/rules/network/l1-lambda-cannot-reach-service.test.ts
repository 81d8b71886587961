import { describe, expect, it } from 'vitest';
import type { LambdaNetworkReachEvidence } from '../../../src/core/evidence.js';
import { l1LambdaCannotReachService as rule, servicesInErrors } from '../../../src/rules/network/l1-lambda-cannot-reach-service.js';
import { healthyInput } from '../fixtures.js';

function reach(overrides: Partial<LambdaNetworkReachEvidence> = {}): LambdaNetworkReachEvidence {
  return {
    functionName: 'orders',
    vpcId: 'vpc-1',
    securityGroupIds: ['sg-fn'],
    subnets: [{ subnetId: 'subnet-1', routeTableId: 'rtb-1', natRoute: false, internetGatewayOnly: false, gatewayEndpointIds: [] }],
    endpoints: [{ vpcEndpointId: 'vpce-0a1', service: 'execute-api', type: 'Interface', state: 'available', privateDnsEnabled: true, subnetIds: ['subnet-1'], securityGroupIds: ['sg-1'], admitsFunction: true }],
    servicesFromEnvironment: ['secretsmanager'],
    ...overrides,
  };
}

// botocore's ConnectTimeoutError text, as a Python function in a VPC without a route logs it.
const TIMEOUT_LINE = '[ERROR] ConnectTimeoutError: Connect timeout on endpoint URL: "https://sts.us-east-1.amazonaws.com/"';

describe('L1.lambda-cannot-reach-service', () => {
  it('fires high when the logs show calls to a service with no NAT route and no endpoint', () => {
    const input = healthyInput();
    input.evidence['lambda.network-reach'] = [reach()];
    input.evidence['logs.lambda']![0] = { functionName: 'orders', logGroup: '/aws/lambda/orders', errors: 3, timeouts: 0, throttles: 0, lines: [{ timestamp: 1, message: TIMEOUT_LINE }] };
    const [f] = rule.evaluate(input);
    expect(f).toMatchObject({ severity: 'high' });
    expect(f?.detail).toContain('sts');
    expect(f?.detail).toContain('secretsmanager');
  });

  it('is only a low lead when the configuration alone names the service', () => {
    const input = healthyInput();
    input.evidence['lambda.network-reach'] = [reach()];
    expect(rule.evaluate(input)[0]).toMatchObject({ severity: 'low' });
  });

  it('names an endpoint with private DNS off', () => {
    const input = healthyInput();
    input.evidence['lambda.network-reach'] = [reach({ endpoints: [{ vpcEndpointId: 'vpce-sm', service: 'secretsmanager', type: 'Interface', state: 'available', privateDnsEnabled: false, subnetIds: [], securityGroupIds: [] }] })];
    expect(rule.evaluate(input)[0]?.detail).toContain('private DNS off');
  });

  it('stays silent with a NAT route or a usable endpoint (near miss)', () => {
    const input = healthyInput();
    input.evidence['lambda.network-reach'] = [reach({ subnets: [{ subnetId: 'subnet-1', natRoute: true, internetGatewayOnly: false, gatewayEndpointIds: [] }] })];
    expect(rule.evaluate(input)).toEqual([]);
    input.evidence['lambda.network-reach'] = [reach({ endpoints: [{ vpcEndpointId: 'vpce-sm', service: 'secretsmanager', type: 'Interface', state: 'available', privateDnsEnabled: true, subnetIds: [], securityGroupIds: [], admitsFunction: true }] })];
    expect(rule.evaluate(input)).toEqual([]);
  });

  it('reads service names from failing SDK hostnames only', () => {
    expect([...servicesInErrors([{ message: TIMEOUT_LINE }, { message: 'INFO calling https://dynamodb.us-east-1.amazonaws.com ok' }]).keys()]).toEqual(['sts']);
  });
});
