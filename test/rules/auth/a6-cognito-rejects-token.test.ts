import { describe, expect, it } from 'vitest';
import { a2IdentitySourceMissing } from '../../../src/rules/auth/a2-identity-source-missing.js';
import { a6CognitoRejectsToken as rule } from '../../../src/rules/auth/a6-cognito-rejects-token.js';
import { accessRecord, failSource, healthyInput, setStatus } from '../fixtures.js';

function cognito() {
  const input = healthyInput();
  input.evidence['apigw.authorizers'] = [{ id: 'cog1', name: 'pool', type: 'COGNITO_USER_POOLS', providerARNs: ['arn:aws:cognito-idp:us-east-1:111111111111:userpool/us-east-1_Abc'] }];
  input.evidence['apigw.resources']![0]!.authorizationType = 'COGNITO_USER_POOLS';
  input.evidence['apigw.resources']![0]!.authorizerId = 'cog1';
  return input;
}

describe('A6.cognito-refuses-callers', () => {
  it('fires on 401s with a Cognito authorizer and names the user pool; A2 stays silent', () => {
    const input = cognito();
    input.evidence['logs.access']![0]!.records.push(...Array.from({ length: 30 }, (_, i) => accessRecord({ requestId: `c-${i}`, status: 401 }, { responseType: 'UNAUTHORIZED' })));
    expect(rule.evaluate(input)[0]?.detail).toContain('userpool/us-east-1_Abc');
    expect(a2IdentitySourceMissing.evaluate(input)).toEqual([]);
  });

  it('reads bare 401 statuses only when no execution log can say who answered', () => {
    const bare = (input: ReturnType<typeof cognito>) => {
      input.evidence['logs.access']![0]!.records.push(...Array.from({ length: 30 }, (_, i) => accessRecord({ requestId: `b-${i}`, status: 401 })));
      return input;
    };
    expect(rule.evaluate(bare(cognito()))).toEqual([]);
    expect(rule.evaluate(bare(setStatus(cognito(), 'logs.execution', 'not_configured')))).toHaveLength(1);
  });

  it('stays silent without 401s (near miss)', () => {
    expect(rule.evaluate(cognito())).toEqual([]);
  });

  it('is inconclusive without logs', () => {
    expect(rule.evaluate(failSource(failSource(cognito(), 'logs.execution'), 'logs.access'))[0]).toMatchObject({ inconclusive: true });
  });
});
