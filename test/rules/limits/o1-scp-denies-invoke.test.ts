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

  describe("an SCP of the callers' own account", () => {
    const partner = '222222222222';
    const caller = `arn:aws:sts::${partner}:assumed-role/partner-batch/sync`;
    const deny = (condition?: Record<string, Record<string, string>>, resource = 'arn:aws:execute-api:*:*:*') => ({
      accountId: partner,
      role: 'callers' as const,
      callers: [caller],
      policies: [{ id: 'p-partner', name: 'partner-no-external-apis', policy: { Statement: [{ Sid: 'NoExternal', Effect: 'Deny' as const, Action: 'execute-api:Invoke', Resource: resource, ...(condition ? { Condition: condition } : {}) }] } }],
    });
    const withScps = (...scps: ReturnType<typeof deny>[]) => {
      const input = iam();
      input.evidence['org.scps'] = [{ accountId: '111111111111', role: 'api-owner', policies: [{ id: 'p-FullAWSAccess', policy: { Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } }] }, ...scps];
      return input;
    };

    it('names the SCP, the account and the callers it refuses, and says the fix lies with that account', () => {
      const [f] = rule.evaluate(withScps(deny({ ArnNotLike: { 'aws:PrincipalARN': 'arn:aws:iam::*:role/platform-*' } })));
      expect(f).toMatchObject({ rule: 'O1.scp-denies-invoke', severity: 'high', evidence: [{ source: 'org.scps', key: 'p-partner' }] });
      expect(f?.detail).toContain("callers' account 222222222222");
      expect(f?.detail).toContain(caller);
      expect(f?.fix).toContain('222222222222');
      expect(f?.fix).toContain('partner-no-external-apis');
    });

    it('stays silent when the condition exempts the callers seen (evaluated per caller, aws:PrincipalArn of the role session)', () => {
      expect(rule.evaluate(withScps(deny({ ArnNotLike: { 'aws:PrincipalARN': 'arn:aws:iam::*:role/partner-*' } })))).toEqual([]);
    });

    it('stays silent when the SCP covers other APIs only (Resource matched as AWS matches it)', () => {
      expect(rule.evaluate(withScps(deny(undefined, 'arn:aws:execute-api:*:*:zzzzzzzzzz/*')))).toEqual([]);
      expect(rule.evaluate(withScps(deny(undefined, 'arn:aws:execute-api:eu-west-1:*:*')))).toEqual([]);
      expect(rule.evaluate(withScps(deny(undefined, 'arn:aws:execute-api:us-east-1:*:a1b2c3d4e5/*')))).toHaveLength(1);
    });

    it("cannot rule one out when the callers' account is outside the organization read", () => {
      const input = withScps();
      input.evidence['org.scps']!.push({ accountId: partner, role: 'callers', callers: [caller], unreadable: 'not in this organization: its SCPs are readable only from its own management account', policies: [] });
      const [f, ...rest] = rule.evaluate(input);
      expect(rest).toEqual([]);
      expect(f).toMatchObject({ inconclusive: true, severity: 'low', title: "Cannot rule out: a service control policy of the callers' account 222222222222 denying execute-api:Invoke" });
      expect(f?.fix).toContain(caller);
    });

    it('is medium when a condition cannot be evaluated', () => {
      const [f] = rule.evaluate(withScps(deny({ StringNotEquals: { 'aws:PrincipalTag/team': 'platform' } })));
      expect(f).toMatchObject({ severity: 'medium' });
      expect(f?.detail).toContain('under conditions firebreak cannot evaluate');
    });
  });

  it('says nothing when no method uses AWS_IAM (SCPs restrict IAM callers only)', () => {
    expect(rule.evaluate(setStatus(healthyInput(), 'org.scps', 'not_applicable'))).toEqual([]);
  });
});
