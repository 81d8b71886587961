import { describe, expect, it } from 'vitest';
import { t2QuotaExceeded as rule } from '../../../src/rules/limits/t2-quota-exceeded.js';
import type { UsagePlanEvidence } from '../../../src/core/evidence.js';
import { API_ID, accessRecord, failSource, healthyInput, requestLines } from '../fixtures.js';

const plans = (): UsagePlanEvidence[] => [
  {
    id: 'up1',
    name: 'partner-basic',
    apiStages: [{ apiId: API_ID, stage: 'prod' }],
    quota: { limit: 1000, period: 'DAY' },
    keys: [
      { id: 'k-acme', name: 'acme-prod', type: 'API_KEY', valueSuffix: 'AcmE' },
      { id: 'k-globex', name: 'globex-prod', type: 'API_KEY', valueSuffix: 'GlbX' },
    ],
  },
  { id: 'up2', name: 'partner-gold', apiStages: [{ apiId: API_ID, stage: 'prod' }], quota: { limit: 100000, period: 'DAY' }, keys: [{ id: 'k-umbrella', name: 'umbrella-prod', valueSuffix: 'UmBr' }] },
];
const refused = (keyId: string, count: number) => Array.from({ length: count }, () => accessRecord({ status: 429 }, { responseType: 'QUOTA_EXCEEDED', apiKeyId: keyId }));

describe('T2.quota-exceeded', () => {
  it('fires on QUOTA_EXCEEDED responses and quotes the plan quota', () => {
    const input = healthyInput();
    input.evidence['apigw.usage-plans'] = [{ id: 'up1', name: 'gold', apiStages: [{ apiId: API_ID, stage: 'prod' }], quota: { limit: 1000, period: 'DAY' } }];
    input.evidence['logs.access']![0]!.records.push(...Array.from({ length: 25 }, () => accessRecord({ status: 429 }, { responseType: 'QUOTA_EXCEEDED' })));
    expect(rule.evaluate(input)[0]?.evidence.map((e) => e.quote)).toContain('usage plan gold quota 1000 per DAY');
  });

  it('names the exhausted key among several and the plan that holds it (access-log apiKeyId)', () => {
    const input = healthyInput();
    input.evidence['apigw.usage-plans'] = plans();
    input.evidence['logs.access']![0]!.records.push(...refused('k-acme', 30), ...refused('k-globex', 2));
    const [f] = rule.evaluate(input);
    expect(f?.detail).toContain('The exhausted key: acme-prod (k-acme) of usage plan partner-basic (quota 1000 per DAY), 30 refusals in the logs read; also globex-prod (k-globex) (2).');
    expect(f?.evidence).toContainEqual({ source: 'apigw.usage-plans', key: 'k-acme', quote: 'API key acme-prod (k-acme): 30 × Limit Exceeded (usage plan partner-basic quota 1000 per DAY)' });
    expect(f?.fix).toContain('--usage-plan-id up1');
    expect(f?.fix).toContain('move key acme-prod (k-acme)');
    expect(f?.detail).not.toContain('umbrella');
  });

  it('names it from the masked key of the execution log when the access log lacks apiKeyId', () => {
    const input = healthyInput();
    input.evidence['apigw.usage-plans'] = plans();
    for (let i = 0; i < 25; i++) {
      input.evidence['logs.execution']![0]!.lines.push(
        ...requestLines(`q-${i}`, ['Usage Plan check failed for API Key **********AcmE and API Stage a1b2c3d4e5/prod: Limit Exceeded', 'Gateway response type: QUOTA_EXCEEDED with status code: 429']),
      );
    }
    const [f] = rule.evaluate(input);
    expect(f?.detail).toContain('The exhausted key: acme-prod (k-acme) of usage plan partner-basic');
  });

  it('says the masked key when the plans\u2019 keys could not be read', () => {
    const input = healthyInput();
    input.evidence['apigw.usage-plans'] = plans().map((p) => ({ ...p, keys: undefined, keysUnreadable: 'access_denied (apigateway:GET)' }));
    for (let i = 0; i < 25; i++) input.evidence['logs.execution']![0]!.lines.push(...requestLines(`q-${i}`, ['Usage Plan check failed for API Key **********AcmE and API Stage a1b2c3d4e5/prod: Limit Exceeded']));
    const [f] = rule.evaluate(input);
    expect(f?.detail).toContain('The exhausted key: **********AcmE, 25 refusals');
    expect(f?.detail).toContain('could not be read');
  });

  it('does not fire on throttling 429s (near miss)', () => {
    const input = healthyInput();
    input.evidence['logs.access']![0]!.records.push(...Array.from({ length: 25 }, () => accessRecord({ status: 429 }, { responseType: 'THROTTLED' })));
    expect(rule.evaluate(input)).toEqual([]);
  });

  it('is inconclusive without logs', () => {
    expect(rule.evaluate(failSource(failSource(healthyInput(), 'logs.access'), 'logs.execution'))[0]).toMatchObject({ inconclusive: true });
  });
});
