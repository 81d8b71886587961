import { describe, expect, it } from 'vitest';
import { i6IntegrationTimeout as rule } from '../../../src/rules/integration/i6-integration-timeout.js';
import { failSource, healthyInput, repeatRequests } from '../fixtures.js';

describe('I6.integration-timeout', () => {
  it('fires on timeouts and compares the function timeout with the integration timeout', () => {
    const input = healthyInput();
    input.evidence['lambda.functions']![0]!.timeout = 30;
    input.evidence['logs.execution']![0]!.lines.push(...repeatRequests(12, ['Execution failed due to a timeout error', 'Method completed with status: 504']));
    const [f] = rule.evaluate(input);
    expect(f?.evidence.map((e) => e.quote)).toContain('timeoutInMillis 29000 vs orders Timeout 30s');
  });

  it('does not fire on a function timeout longer than the integration when nothing timed out (near miss)', () => {
    const input = healthyInput();
    input.evidence['lambda.functions']![0]!.timeout = 30;
    expect(rule.evaluate(input)).toEqual([]);
  });

  it('is inconclusive when no log source could be read', () => {
    const input = failSource(failSource(failSource(healthyInput(), 'logs.execution'), 'logs.access'), 'logs.lambda');
    expect(rule.evaluate(input)[0]).toMatchObject({ inconclusive: true });
  });
});
