import { errorName } from '../../aws/errors.js';
import type { DnsRecordEvidence, DomainEvidence } from '../../core/evidence.js';
import { listText, plural } from '../cross-account.js';
import type { Describer } from '../../core/describe.js';
import { defineSource, type DnsResolver } from '../types.js';
import { dnsVerdict, isDefinitiveAnswer, type Resolution } from './verdict.js';
import { recordAnswers } from '../record.js';
import { writeDnsAnswer } from './record.js';

const MAX_CNAME_HOPS = 5;
/**
 * node:dns retries an unanswering server for far longer than the source may run; one dead name
 * must not cost the verdicts of the others, so each query gets its own, shorter budget.
 */
export const DNS_LOOKUP_TIMEOUT_MS = 4_000;

function codeOf(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : errorName(err);
}

function timeoutError(ms: number): Error {
  return Object.assign(new Error(`DNS query gave no answer within ${ms} ms`), { code: 'ETIMEOUT' });
}

/** A failed query is data (its code goes into the verdict), never an exception out of the source. */
async function lookup(fn: () => Promise<string[]>, timeoutMs: number): Promise<{ values: string[]; errorCode?: string }> {
  let timer: NodeJS.Timeout | undefined;
  const expiry = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(timeoutError(timeoutMs)), timeoutMs);
  });
  try {
    return { values: await Promise.race([Promise.resolve().then(fn), expiry]) };
  } catch (err) {
    return { values: [], errorCode: codeOf(err) };
  } finally {
    clearTimeout(timer);
  }
}

/** The code to report when nothing resolved: a failed lookup outweighs a "no such record" answer. */
function failureCode(...codes: (string | undefined)[]): string | undefined {
  return codes.find((c) => c !== undefined && !isDefinitiveAnswer(c)) ?? codes.find((c) => c !== undefined);
}

/** Follows the CNAME chain a few hops, so a name behind a CDN or traffic manager is still judged. */
export async function resolveChain(dns: DnsResolver, name: string, expected: string | undefined, timeoutMs = DNS_LOOKUP_TIMEOUT_MS): Promise<Resolution> {
  const cnames: string[] = [];
  let current = name;
  let cnameError: string | undefined;
  for (let hop = 0; hop < MAX_CNAME_HOPS; hop += 1) {
    const answer = await lookup(() => dns.resolveCname(current), timeoutMs);
    const next = answer.values[0];
    if (!next) {
      if (hop === 0) cnameError = answer.errorCode;
      break;
    }
    cnames.push(next);
    if (expected && next.toLowerCase().replace(/\.$/, '') === expected.toLowerCase()) break;
    current = next;
  }
  const [a, expectedA] = await Promise.all([
    lookup(() => dns.resolve4(name), timeoutMs),
    cnames.length === 0 && expected ? lookup(() => dns.resolve4(expected), timeoutMs) : Promise.resolve(undefined),
  ]);
  const resolution: Resolution = { cnames, addresses: a.values };
  if (a.values.length === 0 && cnames.length === 0) {
    const code = failureCode(cnameError, a.errorCode);
    if (code) resolution.errorCode = code;
  }
  if (expectedA) {
    resolution.expectedAddresses = expectedA.values;
    if (expectedA.errorCode) resolution.expectedErrorCode = expectedA.errorCode;
  }
  return resolution;
}

function expectedTargetOf(domain: DomainEvidence): string | undefined {
  return domain.endpointTypes.includes('EDGE') ? (domain.distributionDomainName ?? domain.regionalDomainName) : (domain.regionalDomainName ?? domain.distributionDomainName);
}

const describeDns: Describer<'dns.custom-domains'> = {
  order: 90,
  lines: (records, kit) =>
    records.map((dns) => `dns ${dns.domainName} ${kit.pairs({ verdict: dns.verdict, expected: dns.expectedTarget, cnames: dns.cnames, addresses: dns.addresses })} — ${dns.detail}`),
};

export const customDomainsDnsSource = defineSource({
  id: 'dns.custom-domains',
  title: 'Custom domain DNS',
  // REST APIs list domains through API Gateway, HTTP APIs through v2: whichever ran.
  dependsOn: ['apigw.domains', 'apigwv2.domains'],
  calls: { chain: 0, why: 'DNS only: no AWS call' },
  async run(ctx) {
    const domains = ctx.evidence['apigw.domains'] ?? ctx.evidence['apigwv2.domains'] ?? [];
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
    // A failed lookup is told apart from a name that does not exist: one is unknown, the other a fault.
    const labelOf = (e: DnsRecordEvidence) => (e.lookupError ? 'lookup failed' : e.expectedUnresolved ? 'not visible from here' : e.verdict);
    const labels = ['current', 'stale', 'alias', 'unresolved', 'lookup failed', 'not visible from here'];
    const parts = labels.map((v) => ({ v, names: evidence.filter((e) => labelOf(e) === v).map((e) => e.domainName) })).filter((p) => p.names.length > 0);
    return {
      status: 'ok',
      evidence,
      count: evidence.length,
      reason: `${plural(evidence.length, 'domain')}: ${parts.map((p) => `${p.v} ${listText(p.names)}`).join('; ')}`,
    };
  },
  describe: describeDns,
  record: recordAnswers(writeDnsAnswer),
});
