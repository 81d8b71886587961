import { describe, expect, it } from 'vitest';
import { accessLogsOff } from '../../../src/rules/blind-spots/access-logs-off.js';
import { cloudtrailRefused } from '../../../src/rules/blind-spots/cloudtrail-refused.js';
import { cloudwatchRoleMissing } from '../../../src/rules/blind-spots/cloudwatch-role-missing.js';
import { executionLoggingOff } from '../../../src/rules/blind-spots/execution-logging-off.js';
import { flowLogsOff } from '../../../src/rules/blind-spots/flow-logs-off.js';
import { asRegional, failSource, healthyInput, setStatus } from '../fixtures.js';

describe('blind spots', () => {
  it('B.execution-logging-off says what OFF hides', () => {
    const input = healthyInput();
    input.evidence['apigw.stages']![0]!.loggingLevel = 'OFF';
    const [f] = executionLoggingOff.evaluate(input);
    expect(f?.detail).toContain('I1–I6');
    expect(f?.fix).toContain('--stage-name prod');
    expect(executionLoggingOff.evaluate(healthyInput())).toEqual([]);
  });

  it('B.cloudwatch-role-missing fires without a role, not with one', () => {
    const input = healthyInput();
    delete input.evidence['apigw.account']!.cloudwatchRoleArn;
    expect(cloudwatchRoleMissing.evaluate(input)[0]?.evidence[0]?.quote).toBe('cloudwatchRoleArn: none in us-east-1');
    expect(cloudwatchRoleMissing.evaluate(healthyInput())).toEqual([]);
  });

  it('B.access-logs-off fires per stage without a destination', () => {
    const input = healthyInput();
    delete input.evidence['apigw.stages']![0]!.accessLog;
    expect(accessLogsOff.evaluate(input)[0]?.evidence[0]?.quote).toBe('prod accessLogSettings: none');
    expect(accessLogsOff.evaluate(healthyInput())).toEqual([]);
  });

  it('B.flow-logs-off fires for a private API only', () => {
    const input = setStatus(healthyInput(), 'ec2.flow-logs', 'not_configured', 'no flow logs on vpc-1');
    expect(flowLogsOff.evaluate(input)[0]?.evidence[0]?.quote).toBe('no flow logs on vpc-1');
    expect(flowLogsOff.evaluate(asRegional(healthyInput()))).toEqual([]);
    expect(flowLogsOff.evaluate(healthyInput())).toEqual([]);
  });

  it('B.cloudtrail-refused names the refused action', () => {
    const input = failSource(healthyInput(), 'cloudtrail.denies', { kind: 'access_denied', message: 'no', action: 'cloudtrail:LookupEvents' });
    const [f] = cloudtrailRefused.evaluate(input);
    expect(f?.detail).toContain('refused (cloudtrail:LookupEvents)');
    expect(f?.detail).toContain('SCP denies');
    expect(cloudtrailRefused.evaluate(healthyInput())).toEqual([]);
  });
});

describe('B.flow-logs-off needs an endpoint', () => {
  it('stays silent for a private API without any VPC endpoint (N5 says that)', () => {
    const input = setStatus(healthyInput(), 'ec2.flow-logs', 'not_applicable', 'no VPC endpoint whose traffic to check');
    input.evidence['ec2.flow-logs'] = { flowLogs: [], rejects: [] };
    input.evidence['ec2.vpc-endpoints'] = { endpoints: [], vpcs: [] };
    expect(flowLogsOff.evaluate(input)).toEqual([]);
    const missingOnly = setStatus(healthyInput(), 'ec2.flow-logs', 'not_configured', 'no flow logs');
    missingOnly.evidence['ec2.vpc-endpoints']!.endpoints = missingOnly.evidence['ec2.vpc-endpoints']!.endpoints.map((e) => ({ ...e, missing: true }));
    expect(flowLogsOff.evaluate(missingOnly)).toEqual([]);
  });
});
