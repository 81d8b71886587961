import { describe, expect, it } from 'vitest';
import { restApiSource } from '../../../src/sources/apigw/rest-api.js';
import { usagePlansSource } from '../../../src/sources/apigw/usage-plans.js';
import { rowOf, runOnScenario } from '../../support/run-source.js';
import { API_ID, itReportsAwsErrors, scenario } from '../fixture.js';

const before = [restApiSource];

const usagePlans = [
  { id: 'up1', name: 'gold', apiStages: [{ apiId: API_ID, stage: 'prod' }], throttle: { rateLimit: 100, burstLimit: 50 }, quota: { limit: 10000, period: 'DAY' } },
  { id: 'up2', name: 'dev-only', apiStages: [{ apiId: API_ID, stage: 'dev' }] },
  { id: 'up3', name: 'elsewhere', apiStages: [{ apiId: 'zz9zz9zz9z', stage: 'prod' }] },
];

describe('apigw.usage-plans', () => {
  it('keeps the plans bound to the targeted stage of this API', async () => {
    const result = await runOnScenario(usagePlansSource, scenario({ apigateway: { usagePlans } }), { before });
    const row = rowOf(result, 'apigw.usage-plans');
    expect(row.status).toBe('ok');
    expect(row.count).toBe(1);
    expect(row.reason).toContain('gold (100 rps burst 50, quota 10000/DAY, 0 keys)');
    expect(result.evidence['apigw.usage-plans']).toEqual([
      { id: 'up1', name: 'gold', apiStages: [{ apiId: API_ID, stage: 'prod' }], throttle: { rateLimit: 100, burstLimit: 50 }, quota: { limit: 10000, period: 'DAY' }, keys: [] },
    ]);
  });

  it('reads the keys of each bound plan, keeping only the last 4 characters of their values', async () => {
    const withKeys = [{ ...usagePlans[0], keys: [{ id: 'k-acme', name: 'acme-prod', type: 'API_KEY', value: 'Jh3kP9sQ2mVx7LwN4tRb8yUc1dEf6gAcmE' }] }, ...usagePlans.slice(1)];
    const result = await runOnScenario(usagePlansSource, scenario({ apigateway: { usagePlans: withKeys } }), { before });
    expect(rowOf(result, 'apigw.usage-plans').calls).toContain('apigateway:GetUsagePlanKeys');
    expect(result.evidence['apigw.usage-plans']?.[0]?.keys).toEqual([{ id: 'k-acme', name: 'acme-prod', type: 'API_KEY', valueSuffix: 'AcmE' }]);
    expect(JSON.stringify(result.evidence)).not.toContain('Jh3kP9sQ');
  });

  it('keeps the plans when their keys cannot be read, and says so', async () => {
    const data = scenario({ apigateway: { usagePlans }, faults: [{ operation: 'apigateway:GetUsagePlanKeys', error: 'AccessDeniedException' }] });
    const result = await runOnScenario(usagePlansSource, data, { before });
    const row = rowOf(result, 'apigw.usage-plans');
    expect(row.status).toBe('ok');
    expect(row.reason).toContain('keys not read: access_denied (apigateway:GET)');
    expect(result.evidence['apigw.usage-plans']?.[0]?.keysUnreadable).toBe('access_denied (apigateway:GET)');
  });

  it('keeps plans of every stage when no stage is targeted, across pages', async () => {
    const result = await runOnScenario(usagePlansSource, scenario({ apigateway: { usagePlans }, stage: null, pageSize: 1 }), { before });
    expect(result.evidence['apigw.usage-plans']?.map((p) => p.id)).toEqual(['up1', 'up2']);
  });

  it('is empty when no plan is bound to this API', async () => {
    const result = await runOnScenario(usagePlansSource, scenario({ apigateway: { usagePlans: usagePlans.slice(2) } }), { before });
    const row = rowOf(result, 'apigw.usage-plans');
    expect(row.status).toBe('empty');
    expect(row.reason).toBe(`none of 1 usage plan(s) is bound to API ${API_ID} stage prod`);
  });

  itReportsAwsErrors(usagePlansSource, 'apigateway:GetUsagePlans', { before });
});
