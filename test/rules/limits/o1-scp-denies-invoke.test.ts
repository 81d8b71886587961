import { describe, expect, it } from 'vitest';
import { o1ScpDeniesInvoke as rule } from '../../../src/rules/limits/o1-scp-denies-invoke.js';
import { failSource, healthyInput, setStatus } from '../fixtures.js';

function iam() {
  const input = healthyInput();
  input.evidence['apigw.resources']![0]!.authorizationType = 'AWS_IAM';
  return input;
}

describe('O1.scp-denies-invoke', () => {
  it('fires when an SCP on the account denies execute-api:Invoke', () => {
    const input = iam();
    input.evidence['org.scps'] = [{ accountId: '111111111111', policies: [{ id: 'p-deny1', name: 'no-invoke', policy: { Statement: [{ Effect: 'Deny', Action: 'execute-api:*', Resource: '*' }] } }] }];
    expect(rule.evaluate(input)[0]).toMatchObject({ severity: 'high', evidence: [{ source: 'org.scps', key: 'p-deny1' }] });
  });

  it('stays silent for SCPs that deny other actions (near miss)', () => {
    const input = iam();
    input.evidence['org.scps'] = [{ accountId: '111111111111', policies: [{ id: 'p-1', policy: { Statement: [{ Effect: 'Deny', Action: 'ec2:*', Resource: '*' }] } }] }];
    expect(rule.evaluate(input)).toEqual([]);
  });

  it('cannot rule out an SCP when Organizations refuses the read, and says which account can read it', () => {
    const [f] = rule.evaluate(failSource(iam(), 'org.scps', { kind: 'access_denied', message: 'denied', action: 'organizations:ListPoliciesForTarget' }));
    expect(f).toMatchObject({ inconclusive: true, severity: 'low' });
    expect(f?.fix).toContain('management');
  });

  it('says nothing when no method uses AWS_IAM (SCPs restrict IAM callers only)', () => {
    expect(rule.evaluate(setStatus(healthyInput(), 'org.scps', 'not_applicable'))).toEqual([]);
  });
});
