import { describe, expect, it } from 'vitest';
import { p2PolicyStaleVpce as rule } from '../../../src/rules/policy/p2-policy-stale-vpce.js';
import { failSource, healthyInput } from '../fixtures.js';

function withDeny(vpce: string | string[]) {
  const input = healthyInput();
  input.evidence['apigw.rest-api']!.policy!.Statement.push({
    Sid: 'DenyOthers',
    Effect: 'Deny',
    Principal: '*',
    Action: 'execute-api:Invoke',
    Resource: 'execute-api:/*',
    Condition: { StringNotEquals: { 'aws:SourceVpce': vpce } },
  });
  return input;
}

describe('P2.policy-stale-vpce', () => {
  it('fires critical when a StringNotEquals Deny names a deleted endpoint', () => {
    const [f] = rule.evaluate(withDeny('vpce-0old'));
    expect(f).toMatchObject({ severity: 'critical', evidence: [{ quote: 'Deny DenyOthers aws:SourceVpce vpce-0old' }] });
    expect(f?.fix).toContain('vpce-0a1');
  });

  it('does not fire when the Deny names the current endpoint (near miss)', () => {
    expect(rule.evaluate(withDeny('vpce-0a1'))).toEqual([]);
  });

  it('is low when the stale id sits next to the current endpoint in the StringNotEquals list (the current one is not denied)', () => {
    const [f] = rule.evaluate(withDeny(['vpce-0a1', 'vpce-0old']));
    expect(f).toMatchObject({ severity: 'low' });
    expect(f?.detail).toContain('are in its list and are not denied');
  });

  it('calls an id in an account that could not be read unknown: a low "cannot rule out", never "does not exist"', () => {
    const input = withDeny(['vpce-0a1', 'vpce-0consumer']);
    input.evidence['ec2.vpc-endpoints']!.lookups = [
      { vpcEndpointId: 'vpce-0a1', status: 'found', namedBy: ['api', 'policy'], accountId: '111111111111' },
      { vpcEndpointId: 'vpce-0consumer', status: 'unknown', namedBy: ['policy'], reason: 'not found in account 111111111111; no role for account 222222222222 (seen in the resource policy)' },
    ];
    const findings = rule.evaluate(input);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ severity: 'low', inconclusive: true });
    expect(findings[0]?.detail).toContain('no role for account 222222222222');
  });

  it('fires for an unknown id when CloudTrail shows it deleted', () => {
    const input = withDeny('vpce-0old');
    input.evidence['ec2.vpc-endpoints']!.lookups = [{ vpcEndpointId: 'vpce-0old', status: 'unknown', namedBy: ['policy'], reason: 'no role for account 222222222222' }];
    input.evidence['cloudtrail.changes']!.push({
      eventId: 'e-del', eventName: 'DeleteVpcEndpoints', eventTime: '2026-11-20T08:00:00Z', eventSource: 'ec2.amazonaws.com', username: 'netops', accountId: '111111111111',
      requestParameters: { DeleteVpcEndpointsRequest: { VpcEndpointId: { tag: 1, content: 'vpce-0old' } } }, resources: [],
    });
    const [f] = rule.evaluate(input);
    expect(f).toMatchObject({ severity: 'critical' });
    expect(f?.detail).toContain('CloudTrail DeleteVpcEndpoints');
  });

  it('does not call stale an id that carried successful requests at the window end', () => {
    const input = withDeny(['vpce-0a1', 'vpce-0consumer']);
    input.evidence['logs.access']![0]!.records.push({ timestamp: Date.parse('2026-11-20T09:59:00Z'), status: 200, httpMethod: 'GET', resourcePath: '/orders', fields: { vpceId: 'vpce-0consumer' } });
    expect(rule.evaluate(input)).toEqual([]);
  });

  it('is inconclusive without endpoint data', () => {
    expect(rule.evaluate(failSource(withDeny('vpce-0old'), 'ec2.vpc-endpoints'))[0]).toMatchObject({ inconclusive: true });
  });
});
