import { describe, expect, it } from 'vitest';
import type { PolicyDocument } from '../../../src/core/evidence.js';
import { executeApiArn, executeApiPrefix } from '../../../src/core/arn-match.js';
import { evaluateInvokePermission } from '../../../src/sources/lambda/invoke-permission.js';

const ARN = 'arn:aws:execute-api:us-east-1:111111111111:a1b2c3d4e5/prod/GET/orders';
const statement = (extra: Record<string, unknown> = {}) => ({
  Sid: 's1',
  Effect: 'Allow' as const,
  Principal: { Service: 'apigateway.amazonaws.com' },
  Action: 'lambda:InvokeFunction',
  ...extra,
});
const policy = (...Statement: PolicyDocument['Statement']): PolicyDocument => ({ Version: '2012-10-17', Statement });

describe('evaluateInvokePermission', () => {
  it('allows without a SourceArn condition', () => {
    expect(evaluateInvokePermission(policy(statement()), [ARN], '111111111111')).toMatchObject({ allowsThisApi: true, matchingStatements: ['s1'] });
  });

  it('matches ArnLike wildcards and lambda:*', () => {
    const s = statement({ Action: ['lambda:*'], Condition: { ArnLike: { 'AWS:SourceArn': 'arn:aws:execute-api:us-east-1:111111111111:a1b2c3d4e5/*/*/*' } } });
    expect(evaluateInvokePermission(policy(s), [ARN], undefined).allowsThisApi).toBe(true);
  });

  it('refuses another principal, another action, or another stage', () => {
    const otherPrincipal = statement({ Principal: { Service: 'events.amazonaws.com' } });
    const otherAction = statement({ Action: 'lambda:GetFunction' });
    const otherStage = statement({ Condition: { ArnLike: { 'AWS:SourceArn': 'arn:aws:execute-api:us-east-1:111111111111:a1b2c3d4e5/dev/GET/orders' } } });
    for (const s of [otherPrincipal, otherAction, otherStage]) expect(evaluateInvokePermission(policy(s), [ARN], undefined).allowsThisApi).toBe(false);
  });

  it('reads ArnEquals like ArnLike ("the ArnEquals and ArnLike condition operators behave identically") and honours AWS:SourceAccount', () => {
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_ARN
    const equals = statement({ Condition: { ArnEquals: { 'AWS:SourceArn': 'arn:aws:execute-api:us-east-1:111111111111:a1b2c3d4e5/*/GET/orders' } } });
    expect(evaluateInvokePermission(policy(equals), [ARN], undefined).allowsThisApi).toBe(true);
    const stringEquals = statement({ Condition: { StringEquals: { 'AWS:SourceArn': 'arn:aws:execute-api:us-east-1:111111111111:a1b2c3d4e5/*/GET/orders' } } });
    expect(evaluateInvokePermission(policy(stringEquals), [ARN], undefined).allowsThisApi).toBe(false);
    const account = statement({ Condition: { StringEquals: { 'AWS:SourceAccount': '999999999999' } } });
    expect(evaluateInvokePermission(policy(account), [ARN], '111111111111').allowsThisApi).toBe(false);
  });

  it('needs every usage covered and says which is not', () => {
    const s = statement({ Condition: { ArnLike: { 'AWS:SourceArn': 'arn:aws:execute-api:us-east-1:111111111111:a1b2c3d4e5/*/GET/orders' } } });
    const authorizerArn = 'arn:aws:execute-api:us-east-1:111111111111:a1b2c3d4e5/authorizers/au1';
    const result = evaluateInvokePermission(policy(s), [ARN, authorizerArn], undefined);
    expect(result.allowsThisApi).toBe(false);
    expect(result.reason).toContain(authorizerArn);
  });

  it('says when there is no policy', () => {
    expect(evaluateInvokePermission(null, [ARN], undefined)).toMatchObject({ allowsThisApi: false, reason: 'no resource-based policy' });
  });
});

describe('evaluateInvokePermission with an unknown stage (every stage examined)', () => {
  const prefix = executeApiPrefix('us-east-1', '111111111111', 'a1b2c3d4e5');
  const anyStage = executeApiArn(prefix, undefined, 'GET', '/orders');
  const allows = (pattern: string) =>
    evaluateInvokePermission(policy(statement({ Condition: { ArnLike: { 'AWS:SourceArn': pattern } } })), [anyStage], '111111111111').allowsThisApi;

  it('accepts any stage the pattern names', () => {
    expect(allows('arn:aws:execute-api:us-east-1:111111111111:a1b2c3d4e5/prod/GET/orders')).toBe(true);
    expect(allows('arn:aws:execute-api:us-east-1:111111111111:a1b2c3d4e5/prod/POST/orders')).toBe(false);
    expect(allows('arn:aws:execute-api:us-east-1:111111111111:zzzzzzzzzz/prod/GET/orders')).toBe(false);
  });

  it('reads a wildcard API id and stage the way AWS does (the GET /points/x case)', () => {
    const points = executeApiArn(prefix, undefined, 'GET', '/points/{id}');
    const pattern = 'arn:aws:execute-api:us-east-1:111111111111:*/*/GET/points/*';
    const permission = policy(statement({ Condition: { ArnLike: { 'AWS:SourceArn': pattern } } }));
    expect(evaluateInvokePermission(permission, [points], '111111111111')).toMatchObject({ allowsThisApi: true, matchingStatements: ['s1'] });
    expect(evaluateInvokePermission(permission, [executeApiArn(prefix, 'prod', 'GET', '/points/x')], '111111111111').allowsThisApi).toBe(true);
    expect(evaluateInvokePermission(permission, [executeApiArn(prefix, 'prod', 'POST', '/points/x')], '111111111111').allowsThisApi).toBe(false);
  });

  it('matches ? as exactly one character', () => {
    expect(evaluateInvokePermission(policy(statement({ Condition: { ArnLike: { 'AWS:SourceArn': 'arn:aws:execute-api:us-east-1:111111111111:a1b2c3d4e5/pro?/GET/orders' } } })), [ARN], undefined).allowsThisApi).toBe(true);
    expect(evaluateInvokePermission(policy(statement({ Condition: { ArnLike: { 'AWS:SourceArn': 'arn:aws:execute-api:us-east-1:111111111111:a1b2c3d4e5/pr?/GET/orders' } } })), [ARN], undefined).allowsThisApi).toBe(false);
  });

  it('says the unknown stage as a wildcard in its reason', () => {
    const result = evaluateInvokePermission(policy(statement({ Condition: { ArnLike: { 'AWS:SourceArn': 'arn:aws:execute-api:us-east-1:111111111111:a1b2c3d4e5/prod/POST/*' } } })), [anyStage], '111111111111');
    expect(result.reason).toBe('no statement lets apigateway.amazonaws.com invoke it for arn:aws:execute-api:us-east-1:111111111111:a1b2c3d4e5/*/GET/orders');
  });
});
