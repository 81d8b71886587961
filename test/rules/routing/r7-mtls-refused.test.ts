import { describe, expect, it } from 'vitest';
import { a1AuthorizerDenies } from '../../../src/rules/auth/a1-authorizer-denies.js';
import { r7MtlsRefused as rule } from '../../../src/rules/routing/r7-mtls-refused.js';
import { accessRecord, healthyInput } from '../fixtures.js';

// The reason texts are the mTLS Knowledge Center article's (api-gateway-mutual-tls-403-errors).
describe('R7.mtls-refused', () => {
  it('fires on "Could not find issuer for certificate" and names the truststore; A1 stays silent', () => {
    const input = healthyInput();
    input.evidence['apigw.domains']![0]!.mtlsTruststoreUri = 's3://trust/ca.pem';
    input.evidence['logs.access']![0]!.records.push(...Array.from({ length: 20 }, (_, i) => accessRecord({ requestId: `m-${i}`, status: 403 }, { responseType: 'ACCESS_DENIED', errorMessage: 'Access denied. Reason: Could not find issuer for certificate' })));
    expect(rule.evaluate(input)[0]?.detail).toContain('s3://trust/ca.pem');
    expect(a1AuthorizerDenies.evaluate(input)).toEqual([]);
  });

  it('stays silent without refusals (near miss)', () => {
    const input = healthyInput();
    input.evidence['apigw.domains']![0]!.mtlsTruststoreUri = 's3://trust/ca.pem';
    expect(rule.evaluate(input)).toEqual([]);
  });
});
