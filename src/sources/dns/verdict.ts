import type { DnsRecordEvidence } from '../../core/evidence.js';

/** Case-insensitive, trailing dot ignored: `D-abc.example.com.` equals `d-abc.example.com`. */
export function sameName(a: string, b: string): boolean {
  return a.toLowerCase().replace(/\.$/, '') === b.toLowerCase().replace(/\.$/, '');
}

const API_GATEWAY_TARGET = /\.execute-api\.[a-z0-9-]+\.amazonaws\.com\.?$|\.cloudfront\.net\.?$/i;

export interface Resolution {
  /** The CNAME chain, first hop first. */
  cnames: string[];
  addresses: string[];
  /** The DNS error code when nothing resolved (ENOTFOUND, ENODATA, SERVFAIL...). */
  errorCode?: string;
  /** Addresses of the expected target, to compare an A-only answer with. */
  expectedAddresses?: string[];
  /** Why the expected target gave no address, when it gave none. */
  expectedErrorCode?: string;
}

/**
 * NXDOMAIN (ENOTFOUND) and NODATA (ENODATA) are the DNS answering "no such record"; anything else
 * (ESERVFAIL, ETIMEOUT, ECONNREFUSED...) is the lookup failing, which says nothing about the record.
 */
export function isDefinitiveAnswer(errorCode: string | undefined): boolean {
  return errorCode === undefined || errorCode === 'ENOTFOUND' || errorCode === 'ENODATA';
}

/**
 * The verdict on a custom domain's DNS against the target API Gateway gave it. The detail is a
 * predicate about the domain ("CNAME points at ..."), to be read after its name.
 */
export function dnsVerdict(domainName: string, expectedTarget: string | undefined, r: Resolution, otherTargets: readonly string[] = []): DnsRecordEvidence {
  const base = { domainName, ...(expectedTarget ? { expectedTarget } : {}), cnames: r.cnames, addresses: r.addresses };
  if (r.cnames.length > 0) {
    if (expectedTarget && r.cnames.some((c) => sameName(c, expectedTarget))) {
      return { ...base, verdict: 'current', detail: `CNAME points at ${expectedTarget}` };
    }
    const last = r.cnames[r.cnames.length - 1] ?? '';
    const other = r.cnames.find((c) => otherTargets.some((t) => sameName(t, c)) || API_GATEWAY_TARGET.test(c));
    const expected = expectedTarget ? `, expected ${expectedTarget}` : '';
    const detail = other ? `CNAME points at ${other} (another API Gateway or CloudFront name)${expected}` : `CNAME chain ends at ${last}${expected}`;
    return { ...base, verdict: 'stale', detail };
  }
  if (r.addresses.length > 0) {
    const same = r.expectedAddresses && r.expectedAddresses.length > 0 && r.addresses.every((a) => r.expectedAddresses?.includes(a));
    const detail = same
      ? `A records only (${r.addresses.join(', ')}), the same addresses as ${expectedTarget}: likely an alias to it`
      : `A records only (${r.addresses.join(', ')}): an alias A record cannot be told from DNS answers; check Route 53 AliasTarget against ${expectedTarget ?? 'the domain\u2019s API Gateway name'}`;
    return { ...base, verdict: 'alias', detail };
  }
  if (r.errorCode && !isDefinitiveAnswer(r.errorCode)) {
    return { ...base, verdict: 'unresolved', lookupError: r.errorCode, detail: `could not be looked up (${r.errorCode}): the resolver failed, so where it points is unknown` };
  }
  // The name API Gateway gave the domain does not resolve either (or API Gateway named none to
  // check against): this resolver may see neither (an isolated network, split-horizon DNS), so
  // the domain's silence proves nothing.
  if (!expectedTarget || r.expectedAddresses?.length === 0) {
    const code = expectedTarget ? (r.expectedErrorCode ?? 'no answer') : 'no target';
    const control = expectedTarget ? `neither does its target ${expectedTarget} (${code})` : 'API Gateway names no target to check this resolver against';
    return {
      ...base,
      verdict: 'unresolved',
      expectedUnresolved: code,
      detail: `does not resolve (${r.errorCode ?? 'no answer'}), and ${control}: this resolver cannot tell, so where the domain points is unknown`,
    };
  }
  return { ...base, verdict: 'unresolved', detail: `does not resolve (${r.errorCode ?? 'no answer'})` };
}
