import { describe, expect, it } from 'vitest';
import { r3BasePathMappingWrong as rule } from '../../../src/rules/routing/r3-base-path-mapping-wrong.js';
import { API_ID, healthyInput } from '../fixtures.js';

describe('R3.base-path-mapping-wrong', () => {
  it('fires when a mapping names a stage that does not exist', () => {
    const input = healthyInput();
    input.evidence['apigw.domains']![0]!.mappings = [{ basePath: 'orders', restApiId: API_ID, stage: 'v1' }];
    expect(rule.evaluate(input)[0]?.evidence[0]?.quote).toBe(`orders.internal.example.com orders → ${API_ID}/v1`);
  });

  it('fires (medium) when the domain maps this API only to another stage', () => {
    const input = healthyInput();
    input.evidence['apigw.stages']!.push({ ...input.evidence['apigw.stages']![0]!, stageName: 'dev' });
    input.evidence['apigw.domains']![0]!.mappings = [{ basePath: '(none)', restApiId: API_ID, stage: 'dev' }];
    expect(rule.evaluate(input)[0]).toMatchObject({ severity: 'medium' });
  });

  it('does not fire when the mapping reaches the stage (near miss)', () => {
    expect(rule.evaluate(healthyInput())).toEqual([]);
  });
});
