import { describe, expect, it } from 'vitest';
import { o2ScpBlockedFix as rule } from '../../../src/rules/limits/o2-scp-blocked-fix.js';
import { failSource, healthyInput } from '../fixtures.js';

const deny = (errorMessage: string, scp?: string) => ({
  eventId: 'e-deny',
  eventName: 'AuthorizeSecurityGroupIngress',
  eventTime: '2026-11-20T09:15:00Z',
  eventSource: 'ec2.amazonaws.com',
  username: 'oncall',
  errorCode: 'AccessDenied',
  errorMessage,
  ...(scp ? { scpDeny: { policyArn: scp } } : {}),
  resources: [],
});

describe('O2.scp-blocked-fix', () => {
  it('fires when an SCP denied a fix, quoting the policy', () => {
    const input = healthyInput();
    const arn = 'arn:aws:organizations::999999999999:policy/o-abc/service_control_policy/p-123';
    input.evidence['cloudtrail.denies'] = [deny(`with an explicit deny in a service control policy: ${arn}`, arn)];
    const [f] = rule.evaluate(input);
    expect(f?.evidence[0]?.quote).toBe(`AuthorizeSecurityGroupIngress AccessDenied: explicit deny in a service control policy ${arn}`);
  });

  it('does not fire on a plain IAM deny (near miss)', () => {
    const input = healthyInput();
    input.evidence['cloudtrail.denies'] = [deny('User is not authorized to perform: ec2:AuthorizeSecurityGroupIngress')];
    expect(rule.evaluate(input)).toEqual([]);
  });

  it('says "cannot rule out an SCP deny" when the CloudTrail lookup was refused', () => {
    const [f] = rule.evaluate(failSource(healthyInput(), 'cloudtrail.denies', { kind: 'access_denied', message: 'no', action: 'cloudtrail:LookupEvents' }));
    expect(f).toMatchObject({ inconclusive: true, title: 'Cannot rule out: an SCP deny' });
    expect(f?.detail).toBe('cannot rule out an SCP deny: cloudtrail.denies was refused (cloudtrail:LookupEvents).');
  });
});
