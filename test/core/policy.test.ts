import { describe, expect, it } from 'vitest';
import type { PolicyDocument } from '../../src/core/evidence.js';
import { coversAction, coversApi, evaluateCondition, evaluateInvoke, lambdaInvokeDecision } from '../../src/core/policy.js';

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

describe('policy reader: routes, principals and conditions', () => {
  const allowGet: PolicyDocument = { Statement: [{ Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke', Resource: 'execute-api:/*/GET/*' }] };

  it('compares the stage, method and path of a route with wildcards', () => {
    expect(evaluateInvoke(allowGet, api, {}, 'execute-api:Invoke', { stage: 'prod', method: 'GET', path: '/orders/1' }).allowed).toBe(true);
    expect(evaluateInvoke(allowGet, api, {}, 'execute-api:Invoke', { stage: 'prod', method: 'POST', path: '/orders' }).allowed).toBe(false);
    const v1: PolicyDocument = { Statement: [{ Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke', Resource: 'arn:aws:execute-api:us-east-1:111111111111:a1b2c3d4e5/v1/*' }] };
    expect(evaluateInvoke(v1, api, {}, 'execute-api:Invoke', { stage: 'v2', method: 'GET', path: '/' }).allowed).toBe(false);
    expect(evaluateInvoke(v1, api, {}, 'execute-api:Invoke', { stage: 'v1', method: 'GET', path: '/' }).allowed).toBe(true);
  });

  it('honours NotResource and NotPrincipal', () => {
    const notResource: PolicyDocument = {
      Statement: [
        { Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke', Resource: 'execute-api:/*' },
        { Effect: 'Deny', Principal: '*', Action: 'execute-api:Invoke', NotResource: 'execute-api:/*/GET/*' },
      ],
    };
    expect(evaluateInvoke(notResource, api, {}, 'execute-api:Invoke', { stage: 'prod', method: 'DELETE', path: '/x' }).allowed).toBe(false);
    expect(evaluateInvoke(notResource, api, {}, 'execute-api:Invoke', { stage: 'prod', method: 'GET', path: '/x' }).allowed).toBe(true);
    const notPrincipal: PolicyDocument = {
      Statement: [
        { Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke', Resource: '*' },
        { Effect: 'Deny', NotPrincipal: { AWS: 'arn:aws:iam::111111111111:root' }, Action: 'execute-api:Invoke', Resource: '*' },
      ],
    };
    expect(evaluateInvoke(notPrincipal, api, { principalArn: 'arn:aws:sts::222222222222:assumed-role/a/b', accountId: '222222222222' }).allowed).toBe(false);
    expect(evaluateInvoke(notPrincipal, api, { principalArn: 'arn:aws:sts::111111111111:assumed-role/a/b', accountId: '111111111111' }).allowed).toBe(true);
  });

  it('evaluates SourceIp, SourceVpc and PrincipalOrgID', () => {
    const ip: PolicyDocument = { Statement: [{ Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke', Resource: '*', Condition: { IpAddress: { 'aws:SourceIp': ['198.51.100.0/24', '192.0.2.7'] } } }] };
    expect(evaluateInvoke(ip, api, { sourceIp: '198.51.100.20' }).allowed).toBe(true);
    expect(evaluateInvoke(ip, api, { sourceIp: '192.0.2.7' }).allowed).toBe(true);
    expect(evaluateInvoke(ip, api, { sourceIp: '203.0.113.5' }).allowed).toBe(false);
    const vpc: PolicyDocument = { Statement: [{ Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke', Resource: '*', Condition: { StringEquals: { 'aws:SourceVpc': 'vpc-1' } } }] };
    expect(evaluateInvoke(vpc, api, { vpceId: 'vpce-1', vpcId: 'vpc-2' }).allowed).toBe(false);
    const org: PolicyDocument = { Statement: [{ Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke', Resource: '*', Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-abc' } } }] };
    expect(evaluateInvoke(org, api, { principalOrgId: 'o-xyz' }).allowed).toBe(false);
  });

  it('applies IAM list and set semantics to negated and ForAnyValue/ForAllValues operators', () => {
    const caller = { vpceId: 'vpce-b' };
    expect(evaluateCondition('StringNotEquals', 'aws:SourceVpce', ['vpce-a', 'vpce-b'], caller)).toBe('no');
    expect(evaluateCondition('StringNotEquals', 'aws:SourceVpce', ['vpce-a', 'vpce-c'], caller)).toBe('yes');
    expect(evaluateCondition('ForAnyValue:StringEquals', 'aws:SourceVpce', ['vpce-b'], caller)).toBe('yes');
    expect(evaluateCondition('ForAllValues:StringLike', 'aws:SourceVpce', ['vpce-*'], caller)).toBe('yes');
    expect(evaluateCondition('StringNotLike', 'aws:SourceVpce', ['vpce-?'], caller)).toBe('no');
    expect(evaluateCondition('NotIpAddress', 'aws:SourceIp', ['10.0.0.0/8'], { sourceIp: '10.1.2.3' })).toBe('no');
    // A key absent from the request: positive operators fail, negated ones, IfExists and ForAllValues hold.
    const publicCall = { absent: ['aws:sourcevpce'] };
    expect(evaluateCondition('StringEquals', 'aws:SourceVpce', ['vpce-a'], publicCall)).toBe('no');
    expect(evaluateCondition('StringNotEquals', 'aws:SourceVpce', ['vpce-a'], publicCall)).toBe('yes');
    expect(evaluateCondition('StringEqualsIfExists', 'aws:SourceVpce', ['vpce-a'], publicCall)).toBe('yes');
    expect(evaluateCondition('ForAllValues:StringEquals', 'aws:SourceVpce', ['vpce-a'], publicCall)).toBe('yes');
    expect(evaluateCondition('ForAnyValue:StringEquals', 'aws:SourceVpce', ['vpce-a'], publicCall)).toBe('no');
    expect(evaluateCondition('Null', 'aws:SourceVpce', ['true'], publicCall)).toBe('yes');
    // Unknown caller values stay unknown.
    expect(evaluateCondition('StringEquals', 'aws:SourceVpce', ['vpce-a'], {})).toBe('unknown');
  });

  it('judges a Lambda permission per source ARN', () => {
    const permission: PolicyDocument = { Statement: [{ Effect: 'Allow', Principal: { Service: 'apigateway.amazonaws.com' }, Action: 'lambda:InvokeFunction', Resource: 'fn', Condition: { ArnLike: { 'AWS:SourceArn': 'arn:aws:execute-api:us-east-1:111111111111:a1b2c3d4e5/v1/*' } } }] };
    expect(lambdaInvokeDecision(permission, 'arn:aws:execute-api:us-east-1:111111111111:a1b2c3d4e5/v1/POST/orders', '111111111111').match).toBe('yes');
    expect(lambdaInvokeDecision(permission, 'arn:aws:execute-api:us-east-1:111111111111:a1b2c3d4e5/v2/POST/orders', '111111111111').match).toBe('no');
  });
});
