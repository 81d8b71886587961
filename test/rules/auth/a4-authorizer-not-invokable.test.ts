import { describe, expect, it } from 'vitest';
import { a4AuthorizerNotInvokable as rule } from '../../../src/rules/auth/a4-authorizer-not-invokable.js';
import { failSource, healthyInput, requestLines } from '../fixtures.js';

describe('A4.authorizer-not-invokable', () => {
  it('fires when the authorizer function does not allow this API', () => {
    const input = healthyInput();
    input.evidence['lambda.functions']![1]!.invokePermission = { allowsThisApi: false, matchingStatements: [], reason: 'SourceArn names api zzzzzzzzzz' };
    const [f] = rule.evaluate(input);
    expect(f?.evidence[0]?.quote).toBe('authz: SourceArn names api zzzzzzzzzz');
    expect(f?.fix).toContain('authorizers/*');
  });

  it('cannot rule it out when the authorizer list failed and a method uses a custom authorizer', () => {
    const [f] = rule.evaluate(failSource(healthyInput(), 'apigw.authorizers'));
    expect(f).toMatchObject({ inconclusive: true, severity: 'low', title: 'Cannot rule out: a Lambda authorizer that API Gateway may not invoke' });
  });

  it('fires from the execution-log signature alone', () => {
    const input = healthyInput();
    input.evidence['logs.execution']![0]!.lines.push(
      ...requestLines('x1', ['Execution failed due to configuration error: Invalid permissions on Lambda function', 'Execution failed due to configuration error: Authorizer error']),
    );
    expect(rule.evaluate(input)[0]?.evidence[0]?.quote).toContain('API Gateway may not invoke the authorizer function');
  });

  it('does not fire when the integration (not the authorizer) lacks permission (near miss)', () => {
    const input = healthyInput();
    input.evidence['lambda.functions']![0]!.invokePermission = { allowsThisApi: false, matchingStatements: [] };
    expect(rule.evaluate(input)).toEqual([]);
  });

  it('is inconclusive when neither the function nor the execution logs could be read', () => {
    const input = failSource(failSource(healthyInput(), 'lambda.functions'), 'logs.execution');
    expect(rule.evaluate(input)[0]).toMatchObject({ inconclusive: true });
  });
});
