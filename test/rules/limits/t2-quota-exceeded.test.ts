import { describe, expect, it } from 'vitest';
import { t2QuotaExceeded as rule } from '../../../src/rules/limits/t2-quota-exceeded.js';
import { API_ID, accessRecord, failSource, healthyInput } from '../fixtures.js';

describe('T2.quota-exceeded', () => {
  it('fires on QUOTA_EXCEEDED responses and quotes the plan quota', () => {
    const input = healthyInput();
    input.evidence['apigw.usage-plans'] = [{ id: 'up1', name: 'gold', apiStages: [{ apiId: API_ID, stage: 'prod' }], quota: { limit: 1000, period: 'DAY' } }];
    input.evidence['logs.access']![0]!.records.push(...Array.from({ length: 25 }, () => accessRecord({ status: 429 }, { responseType: 'QUOTA_EXCEEDED' })));
    expect(rule.evaluate(input)[0]?.evidence.map((e) => e.quote)).toContain('usage plan gold quota 1000 per DAY');
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
