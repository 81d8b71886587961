import { describe, expect, it } from 'vitest';
import type { PolicyDocument } from '../../../src/core/evidence.js';
import { evaluateInvokePermission, sourceArnMatches } from '../../../src/sources/lambda/invoke-permission.js';

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

  it('treats ArnEquals literally and honours AWS:SourceAccount', () => {
    const equals = statement({ Condition: { ArnEquals: { 'AWS:SourceArn': 'arn:aws:execute-api:us-east-1:111111111111:a1b2c3d4e5/*/GET/orders' } } });
    expect(evaluateInvokePermission(policy(equals), [ARN], undefined).allowsThisApi).toBe(false);
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

describe('sourceArnMatches', () => {
  it('accepts any stage the pattern names when every stage is examined', () => {
    const any = 'arn:aws:execute-api:us-east-1:111111111111:a1b2c3d4e5/{stage}/GET/orders';
    expect(sourceArnMatches('arn:aws:execute-api:us-east-1:111111111111:a1b2c3d4e5/prod/GET/orders', any, true)).toBe(true);
    expect(sourceArnMatches('arn:aws:execute-api:us-east-1:111111111111:a1b2c3d4e5/prod/POST/orders', any, true)).toBe(false);
    expect(sourceArnMatches('arn:aws:execute-api:us-east-1:111111111111:zzzzzzzzzz/prod/GET/orders', any, true)).toBe(false);
  });

  it('matches ? as exactly one character', () => {
    expect(sourceArnMatches('arn:aws:execute-api:us-east-1:111111111111:a1b2c3d4e5/pro?/GET/orders', ARN, true)).toBe(true);
    expect(sourceArnMatches('arn:aws:execute-api:us-east-1:111111111111:a1b2c3d4e5/pr?/GET/orders', ARN, true)).toBe(false);
  });
});
