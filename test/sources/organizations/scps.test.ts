import { describe, expect, it } from 'vitest';
import type { MethodEvidence, ScpEvidence } from '../../../src/core/evidence.js';
import { scpsSource } from '../../../src/sources/organizations/scps.js';
import { rowOf, runOnScenario } from '../../support/run-source.js';
import { stubSource } from '../../support/stub-sources.js';

const HOME = '111111111111';
const iamMethod: MethodEvidence = { resourceId: 'r', path: '/orders', httpMethod: 'GET', authorizationType: 'AWS_IAM', apiKeyRequired: false };
const before = (methods: MethodEvidence[]) => ({ before: [stubSource('apigw.resources', methods)] });

function scenario(extra: Record<string, unknown> = {}, organizations?: unknown) {
  return { name: 'scps', apiId: 'a1b2c3d4e5', now: '2026-11-20T10:00:00Z', accounts: [{ accountId: HOME, ...(organizations ? { organizations } : {}) }], ...extra };
}

describe('org.scps', () => {
  it('reads the SCPs that apply to the account and parses their content', async () => {
    const data = scenario({}, { policies: [{ Id: 'p-deny1', Name: 'no-invoke', Content: { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'execute-api:Invoke', Resource: '*' }] } }] });
    const result = await runOnScenario(scpsSource, data, before([iamMethod]));
    expect(rowOf(result, 'org.scps')).toMatchObject({ status: 'ok', count: 1, calls: expect.arrayContaining(['organizations:ListPoliciesForTarget', 'organizations:DescribePolicy']) });
    expect((result.evidence['org.scps'] as ScpEvidence[])[0]?.policies[0]?.policy?.Statement[0]).toMatchObject({ Effect: 'Deny' });
  });

  it('reports a refusal as an error row (Organizations answers only the management account)', async () => {
    const data = scenario({ faults: [{ operation: 'organizations:ListPoliciesForTarget', error: 'AccessDeniedException' }] }, { policies: [] });
    const row = rowOf(await runOnScenario(scpsSource, data, before([iamMethod])), 'org.scps');
    expect(row).toMatchObject({ status: 'error', error: { kind: 'access_denied', action: 'organizations:ListPoliciesForTarget' } });
  });

  it('is not applicable outside an organization, or when no method uses AWS_IAM', async () => {
    expect(rowOf(await runOnScenario(scpsSource, scenario(), before([iamMethod])), 'org.scps').status).toBe('not_applicable');
    expect(rowOf(await runOnScenario(scpsSource, scenario({}, { policies: [] }), before([{ ...iamMethod, authorizationType: 'NONE' }])), 'org.scps')).toMatchObject({ status: 'not_applicable', calls: [] });
  });
});
