import { LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { DescribeFlowLogsCommand, DescribeVpcsCommand } from '@aws-sdk/client-ec2';
import { GetRestApiCommand } from '@aws-sdk/client-api-gateway';
import { describe, expect, it } from 'vitest';
import { callScope } from '../../src/aws/call-context.js';
import { classifyError } from '../../src/aws/errors.js';
import { parseScenario } from '../../src/sandbox/load.js';
import { createSandboxTransport } from '../../src/sandbox/transport.js';
import { baseScenario, environmentFor, HOME, OTHER } from './fixture.js';

describe('sandbox faults', () => {
  it('refuses a call with AWS-worded AccessDenied, classified access_denied with its IAM action', async () => {
    const env = environmentFor(baseScenario({ faults: [{ operation: 'cloudtrail:LookupEvents', error: 'AccessDeniedException' }] }));
    const err = await env.factory.forAccount().cloudtrail.send(new LookupEventsCommand({})).catch((e: unknown) => e as Error);
    expect(err).toMatchObject({ name: 'AccessDeniedException', $fault: 'client', $metadata: { httpStatusCode: 400 } });
    expect((err as Error).message).toBe(
      `User: arn:aws:sts::${HOME}:assumed-role/firebreak/sandbox is not authorized to perform: cloudtrail:LookupEvents because no identity-based policy allows the cloudtrail:LookupEvents action`,
    );
    expect(classifyError(err)).toMatchObject({ kind: 'access_denied', action: 'cloudtrail:LookupEvents' });
  });

  it('retries throttling like AWS: succeeds when times is below the SDK attempts', async () => {
    const env = environmentFor(baseScenario({ faults: [{ operation: 'ec2:DescribeFlowLogs', error: 'ThrottlingException', times: 2 }] }));
    const out = await env.factory.forAccount().ec2.send(new DescribeFlowLogsCommand({}));
    expect(out.FlowLogs?.length).toBe(1);
    expect(out.$metadata.attempts).toBe(3);
  });

  it('gives up after the SDK attempts when throttling persists, classified throttled', async () => {
    const env = environmentFor(baseScenario({ faults: [{ operation: 'ec2:*', error: 'ThrottlingException', times: 10 }] }));
    const err = await env.factory.forAccount().ec2.send(new DescribeFlowLogsCommand({})).catch((e: unknown) => e);
    expect(classifyError(err).kind).toBe('throttled');
    expect((err as { $metadata: { attempts: number } }).$metadata.attempts).toBe(3);
    // The wildcard matched DescribeVpcs too, and the fault is still active (10 > 3 + 3 uses).
    await expect(env.factory.forAccount().ec2.send(new DescribeVpcsCommand({}))).rejects.toMatchObject({ name: 'ThrottlingException' });
  });

  it('scopes a fault to one account', async () => {
    const transport = createSandboxTransport(parseScenario(baseScenario({ faults: [{ operation: 'sts:GetCallerIdentity', account: OTHER, error: 'AccessDenied' }] }), 'test'));
    const request = { service: 'sts' as const, operation: 'GetCallerIdentity', input: {}, region: 'us-east-1' };
    await expect(transport({ ...request, accountId: HOME })).resolves.toMatchObject({ Account: HOME });
    await expect(transport({ ...request, accountId: OTHER })).rejects.toMatchObject({ name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });
  });

  it('adds latency (scenario, fault and override) and stops early when the signal aborts', async () => {
    const scenario = parseScenario(baseScenario({ latencyMs: 60_000 }), 'test');
    const transport = createSandboxTransport(scenario);
    const controller = new AbortController();
    const call = transport({ service: 'sts', operation: 'GetCallerIdentity', input: {}, accountId: HOME, region: 'us-east-1', signal: controller.signal });
    controller.abort('source timeout');
    await expect(call).rejects.toMatchObject({ name: 'AbortError' });

    // The override replaces the scenario's latency: this call answers instead of waiting a minute.
    const quick = createSandboxTransport(scenario, { latencyMs: 0 });
    await expect(quick({ service: 'sts', operation: 'GetCallerIdentity', input: {}, accountId: HOME, region: 'us-east-1' })).resolves.toMatchObject({ Account: HOME });
  });

  it('turns fault latency beyond a source deadline into a timeout through the real clients', async () => {
    const env = environmentFor(baseScenario({ faults: [{ operation: 'apigateway:GetRestApi', latencyMs: 60_000 }] }));
    const controller = new AbortController();
    const call = callScope.run({ sourceId: 'test', calls: [], signal: controller.signal }, () => env.factory.forAccount().apigateway.send(new GetRestApiCommand({ restApiId: 'a1b2c3d4e5' })));
    setTimeout(() => controller.abort('deadline'), 20);
    const err = await call.catch((e: unknown) => e);
    expect(classifyError(err).kind).toBe('timeout');
  });
});
