import { describe, expect, it } from 'vitest';
import { i6IntegrationTimeout } from '../../../src/rules/integration/i6-integration-timeout.js';
import { i7BackendUnreachable as rule } from '../../../src/rules/integration/i7-backend-unreachable.js';
import { accessRecord, failSource, healthyInput, repeatRequests } from '../fixtures.js';

describe('I7.backend-unreachable', () => {
  it('fires on network errors; the same requests\' bare 504s are not read as timeouts', () => {
    const input = healthyInput();
    input.evidence['apigw.resources']![0]!.integration = { type: 'HTTP_PROXY', uri: 'http://nlb.internal/orders', connectionType: 'VPC_LINK' };
    input.evidence['logs.execution']![0]!.lines.push(...repeatRequests(10, ['Execution failed due to a network error communicating with endpoint: http://nlb.internal/orders']));
    input.evidence['logs.access']![0]!.records.push(...Array.from({ length: 10 }, (_, i) => accessRecord({ requestId: `bad-${i}`, status: 504 })));
    expect(rule.evaluate(input)[0]?.fix).toContain('VPC link');
    expect(i6IntegrationTimeout.evaluate(input)).toEqual([]);
  });

  it('reads INTEGRATION_FAILURE 504 records with the network message', () => {
    const input = healthyInput();
    input.evidence['logs.access']![0]!.records.push(...Array.from({ length: 10 }, (_, i) => accessRecord({ requestId: `n-${i}`, status: 504 }, { responseType: 'INTEGRATION_FAILURE', errorMessage: 'Network error communicating with endpoint' })));
    expect(rule.evaluate(input)).toHaveLength(1);
  });

  it('stays silent on healthy traffic (near miss)', () => {
    expect(rule.evaluate(healthyInput())).toEqual([]);
  });

  it('is inconclusive without logs', () => {
    expect(rule.evaluate(failSource(failSource(healthyInput(), 'logs.execution'), 'logs.access'))[0]).toMatchObject({ inconclusive: true });
  });
});
