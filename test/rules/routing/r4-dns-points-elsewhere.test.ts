import { describe, expect, it } from 'vitest';
import { r4DnsPointsElsewhere as rule } from '../../../src/rules/routing/r4-dns-points-elsewhere.js';
import { failSource, healthyInput } from '../fixtures.js';

describe('R4.dns-points-elsewhere', () => {
  it('fires when the CNAME still points at the replaced API domain', () => {
    const input = healthyInput();
    Object.assign(input.evidence['dns.custom-domains']![0]!, { cnames: ['d-old999.execute-api.us-east-1.amazonaws.com'], verdict: 'stale' });
    const [f] = rule.evaluate(input);
    expect(f?.severity).toBe('critical');
    expect(f?.evidence[0]?.quote).toBe('orders.internal.example.com CNAME → d-old999.execute-api.us-east-1.amazonaws.com (expected d-abc123.execute-api.us-east-1.amazonaws.com)');
  });

  it('does not fire when DNS is current or an alias (near miss)', () => {
    expect(rule.evaluate(healthyInput())).toEqual([]);
    const input = healthyInput();
    input.evidence['dns.custom-domains']![0]!.verdict = 'alias';
    expect(rule.evaluate(input)).toEqual([]);
  });

  it('is inconclusive when DNS could not be checked', () => {
    expect(rule.evaluate(failSource(healthyInput(), 'dns.custom-domains', { kind: 'timeout', message: 'resolver timed out' }))[0]).toMatchObject({ inconclusive: true });
  });
});
