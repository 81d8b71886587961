import { describe, expect, it } from 'vitest';
import { i3MalformedProxyResponse as rule } from '../../../src/rules/integration/i3-malformed-proxy-response.js';
import { failSource, healthyInput, repeatRequests } from '../fixtures.js';

describe('I3.malformed-proxy-response', () => {
  it('fires on repeated malformed proxy responses', () => {
    const input = healthyInput();
    input.evidence['logs.execution']![0]!.lines.push(...repeatRequests(10, ['Execution failed due to configuration error: Malformed Lambda proxy response', 'Method completed with status: 502']));
    const [f] = rule.evaluate(input);
    expect(f?.evidence[0]?.quote).toMatch(/^malformed Lambda proxy response: /);
    expect(f?.figures?.find((g) => g.scope.kind === 'stage')).toMatchObject({ numerator: 10, denominator: 200, exact: true, basis: 'logs' });
  });

  it('does not fire on a single occurrence (near miss: at most a low note)', () => {
    const input = healthyInput();
    input.evidence['logs.execution']![0]!.lines.push(...repeatRequests(1, ['Execution failed due to configuration error: Malformed Lambda proxy response']));
    expect(rule.evaluate(input).filter((f) => f.severity !== 'low' && f.severity !== 'info')).toEqual([]);
  });

  it('is inconclusive without execution logs', () => {
    expect(rule.evaluate(failSource(healthyInput(), 'logs.execution'))[0]).toMatchObject({ inconclusive: true });
  });
});
