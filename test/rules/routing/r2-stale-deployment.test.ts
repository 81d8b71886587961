import { describe, expect, it } from 'vitest';
import { r2StaleDeployment as rule } from '../../../src/rules/routing/r2-stale-deployment.js';
import { API_ID, failSource, healthyInput } from '../fixtures.js';

const change = (eventName: string, eventTime: string, restApiId = API_ID) => ({
  eventId: `e-${eventName}`, eventName, eventTime, eventSource: 'apigateway.amazonaws.com', requestParameters: { restApiId }, resources: [],
});

describe('R2.stale-deployment', () => {
  it('fires when methods changed after the live deployment', () => {
    const input = healthyInput();
    input.evidence['cloudtrail.changes']!.push(change('PutIntegration', '2026-11-20T08:00:00Z'));
    const [f] = rule.evaluate(input);
    expect(f?.evidence.map((e) => e.quote)).toContain('deployment dep1 created 2026-11-19T08:00:00.000Z');
  });

  it('does not fire for changes to another API or before the deployment (near misses)', () => {
    const input = healthyInput();
    input.evidence['cloudtrail.changes']!.push(change('PutIntegration', '2026-11-20T08:00:00Z', 'otherapi00'), change('PutMethod', '2026-11-18T08:00:00Z'));
    expect(rule.evaluate(input)).toEqual([]);
  });

  it('is inconclusive without CloudTrail', () => {
    expect(rule.evaluate(failSource(healthyInput(), 'cloudtrail.changes'))[0]).toMatchObject({ inconclusive: true });
  });
});
