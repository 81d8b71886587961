import { describe, expect, it } from 'vitest';
import { i2IntegrationRoleNotAssumable as rule } from '../../../src/rules/integration/i2-integration-role-not-assumable.js';
import { failSource, healthyInput, requestLines } from '../fixtures.js';

const ROLE = 'arn:aws:iam::111111111111:role/apigw-invoke';

describe('I2.integration-role-not-assumable', () => {
  it('fires on one "cannot assume the provided role" line and names the role', () => {
    const input = healthyInput();
    input.evidence['apigw.resources']![0]!.integration!.credentials = ROLE;
    input.evidence['logs.execution']![0]!.lines.push(...requestLines('r1', [`Execution failed due to configuration error: API Gateway does not have permission to assume the provided role ${ROLE}`], 1));
    const [f] = rule.evaluate(input);
    // One line decides; one request of 200 still failing is a small share: one step below critical.
    expect(f).toMatchObject({ severity: 'high' });
    expect(f?.figures?.[0]).toMatchObject({ numerator: 1, denominator: 200 });
    expect(f?.fix).toContain(ROLE);
  });

  it('stays silent when a role is configured and nothing fails (near miss)', () => {
    const input = healthyInput();
    input.evidence['apigw.resources']![0]!.integration!.credentials = ROLE;
    expect(rule.evaluate(input)).toEqual([]);
  });

  it('is inconclusive for an integration role without execution logs', () => {
    const input = failSource(healthyInput(), 'logs.execution');
    input.evidence['apigw.resources']![0]!.integration!.credentials = ROLE;
    expect(rule.evaluate(input)[0]).toMatchObject({ inconclusive: true });
  });
});
