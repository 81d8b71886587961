import { describe, expect, it } from 'vitest';
import { a3AuthorizerFunctionFails as rule } from '../../../src/rules/auth/a3-authorizer-function-fails.js';
import { a4AuthorizerNotInvokable } from '../../../src/rules/auth/a4-authorizer-not-invokable.js';
import { i4LambdaFunctionError } from '../../../src/rules/integration/i4-lambda-function-error.js';
import { failSource, healthyInput, repeatRequests } from '../fixtures.js';

const failing = [
  'Lambda execution failed with status 200 due to customer function error: connect ETIMEDOUT 10.0.12.40:443. Lambda request id: 1',
  'Execution failed due to configuration error: Authorizer error',
  'Gateway response type: AUTHORIZER_CONFIGURATION_ERROR with status code: 500',
];

describe('A3.authorizer-function-fails', () => {
  it('fires when the authorizer function throws, and A4 and I4 stay silent', () => {
    const input = healthyInput();
    // 80 of the stage's 280 requests, still failing a minute ago: the rule's full severity.
    input.evidence['logs.execution']![0]!.lines.push(...repeatRequests(80, failing, 1));
    expect(rule.evaluate(input)[0]).toMatchObject({ rule: 'A3.authorizer-function-fails', severity: 'high' });
    expect(a4AuthorizerNotInvokable.evaluate(input)).toEqual([]);
    expect(i4LambdaFunctionError.evaluate(input)).toEqual([]);
  });

  it('counts errors in the authorizer function\'s own log as A3, not I4', () => {
    const input = healthyInput();
    input.evidence['logs.lambda']!.push({ functionName: 'authz', logGroup: '/aws/lambda/authz', errors: 9, timeouts: 0, throttles: 0, lines: [{ timestamp: 1, message: 'ERROR Invoke Error' }] });
    expect(rule.evaluate(input)).toHaveLength(1);
    expect(i4LambdaFunctionError.evaluate(input)).toEqual([]);
  });

  it('stays silent for an authorizer API Gateway may not invoke (near miss: A4)', () => {
    const input = healthyInput();
    input.evidence['logs.execution']![0]!.lines.push(...repeatRequests(5, ['Execution failed due to configuration error: Invalid permissions on Lambda function', 'Execution failed due to configuration error: Authorizer error']));
    expect(rule.evaluate(input)).toEqual([]);
    expect(a4AuthorizerNotInvokable.evaluate(input)).toHaveLength(1);
  });

  it('is inconclusive without execution and Lambda logs', () => {
    const input = failSource(failSource(healthyInput(), 'logs.execution'), 'logs.lambda');
    expect(rule.evaluate(input)[0]).toMatchObject({ inconclusive: true });
  });
});
