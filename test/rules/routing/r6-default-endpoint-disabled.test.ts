import { describe, expect, it } from 'vitest';
import { r6DefaultEndpointDisabled as rule } from '../../../src/rules/routing/r6-default-endpoint-disabled.js';
import { healthyInput } from '../fixtures.js';

describe('R6.default-endpoint-disabled', () => {
  it('fires high when the default endpoint is disabled and no domain serves the API', () => {
    const input = healthyInput();
    input.evidence['apigw.rest-api']!.disableExecuteApiEndpoint = true;
    input.evidence['apigw.domains'] = [];
    expect(rule.evaluate(input)[0]).toMatchObject({ severity: 'high', evidence: [{ quote: 'a1b2c3d4e5 disableExecuteApiEndpoint true' }] });
  });

  it('only informs when a custom domain serves the API (near miss)', () => {
    const input = healthyInput();
    input.evidence['apigw.rest-api']!.disableExecuteApiEndpoint = true;
    expect(rule.evaluate(input)[0]?.severity).toBe('info');
  });

  it('does not fire when the default endpoint is on', () => {
    expect(rule.evaluate(healthyInput())).toEqual([]);
  });
});
