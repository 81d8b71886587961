import { describe, expect, it } from 'vitest';
import { a1AuthorizerDenies as rule } from '../../../src/rules/auth/a1-authorizer-denies.js';
import { accessRecord, failSource, healthyInput } from '../fixtures.js';

const denies = (n: number) => Array.from({ length: n }, () => accessRecord({ status: 403 }, { responseType: 'ACCESS_DENIED' }));

describe('A1.authorizer-denies', () => {
  it('fires on a significant share of authorizer denies and names the caching trap', () => {
    const input = healthyInput();
    input.evidence['logs.access']![0]!.records.push(...denies(40));
    input.evidence['apigw.authorizers']![0]!.authorizerResultTtlInSeconds = 300;
    const [f] = rule.evaluate(input);
    expect(f?.detail).toContain('jwt caches results for 300s');
    expect(f?.evidence.map((e) => e.quote)).toContain('jwt authorizerResultTtlInSeconds 300');
  });

  it('does not fire for a few denies among healthy traffic (near miss: at most a low note)', () => {
    const input = healthyInput();
    input.evidence['logs.access']![0]!.records.push(...denies(3));
    expect(rule.evaluate(input).filter((f) => f.severity !== 'low' && f.severity !== 'info')).toEqual([]);
  });

  it('is inconclusive only when neither execution nor access logs could be read', () => {
    expect(rule.evaluate(failSource(healthyInput(), 'logs.execution'))).toEqual([]);
    const input = failSource(failSource(healthyInput(), 'logs.execution'), 'logs.access');
    expect(rule.evaluate(input)[0]).toMatchObject({ inconclusive: true });
  });
});

describe('A1 without authorizers', () => {
  it('leaves ACCESS_DENIED to the policy rules when no method uses an authorizer (near miss)', () => {
    const input = healthyInput();
    input.evidence['apigw.resources']![0]!.authorizationType = 'NONE';
    input.evidence['logs.access']![0]!.records.push(...Array.from({ length: 30 }, (_, i) => accessRecord({ requestId: `d-${i}`, status: 403 }, { responseType: 'ACCESS_DENIED' })));
    expect(rule.evaluate(input)).toEqual([]);
  });
});
