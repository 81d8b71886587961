import type { DnsRecordEvidence, DomainEvidence } from '../../core/evidence.js';
import { awsErrorName, listText, plural } from '../cross-account.js';
import { defineSource, type DnsResolver } from '../types.js';
import { dnsVerdict, type Resolution } from './verdict.js';

const MAX_CNAME_HOPS = 5;

function codeOf(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : awsErrorName(err);
}

/** No record of that type (or no name) is an answer, not a failure. */
async function lookup(fn: () => Promise<string[]>): Promise<{ values: string[]; errorCode?: string }> {
  try {
    return { values: await fn() };
  } catch (err) {
    return { values: [], errorCode: codeOf(err) };
  }
}

/** Follows the CNAME chain a few hops, so a name behind a CDN or traffic manager is still judged. */
async function resolveChain(dns: DnsResolver, name: string, expected: string | undefined): Promise<Resolution> {
  const cnames: string[] = [];
  let current = name;
  let errorCode: string | undefined;
  for (let hop = 0; hop < MAX_CNAME_HOPS; hop += 1) {
    const answer = await lookup(() => dns.resolveCname(current));
    const next = answer.values[0];
    if (!next) {
      if (hop === 0) errorCode = answer.errorCode;
      break;
    }
    cnames.push(next);
    if (expected && next.toLowerCase().replace(/\.$/, '') === expected.toLowerCase()) break;
    current = next;
  }
  const [a, expectedA] = await Promise.all([
    lookup(() => dns.resolve4(name)),
    cnames.length === 0 && expected ? lookup(() => dns.resolve4(expected)) : Promise.resolve(undefined),
  ]);
  const resolution: Resolution = { cnames, addresses: a.values };
  if (a.values.length === 0 && cnames.length === 0) resolution.errorCode = a.errorCode ?? errorCode;
  if (expectedA) resolution.expectedAddresses = expectedA.values;
  return resolution;
}

function expectedTargetOf(domain: DomainEvidence): string | undefined {
  return domain.endpointTypes.includes('EDGE') ? (domain.distributionDomainName ?? domain.regionalDomainName) : (domain.regionalDomainName ?? domain.distributionDomainName);
}

export const customDomainsDnsSource = defineSource({
  id: 'dns.custom-domains',
  title: 'Custom domain DNS',
  dependsOn: ['apigw.domains'],
  async run(ctx) {
    const domains = ctx.evidence['apigw.domains'] ?? [];
    const mapped = domains.filter((d) => d.mapsToThisApi);
    if (mapped.length === 0) {
      return { status: 'not_applicable', reason: 'no custom domain maps to this API', evidence: [] };
    }
    // Targets of the account's other domains: a CNAME to one of them is a stale pointer.
    const otherTargets = domains.filter((d) => !d.mapsToThisApi).flatMap((d) => [d.regionalDomainName, d.distributionDomainName].filter((t): t is string => Boolean(t)));
    const evidence: DnsRecordEvidence[] = await Promise.all(
      mapped.map(async (domain) => {
        const expected = expectedTargetOf(domain);
        return dnsVerdict(domain.domainName, expected, await resolveChain(ctx.dns, domain.domainName, expected), otherTargets);
      }),
    );
    const byVerdict = (v: DnsRecordEvidence['verdict']) => evidence.filter((e) => e.verdict === v).map((e) => e.domainName);
    const parts = (['current', 'stale', 'alias', 'unresolved'] as const).map((v) => ({ v, names: byVerdict(v) })).filter((p) => p.names.length > 0);
    return {
      status: 'ok',
      evidence,
      count: evidence.length,
      reason: `${plural(evidence.length, 'domain')}: ${parts.map((p) => `${p.v} ${listText(p.names)}`).join('; ')}`,
    };
  },
});
