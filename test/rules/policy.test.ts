import { describe, expect, it } from 'vitest';
import type { PolicyDocument } from '../../src/core/evidence.js';
import { coversAction, coversApi, evaluateInvoke } from '../../src/rules/policy.js';

const api = { region: 'us-east-1', apiId: 'a1b2c3d4e5', accountId: '111111111111' };

describe('policy reader', () => {
  it('matches action names with wildcards, case-insensitively as IAM does', () => {
    expect(coversAction({ Effect: 'Allow', Action: 'execute-api:*' }, 'execute-api:Invoke')).toBe(true);
    expect(coversAction({ Effect: 'Allow', Action: 'Execute-API:invoke' }, 'execute-api:Invoke')).toBe(true);
    expect(coversAction({ Effect: 'Allow', Action: 'lambda:*' }, 'execute-api:Invoke')).toBe(false);
    expect(coversAction({ Effect: 'Allow', NotAction: 'EXECUTE-API:*' }, 'execute-api:Invoke')).toBe(false);
  });

  it('compares the API id of a resource ARN case-sensitively', () => {
    expect(coversApi({ Effect: 'Allow', Resource: 'arn:aws:execute-api:us-east-1:111111111111:A1B2C3D4E5/*' }, api)).toBe(false);
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
