import { describe, expect, it } from 'vitest';
import type { StageEvidence } from '../../../src/core/evidence.js';
import { parseWebAclArn, webAclSource } from '../../../src/sources/waf/web-acl.js';
import { rowOf, runOnScenario } from '../../support/run-source.js';
import { stubSource } from '../../support/stub-sources.js';

const ACL = 'arn:aws:wafv2:us-east-1:111111111111:regional/webacl/edge/1234';
const stage = (stageName: string, webAclArn?: string): StageEvidence => ({
  stageName,
  loggingLevel: 'INFO',
  dataTraceEnabled: false,
  methodSettings: {},
  ...(webAclArn ? { webAclArn } : {}),
});

function scenario(faults: unknown[] = []) {
  return {
    name: 'waf', apiId: 'a1b2c3d4e5', now: '2026-11-20T10:00:00Z',
    accounts: [{
      accountId: '111111111111',
      wafv2: { webAcls: [{ Name: 'edge', Id: '1234', ARN: ACL, DefaultAction: { Allow: {} }, Rules: [
        { Name: 'managed', Priority: 0, OverrideAction: { None: {} } },
        { Name: 'rate', Priority: 1, Action: { Block: {} } },
      ] }] },
    }],
    faults,
  };
}
const withStages = (stages: StageEvidence[], stageName?: string) => ({ before: [stubSource('apigw.stages', stages)], ...(stageName ? { stage: stageName } : {}) });

describe('parseWebAclArn', () => {
  it('reads scope, name and id', () => {
    expect(parseWebAclArn(ACL)).toEqual({ region: 'us-east-1', accountId: '111111111111', scope: 'REGIONAL', name: 'edge', id: '1234' });
    expect(parseWebAclArn('arn:aws:wafv2:us-east-1:111111111111:global/webacl/cf/99')?.scope).toBe('CLOUDFRONT');
    expect(parseWebAclArn('nonsense')).toBeUndefined();
  });
});

describe('waf.web-acl', () => {
  it('reads the web ACL of each targeted stage', async () => {
    const result = await runOnScenario(webAclSource, scenario(), withStages([stage('prod', ACL), stage('dev')]));
    const row = rowOf(result, 'waf.web-acl');
    expect(row.status).toBe('ok');
    expect(row.calls).toEqual(['wafv2:GetWebACL']);
    expect(result.evidence['waf.web-acl']).toEqual([
      { stage: 'prod', webAclArn: ACL, name: 'edge', defaultAction: 'ALLOW', rules: [{ name: 'managed', priority: 0, action: 'RULE_GROUP' }, { name: 'rate', priority: 1, action: 'BLOCK' }] },
    ]);
    expect(row.reason).toContain('no web ACL on dev');
  });

  it('is not configured when the stage has no web ACL', async () => {
    const row = rowOf(await runOnScenario(webAclSource, scenario(), withStages([stage('prod', ACL), stage('dev')], 'dev')), 'waf.web-acl');
    expect(row.status).toBe('not_configured');
    expect(row.reason).toContain('no web ACL on stage dev');
    expect(row.calls).toEqual([]);
  });

  it.each([
    ['AccessDeniedException', 'access_denied'],
    ['ThrottlingException', 'throttled'],
  ])('classifies %s', async (error, kind) => {
    const row = rowOf(await runOnScenario(webAclSource, scenario([{ operation: 'wafv2:GetWebACL', error }]), withStages([stage('prod', ACL)])), 'waf.web-acl');
    expect(row.error?.kind).toBe(kind);
    if (kind === 'access_denied') expect(row.error?.action).toBe('wafv2:GetWebACL');
  });

  it('times out on a slow read', async () => {
    const result = await runOnScenario(webAclSource, scenario([{ operation: 'wafv2:GetWebACL', latencyMs: 5000 }]), { ...withStages([stage('prod', ACL)]), sourceTimeoutMs: 200 });
    expect(rowOf(result, 'waf.web-acl').error?.kind).toBe('timeout');
  });
});
