import { describe, expect, it } from 'vitest';
import { r5EndpointTypeMismatch as rule } from '../../../src/rules/routing/r5-endpoint-type-mismatch.js';
import { healthyInput } from '../fixtures.js';

describe('R5.endpoint-type-mismatch', () => {
  it('fires when a REGIONAL domain maps a PRIVATE API', () => {
    const input = healthyInput();
    input.evidence['apigw.domains']![0]!.endpointTypes = ['REGIONAL'];
    expect(rule.evaluate(input)[0]?.evidence.map((e) => e.quote)).toEqual(['orders.internal.example.com endpoint type REGIONAL', 'a1b2c3d4e5 endpoint type PRIVATE']);
  });

  it('does not fire for a domain that does not map this API, nor for matching types (near misses)', () => {
    expect(rule.evaluate(healthyInput())).toEqual([]);
    const input = healthyInput();
    Object.assign(input.evidence['apigw.domains']![0]!, { endpointTypes: ['REGIONAL'], mapsToThisApi: false });
    expect(rule.evaluate(input)).toEqual([]);
  });
});
