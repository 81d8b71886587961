import { describe, expect, it } from 'vitest';
import { a7ApiKeyUsagePlan as rule } from '../../../src/rules/auth/a7-api-key-usage-plan.js';
import { API_ID, accessRecord, at, failSource, healthyInput } from '../fixtures.js';

function keyed() {
  const input = healthyInput();
  input.evidence['apigw.resources']![0]!.apiKeyRequired = true;
  return input;
}

describe('A7.api-key-usage-plan', () => {
  it('fires when a key-required method has no usage plan for the stage', () => {
    const input = keyed();
    input.evidence['apigw.usage-plans'] = [{ id: 'up1', name: 'gold', apiStages: [{ apiId: API_ID, stage: 'dev' }] }];
    const [f] = rule.evaluate(input);
    expect(f?.evidence.map((e) => e.quote)).toEqual(['GET /orders apiKeyRequired true', `usage plans for ${API_ID}/prod: none (of 1)`]);
  });

  it('does not fire when a plan covers the stage (near miss)', () => {
    const input = keyed();
    input.evidence['apigw.usage-plans'] = [{ id: 'up1', apiStages: [{ apiId: API_ID, stage: 'prod' }] }];
    expect(rule.evaluate(input)).toEqual([]);
  });

  it('fires (medium) on many INVALID_API_KEY responses', () => {
    const input = healthyInput();
    input.evidence['logs.access']![0]!.records.push(...Array.from({ length: 30 }, () => accessRecord({ status: 403, timestamp: at(1) }, { responseType: 'INVALID_API_KEY' })));
    expect(rule.evaluate(input)[0]).toMatchObject({ severity: 'medium' });
  });

  it('is inconclusive when usage plans could not be read', () => {
    expect(rule.evaluate(failSource(keyed(), 'apigw.usage-plans'))[0]).toMatchObject({ inconclusive: true });
  });
});
