import { describe, expect, it } from 'vitest';
import type { LambdaFunctionEvidence, RestApiEvidence, VpcEndpointEvidence } from '../../../src/core/evidence.js';
import { cloudTrailChangesSource } from '../../../src/sources/cloudtrail/changes.js';
import { rowOf, runOnScenario } from '../../support/run-source.js';
import { stubSource } from '../../support/stub-sources.js';

const API = 'a1b2c3d4e5';
const HOME = '111111111111';

const restApi: RestApiEvidence = { id: API, name: 'orders', endpointTypes: ['PRIVATE'], vpcEndpointIds: ['vpce-1'], policy: null, disableExecuteApiEndpoint: false };
const endpoint: VpcEndpointEvidence = {
  vpcEndpointId: 'vpce-1', vpcId: 'vpc-1', serviceName: 'com.amazonaws.us-east-1.execute-api', state: 'available', privateDnsEnabled: true,
  securityGroupIds: ['sg-1'], subnetIds: ['subnet-1'], networkInterfaceIds: ['eni-1'], eniAddresses: ['10.0.1.15'], policyDocument: null, referencedByApi: true,
};
const fn: LambdaFunctionEvidence = { functionArn: `arn:aws:lambda:us-east-1:${HOME}:function:orders`, functionName: 'orders', accountId: HOME, usedBy: ['integration'], layers: [] };

function event(id: string, name: string, source: string, time: string, requestParameters: Record<string, unknown>, readOnly = false) {
  return {
    EventId: id, EventName: name, EventTime: time, EventSource: source, Username: 'alice', ReadOnly: String(readOnly),
    CloudTrailEvent: { eventVersion: '1.08', eventTime: time, eventSource: source, eventName: name, awsRegion: 'us-east-1', requestParameters, recipientAccountId: HOME, userIdentity: { arn: `arn:aws:iam::${HOME}:user/alice` } },
  };
}

const events = [
  event('e1', 'UpdateRestApi', 'apigateway.amazonaws.com', '2026-11-19T09:00:00Z', { restApiId: API }),
  event('e2', 'UpdateRestApi', 'apigateway.amazonaws.com', '2026-11-19T09:05:00Z', { restApiId: 'zzzzzzzzzz' }),
  event('e3', 'GetRestApi', 'apigateway.amazonaws.com', '2026-11-19T09:06:00Z', { restApiId: API }, true),
  event('e4', 'ModifyVpcEndpoint', 'ec2.amazonaws.com', '2026-11-18T12:00:00Z', { ModifyVpcEndpointRequest: { VpcEndpointId: 'vpce-1' } }),
  event('e5', 'RevokeSecurityGroupIngress', 'ec2.amazonaws.com', '2026-11-17T12:00:00Z', { groupId: 'sg-1' }),
  event('e6', 'AddPermission20150331v2', 'lambda.amazonaws.com', '2026-11-16T12:00:00Z', { functionName: 'orders', statementId: 'apigw' }),
  event('e7', 'UpdateStage', 'apigateway.amazonaws.com', '2026-11-01T12:00:00Z', { restApiId: API, stageName: 'prod' }),
];

function scenario(extra: { events?: unknown[]; faults?: unknown[]; pageSize?: number } = {}) {
  return {
    name: 'cloudtrail-changes', apiId: API, now: '2026-11-20T10:00:00Z',
    ...(extra.pageSize ? { pageSize: extra.pageSize } : {}),
    accounts: [{ accountId: HOME, cloudtrail: { events: extra.events ?? events } }],
    faults: extra.faults ?? [],
  };
}

const before = [
  stubSource('apigw.rest-api', restApi),
  stubSource('ec2.vpc-endpoints', { endpoints: [endpoint], vpcs: [] }),
  stubSource('lambda.functions', [fn]),
];

describe('cloudtrail.changes', () => {
  it('reads WAF writes of the stages\u2019 web ACL too, and only when a stage has one', async () => {
    const aclId = '4f1c2d3e-0000-4000-8000-000000000001';
    const stage = { stageName: 'prod', loggingLevel: 'INFO', dataTraceEnabled: false, methodSettings: {}, webAclArn: `arn:aws:wafv2:us-east-1:${HOME}:regional/webacl/edge/${aclId}` };
    const waf = [
      event('w1', 'UpdateWebACL', 'wafv2.amazonaws.com', '2026-11-20T09:00:00Z', { name: 'edge', scope: 'REGIONAL', id: aclId, rules: [{ name: 'body-size', action: { block: {} } }] }),
      event('w2', 'UpdateWebACL', 'wafv2.amazonaws.com', '2026-11-20T09:10:00Z', { name: 'other', scope: 'REGIONAL', id: 'aaaaaaaa-0000-4000-8000-000000000009', rules: [] }),
    ];
    const withAcl = await runOnScenario(cloudTrailChangesSource, scenario({ events: [...events, ...waf] }), { before: [...before, stubSource('apigw.stages', [stage])] });
    expect(withAcl.evidence['cloudtrail.changes']?.filter((e) => e.eventSource === 'wafv2.amazonaws.com').map((e) => e.eventId)).toEqual(['w1']);
    expect(rowOf(withAcl, 'cloudtrail.changes').reason).toContain('(apigateway, ec2, lambda, wafv2)');
    const withoutAcl = await runOnScenario(cloudTrailChangesSource, scenario({ events: [...events, ...waf] }), { before: [...before, stubSource('apigw.stages', [{ ...stage, webAclArn: undefined }])] });
    expect(withoutAcl.evidence['cloudtrail.changes']?.some((e) => e.eventSource === 'wafv2.amazonaws.com')).toBe(false);
  });

  it('keeps the last week of writes to the API, its endpoints, groups and functions, newest first', async () => {
    const result = await runOnScenario(cloudTrailChangesSource, scenario(), { before });
    const row = rowOf(result, 'cloudtrail.changes');
    expect(row.status).toBe('ok');
    expect(row.calls).toEqual(['cloudtrail:LookupEvents']);
    expect(result.evidence['cloudtrail.changes']?.map((e) => e.eventId)).toEqual(['e1', 'e4', 'e5', 'e6']);
    expect(result.evidence['cloudtrail.changes']?.[0]).toMatchObject({ eventName: 'UpdateRestApi', username: 'alice', requestParameters: { restApiId: API } });
    expect(row.reason).toContain('in the last 7 days');
  });

  it('reads every page', async () => {
    const result = await runOnScenario(cloudTrailChangesSource, scenario({ pageSize: 1 }), { before });
    expect(result.evidence['cloudtrail.changes']).toHaveLength(4);
  });

  it('reports truncation when capped', async () => {
    const result = await runOnScenario(cloudTrailChangesSource, scenario(), { before, limits: { maxItems: 2 } });
    const row = rowOf(result, 'cloudtrail.changes');
    expect(row.truncated).toEqual({ kept: 2, total: 4 });
  });

  it('is empty, and says what it searched, with no relevant change', async () => {
    const row = rowOf(await runOnScenario(cloudTrailChangesSource, scenario({ events: [events[1], events[2]] }), { before }), 'cloudtrail.changes');
    expect(row.status).toBe('empty');
    expect(row.reason).toContain(`no changes to API ${API}`);
  });

  it('names cloudtrail:LookupEvents when refused', async () => {
    const row = rowOf(await runOnScenario(cloudTrailChangesSource, scenario({ faults: [{ operation: 'cloudtrail:LookupEvents', error: 'AccessDeniedException' }] }), { before }), 'cloudtrail.changes');
    expect(row.error).toMatchObject({ kind: 'access_denied', action: 'cloudtrail:LookupEvents' });
  });

  it('reports throttling after retries', async () => {
    const row = rowOf(await runOnScenario(cloudTrailChangesSource, scenario({ faults: [{ operation: 'cloudtrail:LookupEvents', error: 'ThrottlingException' }] }), { before }), 'cloudtrail.changes');
    expect(row.error?.kind).toBe('throttled');
  });

  it('times out on a slow lookup', async () => {
    const result = await runOnScenario(cloudTrailChangesSource, scenario({ faults: [{ operation: 'cloudtrail:LookupEvents', latencyMs: 5000 }] }), { before, sourceTimeoutMs: 200 });
    expect(rowOf(result, 'cloudtrail.changes').error?.kind).toBe('timeout');
  });
});
