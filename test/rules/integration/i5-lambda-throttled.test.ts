import { describe, expect, it } from 'vitest';
import { i5LambdaThrottled as rule } from '../../../src/rules/integration/i5-lambda-throttled.js';
import { failSource, healthyInput, repeatRequests, requestLines } from '../fixtures.js';

describe('I5.lambda-throttled', () => {
  it('fires critical when reserved concurrency is 0', () => {
    const input = healthyInput();
    input.evidence['lambda.functions']![0]!.reservedConcurrency = 0;
    expect(rule.evaluate(input)[0]).toMatchObject({ severity: 'critical', evidence: [{ quote: 'orders reservedConcurrency 0' }] });
  });

  it('fires on Lambda 429s in the execution logs, low for a small share that stopped before the window end', () => {
    const input = healthyInput();
    input.evidence['logs.execution']![0]!.lines.push(...repeatRequests(6, ['Lambda invocation failed with status: 429. Lambda request id: x', 'Execution failed due to configuration error: Rate Exceeded.']));
    expect(rule.evaluate(input)[0]).toMatchObject({ rule: 'I5.lambda-throttled', severity: 'low' });
  });

  it('is high when a large share of the traffic is throttled and it is still happening', () => {
    const input = healthyInput();
    const messages = ['Lambda invocation failed with status: 429. Lambda request id: x', 'Execution failed due to configuration error: Rate Exceeded.'];
    input.evidence['logs.execution']![0]!.lines.push(...Array.from({ length: 120 }, (_, i) => requestLines(`t-${i}`, messages, 1)).flat());
    expect(rule.evaluate(input)[0]).toMatchObject({ severity: 'high' });
  });

  it('does not fire for a positive reserved concurrency (near miss)', () => {
    const input = healthyInput();
    input.evidence['lambda.functions']![0]!.reservedConcurrency = 50;
    expect(rule.evaluate(input)).toEqual([]);
  });

  it('is inconclusive without execution and Lambda logs', () => {
    const input = failSource(failSource(healthyInput(), 'logs.execution'), 'logs.lambda');
    expect(rule.evaluate(input)[0]).toMatchObject({ inconclusive: true });
  });
});
