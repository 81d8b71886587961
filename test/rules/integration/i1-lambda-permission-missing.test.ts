import { describe, expect, it } from 'vitest';
import { i1LambdaPermissionMissing as rule } from '../../../src/rules/integration/i1-lambda-permission-missing.js';
import { failSource, healthyInput, requestLines } from '../fixtures.js';

describe('I1.lambda-permission-missing', () => {
  it('fires when the integration function does not allow this API', () => {
    const input = healthyInput();
    input.evidence['lambda.functions']![0]!.invokePermission = { allowsThisApi: false, matchingStatements: [], reason: 'no resource policy' };
    const [f] = rule.evaluate(input);
    expect(f).toMatchObject({ severity: 'critical', evidence: [{ source: 'lambda.functions', key: 'orders', quote: 'orders invoke permission: no resource policy' }] });
    expect(f?.fix).toContain('--function-name orders');
  });

  it('fires on a single "Invalid permissions" execution line', () => {
    const input = healthyInput();
    input.evidence['logs.execution']![0]!.lines.push(...requestLines('x', ['Execution failed due to configuration error: Invalid permissions on Lambda function']));
    expect(rule.evaluate(input)).toHaveLength(1);
  });

  it('does not fire when only the authorizer lacks permission (near miss)', () => {
    const input = healthyInput();
    input.evidence['lambda.functions']![1]!.invokePermission = { allowsThisApi: false, matchingStatements: [] };
    expect(rule.evaluate(input)).toEqual([]);
  });

  it('says it cannot rule it out when the function is in an account without a role', () => {
    const input = healthyInput();
    input.evidence['lambda.functions']![0]!.unreadable = 'no role for account 222222222222';
    delete input.evidence['lambda.functions']![0]!.invokePermission;
    expect(rule.evaluate(input)[0]).toMatchObject({ inconclusive: true, detail: expect.stringContaining('no role for account 222222222222') });
  });

  it('is inconclusive when functions could not be read', () => {
    expect(rule.evaluate(failSource(healthyInput(), 'lambda.functions', { kind: 'access_denied', message: 'x', action: 'lambda:GetPolicy' }))[0]?.detail).toContain('lambda:GetPolicy');
  });
});
