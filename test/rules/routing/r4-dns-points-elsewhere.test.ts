import { describe, expect, it } from 'vitest';
import { r4DnsPointsElsewhere as rule } from '../../../src/rules/routing/r4-dns-points-elsewhere.js';
import { dnsVerdict } from '../../../src/sources/dns/verdict.js';
import { failSource, healthyInput } from '../fixtures.js';

describe('R4.dns-points-elsewhere', () => {
  it('fires when the CNAME still points at the replaced API domain', () => {
    const input = healthyInput();
    const old = 'd-old999.execute-api.us-east-1.amazonaws.com';
    const record = input.evidence['dns.custom-domains']![0]!;
    Object.assign(record, dnsVerdict(record.domainName, record.expectedTarget, { cnames: [old], addresses: [] }));
    const [f] = rule.evaluate(input);
    expect(f?.severity).toBe('critical');
    // One sentence: where it points, what was expected, what callers get; nothing said twice.
    expect(f?.detail).toBe(
      `orders.internal.example.com CNAME points at ${old} (another API Gateway or CloudFront name), expected d-abc123.execute-api.us-east-1.amazonaws.com: callers reach another API (its behaviour, its errors, or a TLS name mismatch).`,
    );
    expect(f?.evidence[0]?.quote).toBe('orders.internal.example.com CNAME → d-old999.execute-api.us-east-1.amazonaws.com (expected d-abc123.execute-api.us-east-1.amazonaws.com)');
  });

  it('does not fire when DNS is current or an alias (near miss)', () => {
    expect(rule.evaluate(healthyInput())).toEqual([]);
    const input = healthyInput();
    input.evidence['dns.custom-domains']![0]!.verdict = 'alias';
    expect(rule.evaluate(input)).toEqual([]);
  });

  it('fires high when the name does not exist', () => {
    const input = healthyInput();
    const record = input.evidence['dns.custom-domains']![0]!;
    Object.assign(record, dnsVerdict(record.domainName, record.expectedTarget, { cnames: [], addresses: [], errorCode: 'ENOTFOUND' }));
    const [f] = rule.evaluate(input);
    expect(f).toMatchObject({ severity: 'high', detail: 'orders.internal.example.com does not resolve (ENOTFOUND): callers by name fail before they reach API Gateway.' });
  });

  it('is inconclusive, not a fault, when the lookup itself failed (SERVFAIL)', () => {
    const input = healthyInput();
    const record = input.evidence['dns.custom-domains']![0]!;
    Object.assign(record, dnsVerdict(record.domainName, record.expectedTarget, { cnames: [], addresses: [], errorCode: 'ESERVFAIL' }));
    const [f] = rule.evaluate(input);
    expect(f).toMatchObject({ severity: 'low', inconclusive: true, evidence: [{ source: 'dns.custom-domains', quote: 'orders.internal.example.com lookup failed (ESERVFAIL) (expected d-abc123.execute-api.us-east-1.amazonaws.com)' }] });
    expect(f?.fix).toContain('dig orders.internal.example.com');
  });

  it('is inconclusive, not "does not resolve", when the expected target does not resolve either', () => {
    const input = healthyInput();
    const record = input.evidence['dns.custom-domains']![0]!;
    Object.assign(record, dnsVerdict(record.domainName, record.expectedTarget, { cnames: [], addresses: [], errorCode: 'ENOTFOUND', expectedAddresses: [], expectedErrorCode: 'ENOTFOUND' }));
    const [f, ...rest] = rule.evaluate(input);
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ severity: 'low', inconclusive: true, title: 'Cannot rule out: DNS of orders.internal.example.com pointing at an old API' });
    expect(f?.detail).toContain('this resolver cannot tell');
    expect(f?.fix).toContain('dig d-abc123.execute-api.us-east-1.amazonaws.com');
  });

  it('is inconclusive when DNS could not be checked', () => {
    expect(rule.evaluate(failSource(healthyInput(), 'dns.custom-domains', { kind: 'timeout', message: 'resolver timed out' }))[0]).toMatchObject({ inconclusive: true });
  });
});
