import { describe, expect, it } from 'vitest';
import { p6CrossAccountIam as rule } from '../../../src/rules/policy/p6-cross-account-iam.js';
import { accessRecord, asRegional, healthyInput } from '../fixtures.js';

const PARTNER = 'arn:aws:sts::222222222222:assumed-role/partner/sync';
const denial = (i: number, who = PARTNER) =>
  accessRecord({ requestId: `d-${i}`, status: 403, httpMethod: 'GET', resourcePath: '/orders' }, { responseType: 'ACCESS_DENIED', errorMessage: `User: ${who} is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:us-east-1:111111111111:a1b2c3d4e5/prod/GET/orders because no resource-based policy allows the execute-api:Invoke action`, userArn: who });

function iamApi() {
  const input = asRegional(healthyInput());
  input.evidence['apigw.resources']![0]!.authorizationType = 'AWS_IAM';
  input.evidence['apigw.rest-api']!.policy = { Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:root' }, Action: 'execute-api:Invoke', Resource: 'execute-api:/*' }] };
  return input;
}

describe('P6.cross-account-iam', () => {
  it('fires for another account\'s principal the resource policy does not allow, naming route and caller', () => {
    const input = iamApi();
    input.evidence['logs.access']![0]!.records.push(...Array.from({ length: 20 }, (_, i) => denial(i)));
    const [f] = rule.evaluate(input);
    expect(f?.detail).toContain('GET /orders on prod');
    expect(f?.detail).toContain(PARTNER);
  });

  it('stays silent once the policy allows the partner account (near miss)', () => {
    const input = iamApi();
    input.evidence['apigw.rest-api']!.policy!.Statement[0]!.Principal = { AWS: ['arn:aws:iam::111111111111:root', '222222222222'] };
    input.evidence['logs.access']![0]!.records.push(...Array.from({ length: 5 }, (_, i) => accessRecord({ requestId: `ok-p-${i}`, resourcePath: '/orders' }, { userArn: PARTNER })));
    expect(rule.evaluate(input)).toEqual([]);
  });

  it('ignores same-account callers (that is A5)', () => {
    const input = iamApi();
    input.evidence['logs.access']![0]!.records.push(...Array.from({ length: 20 }, (_, i) => denial(i, 'arn:aws:sts::111111111111:assumed-role/batch/x')));
    expect(rule.evaluate(input)).toEqual([]);
  });
});
