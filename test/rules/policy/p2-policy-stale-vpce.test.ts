import { describe, expect, it } from 'vitest';
import { p2PolicyStaleVpce as rule } from '../../../src/rules/policy/p2-policy-stale-vpce.js';
import { failSource, healthyInput } from '../fixtures.js';

function withDeny(vpce: string) {
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

  it('is inconclusive without endpoint data', () => {
    expect(rule.evaluate(failSource(withDeny('vpce-0old'), 'ec2.vpc-endpoints'))[0]).toMatchObject({ inconclusive: true });
  });
});
