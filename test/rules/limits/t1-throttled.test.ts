import { describe, expect, it } from 'vitest';
import { t1Throttled as rule } from '../../../src/rules/limits/t1-throttled.js';
import { accessRecord, healthyInput } from '../fixtures.js';

describe('T1.throttled', () => {
  it('fires on THROTTLED responses and quotes the limits', () => {
    const input = healthyInput();
    input.evidence['apigw.stages']![0]!.methodSettings['*/*'] = { throttlingRateLimit: 10, throttlingBurstLimit: 5 };
    input.evidence['logs.access']![0]!.records.push(...Array.from({ length: 25 }, () => accessRecord({ status: 429 }, { responseType: 'THROTTLED' })));
    const [f] = rule.evaluate(input);
    expect(f?.evidence.map((e) => e.quote)).toContain('prod */* throttling rate 10 burst 5');
  });

  it('does not fire on quota 429s (those are T2, near miss)', () => {
    const input = healthyInput();
    input.evidence['logs.access']![0]!.records.push(...Array.from({ length: 25 }, () => accessRecord({ status: 429 }, { responseType: 'QUOTA_EXCEEDED' })));
    expect(rule.evaluate(input)).toEqual([]);
  });
});
