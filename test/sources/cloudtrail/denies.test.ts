import { describe, expect, it } from 'vitest';
import type { LambdaFunctionEvidence, RestApiEvidence } from '../../../src/core/evidence.js';
import { cloudTrailDeniesSource } from '../../../src/sources/cloudtrail/denies.js';
import { rowOf, runOnScenario } from '../../support/run-source.js';
import { stubSource } from '../../support/stub-sources.js';

const API = 'a1b2c3d4e5';
const HOME = '111111111111';
const OTHER = '222222222222';
const SCP = 'arn:aws:organizations::999999999999:policy/o-abc123/service_control_policy/p-xyz789';

const restApi: RestApiEvidence = { id: API, name: 'orders', endpointTypes: ['REGIONAL'], vpcEndpointIds: [], policy: null, disableExecuteApiEndpoint: false };
const fn = (accountId: string): LambdaFunctionEvidence => ({ functionArn: `arn:aws:lambda:us-east-1:${accountId}:function:pay`, functionName: 'pay', accountId, usedBy: ['integration'], layers: [] });

function denied(id: string, name: string, source: string, time: string, errorCode: string, errorMessage: string, account = HOME) {
  return {
    EventId: id, EventName: name, EventTime: time, EventSource: source, ReadOnly: 'false',
    CloudTrailEvent: { eventName: name, eventSource: source, eventTime: time, awsRegion: 'us-east-1', errorCode, errorMessage, recipientAccountId: account, requestParameters: { restApiId: API } },
  };
}

const homeEvents = [
  denied('d1', 'UpdateRestApi', 'apigateway.amazonaws.com', '2026-11-20T09:00:00Z', 'AccessDeniedException', `User: x is not authorized to perform: apigateway:PATCH with an explicit deny in a service control policy: ${SCP}`),
  denied('d2', 'AuthorizeSecurityGroupIngress', 'ec2.amazonaws.com', '2026-11-20T09:30:00Z', 'Client.UnauthorizedOperation', 'You are not authorized to perform this operation.'),
  denied('d3', 'UpdateStage', 'apigateway.amazonaws.com', '2026-11-19T09:00:00Z', 'AccessDeniedException', 'outside the window'),
  { ...denied('ok1', 'UpdateStage', 'apigateway.amazonaws.com', '2026-11-20T09:40:00Z', '', ''), CloudTrailEvent: { eventName: 'UpdateStage' } },
];
const otherEvents = [denied('o1', 'AddPermission20150331v2', 'lambda.amazonaws.com', '2026-11-20T08:30:00Z', 'AccessDenied', 'explicit deny in a service control policy', OTHER)];

function scenario(extra: { homeEvents?: unknown[]; otherRole?: boolean; faults?: unknown[] } = {}) {
  return {
    name: 'cloudtrail-denies', apiId: API, now: '2026-11-20T10:00:00Z',
    accounts: [
      { accountId: HOME, cloudtrail: { events: extra.homeEvents ?? homeEvents } },
      { accountId: OTHER, ...(extra.otherRole ? { roleArn: `arn:aws:iam::${OTHER}:role/firebreak-readonly` } : {}), cloudtrail: { events: otherEvents } },
    ],
    faults: extra.faults ?? [],
  };
}

const before = (functions: LambdaFunctionEvidence[] = []) => [stubSource('apigw.rest-api', restApi), stubSource('lambda.functions', functions)];

describe('cloudtrail.denies', () => {
  it('keeps denied calls in the window and marks SCP denies with their policy', async () => {
    const result = await runOnScenario(cloudTrailDeniesSource, scenario(), { before: before() });
    const row = rowOf(result, 'cloudtrail.denies');
    expect(row.status).toBe('ok');
    const evidence = result.evidence['cloudtrail.denies'] ?? [];
    expect(evidence.map((e) => e.eventId)).toEqual(['d2', 'd1']);
    expect(evidence[1]).toMatchObject({ errorCode: 'AccessDeniedException', scpDeny: { policyArn: SCP } });
    expect(evidence[0]?.scpDeny).toBeUndefined();
    expect(row.reason).toContain('1 by a service control policy');
  });

  it('reads every account involved through its role', async () => {
    const result = await runOnScenario(cloudTrailDeniesSource, scenario({ otherRole: true }), { before: before([fn(OTHER)]) });
    const row = rowOf(result, 'cloudtrail.denies');
    expect(result.evidence['cloudtrail.denies']?.map((e) => e.eventId)).toEqual(['d2', 'd1', 'o1']);
    expect(result.evidence['cloudtrail.denies']?.[2]).toMatchObject({ accountId: OTHER, scpDeny: {} });
    expect(row.reason).toContain(`in 2 accounts (${HOME}, ${OTHER})`);
  });

  it('names an account it has no role for', async () => {
    const row = rowOf(await runOnScenario(cloudTrailDeniesSource, scenario(), { before: before([fn(OTHER)]) }), 'cloudtrail.denies');
    expect(row.status).toBe('ok');
    expect(row.reason).toContain(`not read: account ${OTHER}: no role for account ${OTHER}`);
  });

  it('is empty when nothing was denied', async () => {
    const row = rowOf(await runOnScenario(cloudTrailDeniesSource, scenario({ homeEvents: [homeEvents[3]] }), { before: before() }), 'cloudtrail.denies');
    expect(row.status).toBe('empty');
    expect(row.reason).toContain('no denied apigateway, ec2, lambda calls in 1 account');
  });

  it('names cloudtrail:LookupEvents when the home account refuses it', async () => {
    const faults = [{ operation: 'cloudtrail:LookupEvents', error: 'AccessDeniedException' }];
    const row = rowOf(await runOnScenario(cloudTrailDeniesSource, scenario({ faults }), { before: before() }), 'cloudtrail.denies');
    expect(row.status).toBe('error');
    expect(row.error).toMatchObject({ kind: 'access_denied', action: 'cloudtrail:LookupEvents' });
    expect(row.hint).toContain('cloudtrail:LookupEvents');
  });

  it('keeps the home account when another account refuses', async () => {
    const faults = [{ operation: 'cloudtrail:LookupEvents', error: 'AccessDeniedException', account: OTHER }];
    const row = rowOf(await runOnScenario(cloudTrailDeniesSource, scenario({ otherRole: true, faults }), { before: before([fn(OTHER)]) }), 'cloudtrail.denies');
    expect(row.status).toBe('ok');
    expect(row.reason).toContain(`account ${OTHER}: access_denied on cloudtrail:LookupEvents`);
  });

  it('reports throttling after retries', async () => {
    const row = rowOf(await runOnScenario(cloudTrailDeniesSource, scenario({ faults: [{ operation: 'cloudtrail:LookupEvents', error: 'ThrottlingException' }] }), { before: before() }), 'cloudtrail.denies');
    expect(row.error?.kind).toBe('throttled');
  });

  it('times out on a slow lookup', async () => {
    const result = await runOnScenario(cloudTrailDeniesSource, scenario({ faults: [{ operation: 'cloudtrail:LookupEvents', latencyMs: 5000 }] }), { before: before(), sourceTimeoutMs: 200 });
    expect(rowOf(result, 'cloudtrail.denies').error?.kind).toBe('timeout');
  });
});
