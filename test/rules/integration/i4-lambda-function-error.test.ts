import { describe, expect, it } from 'vitest';
import { i4LambdaFunctionError as rule } from '../../../src/rules/integration/i4-lambda-function-error.js';
import { failSource, healthyInput, repeatRequests } from '../fixtures.js';

describe('I4.lambda-function-error', () => {
  it('fires on function errors in the execution logs', () => {
    const input = healthyInput();
    input.evidence['logs.execution']![0]!.lines.push(...repeatRequests(8, ['Lambda execution failed with status 200 due to customer function error: TypeError. Lambda request id: x', 'Method completed with status: 502']));
    const [f] = rule.evaluate(input);
    expect(f?.evidence[0]?.quote).toMatch(/^Lambda function error: /);
    expect(f?.figures?.[0]).toMatchObject({ numerator: 8, denominator: 200 });
  });

  it('fires on errors in the function\'s own logs', () => {
    const input = healthyInput();
    input.evidence['logs.lambda']![0] = { functionName: 'orders', logGroup: '/aws/lambda/orders', errors: 12, timeouts: 0, throttles: 0, lines: [{ timestamp: 1, message: 'ERROR Invoke Error TypeError: x is undefined' }] };
    expect(rule.evaluate(input)[0]?.evidence[0]).toMatchObject({ source: 'logs.lambda' });
  });

  it('does not fire when the malformed-response signature explains the 502s (near miss)', () => {
    const input = healthyInput();
    input.evidence['logs.execution']![0]!.lines.push(...repeatRequests(8, ['Execution failed due to configuration error: Malformed Lambda proxy response', 'Method completed with status: 502']));
    expect(rule.evaluate(input)).toEqual([]);
  });

  it('is inconclusive when no log source could be read', () => {
    const input = failSource(failSource(failSource(healthyInput(), 'logs.execution'), 'logs.access'), 'logs.lambda');
    expect(rule.evaluate(input)[0]).toMatchObject({ inconclusive: true });
  });
});
