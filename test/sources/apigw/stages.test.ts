import { describe, expect, it } from 'vitest';
import { restApiSource } from '../../../src/sources/apigw/rest-api.js';
import { stagesSource } from '../../../src/sources/apigw/stages.js';
import { rowOf, runOnScenario } from '../../support/run-source.js';
import { ACCESS_LOG_ARN, API_ID, healthyApi, healthyStage, itReportsAwsErrors, scenario } from '../fixture.js';

const before = [restApiSource];

const twoStages = healthyApi({
  stages: [
    healthyStage({
      webAclArn: 'arn:aws:wafv2:us-east-1:111111111111:regional/webacl/edge/1234',
      canarySettings: { percentTraffic: 10, deploymentId: 'dep2' },
      methodSettings: {
        '*/*': { loggingLevel: 'ERROR', dataTraceEnabled: true, throttlingRateLimit: 100, throttlingBurstLimit: 50 },
        '~1orders/GET': { loggingLevel: 'INFO' },
      },
    }),
    { stageName: 'dev', deploymentId: 'dep2' },
  ],
  deployments: [
    { id: 'dep1', createdDate: '2026-11-19T08:00:00Z' },
    { id: 'dep2', createdDate: '2026-11-20T07:00:00Z' },
  ],
});

describe('apigw.stages', () => {
  it('reads every stage with its deployment date when no stage is targeted', async () => {
    const result = await runOnScenario(stagesSource, scenario({ api: twoStages, stage: null }), { before });
    const row = rowOf(result, 'apigw.stages');
    expect(row.status).toBe('ok');
    expect(row.count).toBe(2);
    expect(row.calls).toEqual(['apigateway:GetDeployments', 'apigateway:GetStages']);
    const [prod, dev] = result.evidence['apigw.stages'] ?? [];
    expect(prod).toMatchObject({
      stageName: 'prod',
      deploymentId: 'dep1',
      deploymentCreatedDate: '2026-11-19T08:00:00.000Z',
      loggingLevel: 'ERROR',
      dataTraceEnabled: true,
      accessLog: { destinationArn: ACCESS_LOG_ARN },
      webAclArn: 'arn:aws:wafv2:us-east-1:111111111111:regional/webacl/edge/1234',
      canary: { percentTraffic: 10, deploymentId: 'dep2' },
    });
    expect(prod?.methodSettings['*/*']).toEqual({ loggingLevel: 'ERROR', dataTraceEnabled: true, throttlingRateLimit: 100, throttlingBurstLimit: 50 });
    expect(prod?.methodSettings['~1orders/GET']?.loggingLevel).toBe('INFO');
    // No "*/*" settings: logging was never enabled.
    expect(dev).toMatchObject({ stageName: 'dev', loggingLevel: 'OFF', dataTraceEnabled: false, deploymentCreatedDate: '2026-11-20T07:00:00.000Z' });
    expect(dev?.accessLog).toBeUndefined();
  });

  it('reads only the targeted stage', async () => {
    const result = await runOnScenario(stagesSource, scenario({ api: twoStages, stage: 'dev' }), { before });
    const row = rowOf(result, 'apigw.stages');
    expect(row.calls).toEqual(['apigateway:GetDeployments', 'apigateway:GetStage']);
    expect(result.evidence['apigw.stages']?.map((s) => s.stageName)).toEqual(['dev']);
  });

  it('reports a stage that does not exist as not_found, naming the existing ones', async () => {
    const row = rowOf(await runOnScenario(stagesSource, scenario({ api: twoStages, stage: 'production' }), { before }), 'apigw.stages');
    expect(row.status).toBe('error');
    expect(row.error?.kind).toBe('not_found');
    expect(row.error?.message).toBe(`stage production not found on API ${API_ID}; existing stages: prod, dev`);
    expect(row.hint).toBe('use one of: prod, dev');
  });

  it('is empty when the API was never deployed', async () => {
    const result = await runOnScenario(stagesSource, scenario({ api: healthyApi({ stages: [], deployments: [] }), stage: null }), { before });
    const row = rowOf(result, 'apigw.stages');
    expect(row.status).toBe('empty');
    expect(row.reason).toBe('API a1b2c3d4e5 has no stages and no deployment: it was never deployed');
    expect(row.calls).toContain('apigateway:GetDeployments');
    expect(result.evidence['apigw.stages']).toEqual([]);
  });

  it('tells a deployed API whose stages were deleted from a never-deployed one', async () => {
    const result = await runOnScenario(stagesSource, scenario({ api: healthyApi({ stages: [], deployments: [{ id: 'dep1', createdDate: '2024-04-01T00:00:00Z' }] }), stage: null }), { before });
    expect(rowOf(result, 'apigw.stages')).toMatchObject({ status: 'empty', reason: 'API a1b2c3d4e5 has no stages: it has deployments, but none is on a stage' });
  });

  it('keeps an empty stage list when the named stage is missing because the API has none', async () => {
    const result = await runOnScenario(stagesSource, scenario({ api: healthyApi({ stages: [], deployments: [] }) }), { before });
    expect(rowOf(result, 'apigw.stages')).toMatchObject({ status: 'error', error: { kind: 'not_found' } });
    expect(result.evidence['apigw.stages']).toEqual([]);
  });

  it('fails as dependency_failed when the API does not exist', async () => {
    const data = scenario({ faults: [{ operation: 'apigateway:GetRestApi', error: 'NotFoundException' }] });
    const row = rowOf(await runOnScenario(stagesSource, data, { before }), 'apigw.stages');
    expect(row.error).toMatchObject({ kind: 'dependency_failed', dependency: 'apigw.rest-api' });
  });

  itReportsAwsErrors(stagesSource, 'apigateway:GetStage', { before });
  // Without a targeted stage every stage is listed: GetStages, not GetStage, is the call that fails.
  itReportsAwsErrors(stagesSource, 'apigateway:GetStages', { before, parts: { stage: null } });
  // The deployment list is read side by side with the stages; a deployment it lacks (or a refused
  // list) is read on its own, and that read's failure is the row's.
  itReportsAwsErrors(stagesSource, 'apigateway:GetDeployment', { before, parts: { faults: [{ operation: 'apigateway:GetDeployments', error: 'AccessDeniedException' }] } });

  it('reads the deployment dates side by side with the stage, and one by one only when the list cannot say', async () => {
    const listed = rowOf(await runOnScenario(stagesSource, scenario({ api: twoStages, stage: 'dev' }), { before, latencyMs: 20 }), 'apigw.stages');
    expect(listed.calls).not.toContain('apigateway:GetDeployment');
    const refused = await runOnScenario(stagesSource, scenario({ api: twoStages, stage: 'dev', faults: [{ operation: 'apigateway:GetDeployments', error: 'AccessDeniedException' }] }), { before });
    expect(rowOf(refused, 'apigw.stages')).toMatchObject({ status: 'ok', calls: ['apigateway:GetDeployments', 'apigateway:GetStage', 'apigateway:GetDeployment'] });
    expect(refused.evidence['apigw.stages']?.[0]?.deploymentCreatedDate).toBe('2026-11-20T07:00:00.000Z');
  });
});
