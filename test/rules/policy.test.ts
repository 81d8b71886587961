import { describe, expect, it } from 'vitest';
import type { PolicyDocument } from '../../src/core/evidence.js';
import { coversApi, evaluateInvoke, globMatch } from '../../src/rules/policy.js';

const api = { region: 'us-east-1', apiId: 'a1b2c3d4e5', accountId: '111111111111' };

describe('policy reader', () => {
  it('matches IAM wildcards case-insensitively', () => {
    expect(globMatch('execute-api:*', 'execute-api:Invoke')).toBe(true);
    expect(globMatch('Execute-API:invoke', 'execute-api:Invoke')).toBe(true);
    expect(globMatch('lambda:*', 'execute-api:Invoke')).toBe(false);
  });

  it('compares resource ARNs by region, account and API id', () => {
    expect(coversApi({ Effect: 'Allow', Resource: 'arn:aws:execute-api:us-east-1:111111111111:a1b2c3d4e5/prod/GET/*' }, api)).toBe(true);
    expect(coversApi({ Effect: 'Allow', Resource: 'arn:aws:execute-api:*:*:*' }, api)).toBe(true);
    expect(coversApi({ Effect: 'Allow', Resource: 'arn:aws:execute-api:us-east-1:111111111111:zzzzzzzzzz/*' }, api)).toBe(false);
    expect(coversApi({ Effect: 'Allow', Resource: 'execute-api:/*' }, api)).toBe(true);
  });

  it('lets an explicit deny on a stale endpoint id refuse the real endpoint', () => {
    const policy: PolicyDocument = {
      Statement: [
        { Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke', Resource: 'execute-api:/*' },
        { Effect: 'Deny', Principal: '*', Action: 'execute-api:Invoke', Resource: 'execute-api:/*', Condition: { StringNotEquals: { 'aws:SourceVpce': 'vpce-old' } } },
      ],
    };
    expect(evaluateInvoke(policy, api, { vpceId: 'vpce-new' })).toMatchObject({ allowed: false, deniedBy: { Effect: 'Deny' } });
    expect(evaluateInvoke(policy, api, { vpceId: 'vpce-old' }).allowed).toBe(true);
  });

  it('does not deny on conditions it cannot evaluate', () => {
    const policy: PolicyDocument = {
      Statement: [
        { Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke', Resource: '*' },
        { Effect: 'Deny', Principal: '*', Action: 'execute-api:Invoke', Resource: '*', Condition: { NotIpAddress: { 'aws:SourceIp': '203.0.113.0/24' } } },
      ],
    };
    expect(evaluateInvoke(policy, api, { vpceId: 'vpce-1' }).allowed).toBe(true);
  });
});
