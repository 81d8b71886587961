import { describe, expect, it } from 'vitest';
import type { DomainEvidence } from '../../../src/core/evidence.js';
import { customDomainsDnsSource } from '../../../src/sources/dns/custom-domains.js';
import { dnsVerdict } from '../../../src/sources/dns/verdict.js';
import { rowOf, runOnScenario } from '../../support/run-source.js';
import { stubSource } from '../../support/stub-sources.js';

const API = 'a1b2c3d4e5';
const CURRENT = 'd-abc123.execute-api.us-east-1.amazonaws.com';

const domain = (name: string, extra: Partial<DomainEvidence> = {}): DomainEvidence => ({
  domainName: name,
  endpointTypes: ['REGIONAL'],
  regionalDomainName: CURRENT,
  mappings: [{ basePath: '(none)', restApiId: API, stage: 'prod' }],
  mapsToThisApi: true,
  ...extra,
});

const scenario = (records: Record<string, unknown>) => ({ name: 'dns', apiId: API, now: '2026-11-20T10:00:00Z', accounts: [{ accountId: '111111111111' }], dns: { records } });
const withDomains = (domains: DomainEvidence[]) => ({ before: [stubSource('apigw.domains', domains)] });

describe('dnsVerdict', () => {
  it('ignores case and the trailing dot', () => {
    expect(dnsVerdict('api.example.com', CURRENT, { cnames: ['D-ABC123.execute-api.us-east-1.amazonaws.com.'], addresses: [] }).verdict).toBe('current');
  });
});

describe('dns.custom-domains', () => {
  it('tells current, stale, alias and unresolved domains apart', async () => {
    const records = {
      'api.example.com': { cname: [CURRENT] },
      'old.example.com': { cname: ['d-old999.execute-api.us-east-1.amazonaws.com'] },
      'alias.example.com': { a: ['3.5.1.2'] },
      [CURRENT]: { a: ['3.5.1.2'] },
      'cdn.example.com': { cname: ['edge.cdn.example.net'] },
      'edge.cdn.example.net': { cname: [CURRENT] },
    };
    const domains = ['api.example.com', 'old.example.com', 'alias.example.com', 'gone.example.com', 'cdn.example.com'].map((n) => domain(n));
    domains.push(domain('other.example.com', { mapsToThisApi: false }));
    const result = await runOnScenario(customDomainsDnsSource, scenario(records), withDomains(domains));
    const row = rowOf(result, 'dns.custom-domains');
    expect(row.status).toBe('ok');
    expect(row.count).toBe(5);
    expect(row.calls).toEqual([]);
    const byName = Object.fromEntries((result.evidence['dns.custom-domains'] ?? []).map((e) => [e.domainName, e]));
    expect(byName['api.example.com']).toMatchObject({ verdict: 'current', expectedTarget: CURRENT });
    expect(byName['old.example.com']).toMatchObject({ verdict: 'stale', cnames: ['d-old999.execute-api.us-east-1.amazonaws.com'] });
    expect(byName['old.example.com']?.detail).toContain(`expected ${CURRENT}`);
    expect(byName['alias.example.com']).toMatchObject({ verdict: 'alias', addresses: ['3.5.1.2'] });
    expect(byName['alias.example.com']?.detail).toContain('likely an alias');
    expect(byName['gone.example.com']).toMatchObject({ verdict: 'unresolved' });
    expect(byName['gone.example.com']?.detail).toContain('ENOTFOUND');
    expect(byName['cdn.example.com']).toMatchObject({ verdict: 'current', cnames: ['edge.cdn.example.net', CURRENT] });
    expect(row.reason).toContain('stale old.example.com');
  });

  it('uses the CloudFront name for an edge domain', async () => {
    const edge = domain('edge.example.com', { endpointTypes: ['EDGE'], regionalDomainName: undefined, distributionDomainName: 'd111111abcdef8.cloudfront.net' });
    const result = await runOnScenario(customDomainsDnsSource, scenario({ 'edge.example.com': { cname: ['d111111abcdef8.cloudfront.net'] } }), withDomains([edge]));
    expect(result.evidence['dns.custom-domains']?.[0]?.verdict).toBe('current');
  });

  it('is not applicable when no custom domain maps to this API', async () => {
    const row = rowOf(await runOnScenario(customDomainsDnsSource, scenario({}), withDomains([domain('x.example.com', { mapsToThisApi: false })])), 'dns.custom-domains');
    expect(row.status).toBe('not_applicable');
  });

  it('fails with its dependency', async () => {
    const result = await runOnScenario(customDomainsDnsSource, scenario({}), { before: [stubSource('apigw.domains', [], 'error')] });
    expect(rowOf(result, 'dns.custom-domains').error).toMatchObject({ kind: 'dependency_failed', dependency: 'apigw.domains' });
  });
});
