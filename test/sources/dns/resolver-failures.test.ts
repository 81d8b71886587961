import { describe, expect, it } from 'vitest';
import type { DomainEvidence } from '../../../src/core/evidence.js';
import { parseScenario } from '../../../src/sandbox/load.js';
import { createSandboxEnvironment } from '../../../src/sandbox/environment.js';
import { customDomainsDnsSource, resolveChain } from '../../../src/sources/dns/custom-domains.js';
import { runSources } from '../../../src/sources/runner.js';
import type { DnsResolver } from '../../../src/sources/types.js';
import { stubSource } from '../../support/stub-sources.js';

const API = 'a1b2c3d4e5';
const CURRENT = 'd-abc123.execute-api.us-east-1.amazonaws.com';

const domain = (name: string): DomainEvidence => ({
  domainName: name,
  endpointTypes: ['REGIONAL'],
  regionalDomainName: CURRENT,
  mappings: [{ basePath: '(none)', restApiId: API, stage: 'prod' }],
  mapsToThisApi: true,
});

/** A node:dns-shaped failure, as the system resolver rejects. */
function dnsFailure(code: string, name: string): Error {
  return Object.assign(new Error(`queryCname ${code} ${name}`), { code, hostname: name });
}

/**
 * Answers `api.example.com` (a CNAME to the current target) and the target's own address, and
 * fails every other query with `code`; `targetToo` fails the target as well.
 */
function failingResolver(code: string, targetToo = false): DnsResolver {
  const answers = (name: string) => name === 'api.example.com' || (!targetToo && name === CURRENT);
  return {
    resolveCname: (name) => (name === 'api.example.com' ? Promise.resolve([CURRENT]) : Promise.reject(dnsFailure(code, name))),
    resolve4: (name) => (answers(name) ? Promise.resolve(['3.5.1.2']) : Promise.reject(dnsFailure(code, name))),
  };
}

/** Runs the DNS source with the given resolver; the AWS side is an empty sandbox (DNS makes no AWS call). */
async function runWith(dns: DnsResolver, names: string[]) {
  const env = createSandboxEnvironment(parseScenario({ name: 'dns', apiId: API, now: '2026-11-20T10:00:00Z', accounts: [{ accountId: '111111111111' }] }, 'test'));
  const result = await runSources({
    sources: [stubSource('apigw.domains', names.map(domain)), customDomainsDnsSource],
    target: { kind: 'api-gw', restApiId: API, region: 'us-east-1' },
    window: { since: new Date(env.now.getTime() - 3600_000), until: env.now },
    aws: env.factory.forAccount(),
    factory: env.factory,
    dns,
  });
  const row = result.coverage.find((r) => r.source === 'dns.custom-domains');
  const byName = Object.fromEntries((result.evidence['dns.custom-domains'] ?? []).map((e) => [e.domainName, e]));
  return { row, byName };
}

describe('dns.custom-domains when the resolver fails', () => {
  it.each(['ESERVFAIL', 'ETIMEOUT'])('reports a %s lookup as unresolved with the error, and still judges the other domains', async (code) => {
    const { row, byName } = await runWith(failingResolver(code), ['api.example.com', 'broken.example.com']);
    expect(row?.status).toBe('ok');
    expect(byName['api.example.com']).toMatchObject({ verdict: 'current' });
    expect(byName['broken.example.com']).toMatchObject({ verdict: 'unresolved', lookupError: code, cnames: [], addresses: [] });
    expect(byName['broken.example.com']?.detail).toBe(`could not be looked up (${code}): the resolver failed, so where it points is unknown`);
    expect(row?.reason).toBe('2 domains: current api.example.com; lookup failed broken.example.com');
  });

  it('tells a name that does not exist (NXDOMAIN) from a failed lookup', async () => {
    const { byName } = await runWith(failingResolver('ENOTFOUND'), ['gone.example.com']);
    expect(byName['gone.example.com']).toMatchObject({ verdict: 'unresolved', detail: 'does not resolve (ENOTFOUND)' });
    expect(byName['gone.example.com']?.lookupError).toBeUndefined();
  });

  it('cannot judge a name when the target API Gateway gave it does not resolve either (the check could not run)', async () => {
    const { row, byName } = await runWith(failingResolver('ENOTFOUND', true), ['gone.example.com']);
    expect(byName['gone.example.com']).toMatchObject({ verdict: 'unresolved', expectedUnresolved: 'ENOTFOUND' });
    expect(byName['gone.example.com']?.detail).toBe(
      `does not resolve (ENOTFOUND), and neither does its target ${CURRENT} (ENOTFOUND): this resolver cannot tell, so where the domain points is unknown`,
    );
    expect(row?.reason).toBe('1 domain: not visible from here gone.example.com');
  });

  it('survives a resolver that throws instead of rejecting', async () => {
    const throwing: DnsResolver = {
      resolveCname: () => {
        throw dnsFailure('ECONNREFUSED', 'x');
      },
      resolve4: () => {
        throw dnsFailure('ECONNREFUSED', 'x');
      },
    };
    const { row, byName } = await runWith(throwing, ['api.example.com']);
    expect(row?.status).toBe('ok');
    expect(byName['api.example.com']).toMatchObject({ verdict: 'unresolved', lookupError: 'ECONNREFUSED' });
  });

  it('gives up on a query that never answers, as ETIMEOUT', async () => {
    const silent: DnsResolver = { resolveCname: () => new Promise(() => undefined), resolve4: () => new Promise(() => undefined) };
    const resolution = await resolveChain(silent, 'api.example.com', CURRENT, 10);
    expect(resolution).toMatchObject({ cnames: [], addresses: [], errorCode: 'ETIMEOUT' });
  });
});
