import { CreateDeploymentCommand, GetRestApiCommand } from '@aws-sdk/client-api-gateway';
import { AuthorizeSecurityGroupIngressCommand } from '@aws-sdk/client-ec2';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { describe, expect, it } from 'vitest';
import { ClientFactory, type TransportRequest } from '../../src/aws/clients.js';
import { ReadOnlyViolationError } from '../../src/aws/errors.js';

function sandboxClients() {
  const seen: TransportRequest[] = [];
  const factory = new ClientFactory({
    region: 'us-east-1',
    homeAccountId: '111111111111',
    maxAttempts: 1,
    transport: async (request) => {
      seen.push(request);
      return { id: 'abcdefghij', name: 'orders' };
    },
  });
  return { clients: factory.forAccount(), seen };
}

describe('client guard', () => {
  it('refuses API Gateway CreateDeployment before it reaches the transport', async () => {
    const { clients, seen } = sandboxClients();
    const call = clients.apigateway.send(new CreateDeploymentCommand({ restApiId: 'abcdefghij', stageName: 'prod' }));
    await expect(call).rejects.toBeInstanceOf(ReadOnlyViolationError);
    await expect(call).rejects.toThrow(/apigateway:CreateDeployment/);
    expect(seen).toEqual([]);
  });

  it('refuses EC2 AuthorizeSecurityGroupIngress before it reaches the transport', async () => {
    const { clients, seen } = sandboxClients();
    const call = clients.ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: 'sg-0123456789abcdef0' }));
    await expect(call).rejects.toBeInstanceOf(ReadOnlyViolationError);
    expect(seen).toEqual([]);
  });

  it('refuses Lambda Invoke before it reaches the transport', async () => {
    const { clients, seen } = sandboxClients();
    await expect(clients.lambda.send(new InvokeCommand({ FunctionName: 'orders' }))).rejects.toBeInstanceOf(ReadOnlyViolationError);
    expect(seen).toEqual([]);
  });

  it('lets a listed read through to the transport', async () => {
    const { clients, seen } = sandboxClients();
    const output = await clients.apigateway.send(new GetRestApiCommand({ restApiId: 'abcdefghij' }));
    expect(output.name).toBe('orders');
    expect(seen.map((r) => `${r.service}:${r.operation}`)).toEqual(['apigateway:GetRestApi']);
  });
});
