import { describe, expect, it } from 'vitest';
import { r1RouteNotDeployed as rule } from '../../../src/rules/routing/r1-route-not-deployed.js';
import { accessRecord, healthyInput } from '../fixtures.js';

describe('R1.route-not-deployed', () => {
  it('fires critical when the target stage does not exist', () => {
    const input = healthyInput();
    input.target.stage = 'prd';
    const [f] = rule.evaluate(input);
    expect(f).toMatchObject({ severity: 'critical', evidence: [{ quote: 'stages: prod; no prd' }] });
  });

  it('fires when a significant share of requests get Missing Authentication Token', () => {
    const input = healthyInput();
    const bad = Array.from({ length: 20 }, () => accessRecord({ status: 403, resourcePath: '/order' }, { responseType: 'MISSING_AUTHENTICATION_TOKEN' }));
    input.evidence['logs.access']![0]!.records.push(...bad);
    const [f] = rule.evaluate(input);
    expect(f?.evidence[0]).toMatchObject({ source: 'logs.access', key: 'prod' });
    expect(f?.evidence[0]?.quote).toContain('20 × Missing Authentication Token');
  });

  it('does not fire for a couple of stray 403s in healthy traffic (near miss)', () => {
    const input = healthyInput();
    input.evidence['logs.access']![0]!.records.push(accessRecord({ status: 403 }, { responseType: 'MISSING_AUTHENTICATION_TOKEN' }));
    expect(rule.evaluate(input)).toEqual([]);
  });
});
