import { describe, expect, it } from 'vitest';
import { a2IdentitySourceMissing as rule } from '../../../src/rules/auth/a2-identity-source-missing.js';
import { accessRecord, failSource, healthyInput, repeatRequests } from '../fixtures.js';

const unauthorized = (n: number) => Array.from({ length: n }, (_, i) => accessRecord({ requestId: `u-${i}`, status: 401 }, { responseType: 'UNAUTHORIZED' }));

describe('A2.identity-source-missing', () => {
  it('fires on significant 401s in front of a TOKEN authorizer, naming its identity source', () => {
    const input = healthyInput();
    input.evidence['apigw.authorizers']![0]!.identitySource = 'method.request.header.Authorization';
    input.evidence['logs.access']![0]!.records.push(...unauthorized(40));
    const [f] = rule.evaluate(input);
    expect(f).toMatchObject({ rule: 'A2.identity-source-missing', severity: 'high' });
    expect(f?.detail).toContain('method.request.header.Authorization');
  });

  it('reads the execution log line too', () => {
    const input = healthyInput();
    input.evidence['logs.execution']![0]!.lines.push(...repeatRequests(10, ['Starting authorizer: au1 for request: x', 'Unauthorized request: x']));
    expect(rule.evaluate(input)).toHaveLength(1);
  });

  it('leaves 401s to A3 when the authorizer function itself fails (near miss)', () => {
    const input = healthyInput();
    input.evidence['logs.access']![0]!.records.push(...unauthorized(40));
    input.evidence['logs.lambda']!.push({ functionName: 'authz', logGroup: '/aws/lambda/authz', errors: 40, timeouts: 0, throttles: 0, lines: [{ timestamp: 1, message: 'ERROR Unauthorized' }] });
    expect(rule.evaluate(input)).toEqual([]);
  });

  it('is inconclusive without execution and access logs', () => {
    const input = failSource(failSource(healthyInput(), 'logs.execution'), 'logs.access');
    expect(rule.evaluate(input)[0]).toMatchObject({ inconclusive: true, severity: 'low' });
  });
});
