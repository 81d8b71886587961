import { describe, expect, it } from 'vitest';
import { a8WafBlocks as rule } from '../../../src/rules/auth/a8-waf-blocks.js';
import { accessRecord, failSource, healthyInput } from '../fixtures.js';

const blocks = (n: number) => Array.from({ length: n }, () => accessRecord({ status: 403 }, { '$context.error.responseType': 'WAF_FILTERED' }));

describe('A8.waf-blocks', () => {
  it('fires on many WAF_FILTERED responses and quotes the blocking rule', () => {
    const input = healthyInput();
    input.evidence['logs.access']![0]!.records.push(...blocks(50));
    const [f] = rule.evaluate(input);
    expect(f?.evidence.map((e) => e.quote)).toContain('edge rule rate (priority 1) action BLOCK');
  });

  it('does not fire for a WAF with block rules but no blocks in the logs (near miss)', () => {
    expect(rule.evaluate(healthyInput())).toEqual([]);
  });

  it('does not apply to a stage without a web ACL', () => {
    const input = healthyInput();
    delete input.evidence['apigw.stages']![0]!.webAclArn;
    input.evidence['logs.access']![0]!.records.push(...blocks(50));
    expect(rule.evaluate(input)).toEqual([]);
  });

  it('is inconclusive without any logs', () => {
    const input = failSource(failSource(healthyInput(), 'logs.execution'), 'logs.access');
    expect(rule.evaluate(input)[0]).toMatchObject({ inconclusive: true });
  });
});
