import { describe, expect, it } from 'vitest';
import type { AccessLogEvidence, MethodEvidence, ScpEvidence } from '../../../src/core/evidence.js';
import { callerAccounts, scpsSource } from '../../../src/sources/organizations/scps.js';
import { defineSource } from '../../../src/sources/types.js';
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

  it("also reads the SCPs of the accounts the callers come from (access logs), inherited from the root too", async () => {
    const partner = '222222222222';
    const deny = { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'execute-api:Invoke', Resource: '*' }] };
    const data = {
      name: 'scps',
      apiId: 'a1b2c3d4e5',
      now: '2026-11-20T10:00:00Z',
      accounts: [
        { accountId: HOME, organizations: { policies: [] } },
        { accountId: partner, organizations: { policies: [{ Id: 'p-partner', Name: 'partner-deny', Content: deny }] } },
      ],
    };
    const access: AccessLogEvidence[] = [
      {
        stage: 'prod',
        logGroup: 'access',
        format: 'json',
        unparsed: [],
        records: [
          { timestamp: 1, status: 403, fields: { 'identity.accountId': partner, 'identity.userArn': `arn:aws:sts::${partner}:assumed-role/batch/sync` } },
          { timestamp: 2, status: 200, fields: { 'identity.accountId': HOME, 'identity.userArn': `arn:aws:sts::${HOME}:assumed-role/web/x` } },
        ],
      },
    ];
    const result = await runOnScenario(scpsSource, data, { before: [stubSource('apigw.resources', [iamMethod]), stubSource('logs.access', access)] });
    const row = rowOf(result, 'org.scps');
    expect(row).toMatchObject({ status: 'ok', count: 1, calls: expect.arrayContaining(['organizations:ListParents', 'organizations:ListPoliciesForTarget', 'organizations:DescribePolicy']) });
    expect(row.reason).toContain('222222222222 (callers): partner-deny');
    const evidence = result.evidence['org.scps'] as ScpEvidence[];
    expect(evidence.map((e) => [e.accountId, e.role])).toEqual([[HOME, 'api-owner'], [partner, 'callers']]);
    expect(evidence[1]).toMatchObject({ callers: [`arn:aws:sts::${partner}:assumed-role/batch/sync`], requests: 1, policies: [{ id: 'p-partner' }] });
    expect(evidence[0]?.callers).toEqual([`arn:aws:sts::${HOME}:assumed-role/web/x`]);
  });

  it("says when a callers' account is outside the organization, and keeps the owner's SCPs", async () => {
    const stranger = '999999999999';
    const data = scenario({}, { policies: [{ Id: 'p-1', Name: 'guard', Content: { Statement: [{ Effect: 'Deny', Action: 'ec2:*', Resource: '*' }] } }] });
    const access: AccessLogEvidence[] = [{ stage: 'prod', logGroup: 'a', format: 'json', unparsed: [], records: [{ timestamp: 1, status: 403, fields: { 'identity.userArn': `arn:aws:sts::${stranger}:assumed-role/x/y` } }] }];
    const result = await runOnScenario(scpsSource, data, { before: [stubSource('apigw.resources', [iamMethod]), stubSource('logs.access', access)] });
    const row = rowOf(result, 'org.scps');
    expect(row).toMatchObject({ status: 'ok', count: 1 });
    expect(row.reason).toContain(`${stranger}: not in this organization`);
    expect((result.evidence['org.scps'] as ScpEvidence[])[1]).toMatchObject({ accountId: stranger, role: 'callers', policies: [] });
  });

  it('reads the SCPs even when the methods could not be read (they only say whether SCPs matter)', async () => {
    const data = scenario({}, { policies: [] });
    const refused = defineSource({ id: 'apigw.resources', title: 'refused', dependsOn: [], calls: { chain: 0 }, run: async () => ({ status: 'error', error: { kind: 'access_denied', message: 'denied' } }) });
    const result = await runOnScenario(scpsSource, data, { before: [refused] });
    expect(rowOf(result, 'org.scps').status).toBe('empty');
  });

  it('keeps the account\'s own SCPs when the OUs above it cannot be listed, and says so', async () => {
    const data = scenario({ faults: [{ operation: 'organizations:ListParents', error: 'AccessDeniedException' }] }, { policies: [{ Id: 'p-deny1', Name: 'no-invoke', Content: { Statement: [{ Effect: 'Deny', Action: 'execute-api:Invoke', Resource: '*' }] } }] });
    const row = rowOf(await runOnScenario(scpsSource, data, before([iamMethod])), 'org.scps');
    expect(row).toMatchObject({ status: 'ok', count: 1 });
    expect(row.reason).toContain('inherited from OUs and the root not read (access_denied on organizations:ListParents)');
  });
});

describe('callerAccounts', () => {
  it('finds callers in access logs (accountId or the ARN) and in execution-log denials, busiest first', () => {
    const access: AccessLogEvidence[] = [
      { stage: 'prod', logGroup: 'a', format: 'json', unparsed: [], records: [
        { timestamp: 1, fields: { 'identity.userArn': 'arn:aws:sts::333333333333:assumed-role/r/s' } },
        { timestamp: 2, fields: { 'identity.accountId': '-', 'identity.caller': '-' } },
      ] },
    ];
    const execution = [{ stage: 'prod', logGroup: 'e', lines: [
      { timestamp: 1, message: '(r1) User: arn:aws:sts::444444444444:assumed-role/x/y is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:us-east-1:1:a/prod/GET/ with an explicit deny' },
      { timestamp: 2, message: '(r2) User: arn:aws:sts::444444444444:assumed-role/x/z is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:us-east-1:1:a/prod/GET/ with an explicit deny' },
    ] }];
    expect(callerAccounts(access, execution)).toEqual([
      { accountId: '444444444444', requests: 2, callers: ['arn:aws:sts::444444444444:assumed-role/x/y', 'arn:aws:sts::444444444444:assumed-role/x/z'] },
      { accountId: '333333333333', requests: 1, callers: ['arn:aws:sts::333333333333:assumed-role/r/s'] },
    ]);
  });
});
