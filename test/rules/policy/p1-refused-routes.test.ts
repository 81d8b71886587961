import { describe, expect, it } from 'vitest';
import { p1PrivateApiNoAllowingPolicy as rule } from '../../../src/rules/policy/p1-private-api-no-allowing-policy.js';
import { accessRecord, asRegional, healthyInput, repeatRequests } from '../fixtures.js';

describe('P1 per route and caller', () => {
  it('names the routes a GET-only Resource refuses, from the execution-log denials', () => {
    const input = healthyInput();
    input.evidence['apigw.rest-api']!.policy!.Statement[0]!.Resource = 'execute-api:/*/GET/*';
    input.evidence['logs.access'] = [];
    input.evidence['logs.execution']![0]!.lines.push(
      ...repeatRequests(130, ['User: anonymous is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:us-east-1:111111111111:a1b2c3d4e5/prod/POST/orders']),
    );
    const [f] = rule.evaluate(input);
    expect(f?.detail).toContain('POST /orders on prod');
    expect(f?.detail).toContain('vpce-0a1');
    expect(f?.detail).toContain('130 of 130');
  });

  it('evaluates aws:SourceIp on a REGIONAL API for the callers seen', () => {
    const input = asRegional(healthyInput());
    input.evidence['apigw.rest-api']!.policy = { Statement: [{ Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke', Resource: 'execute-api:/*', Condition: { IpAddress: { 'aws:SourceIp': '198.51.100.0/24' } } }] };
    input.evidence['logs.access']![0]!.records = Array.from({ length: 30 }, (_, i) => accessRecord({ requestId: `x-${i}`, ip: '203.0.113.9', status: 403 }, { responseType: 'ACCESS_DENIED' }));
    const [f] = rule.evaluate(input);
    expect(f?.detail).toContain('203.0.113.9');
    expect(f?.severity).toBe('critical');
  });

  it('stays silent when the policy refuses a route nobody had trouble with (near miss)', () => {
    const input = healthyInput();
    input.evidence['apigw.rest-api']!.policy!.Statement[0]!.Resource = 'execute-api:/*/POST/*';
    // Traffic succeeds: the policy edit is not deployed (P3), not a refusal.
    expect(rule.evaluate(input)).toEqual([]);
  });
});
