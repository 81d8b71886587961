import type { DnsRecordEvidence } from '../core/evidence.js';

/** What a custom domain resolves to, in a few words, for quotes. */
export function pointsAt(r: DnsRecordEvidence): string {
  if (r.cnames.length) return `CNAME → ${r.cnames.join(', ')}`;
  if (r.addresses.length) return `A → ${r.addresses.join(', ')}`;
  if (r.lookupError) return `lookup failed (${r.lookupError})`;
  if (r.expectedUnresolved) return r.expectedTarget ? `does not resolve, nor does ${r.expectedTarget} (${r.expectedUnresolved})` : 'does not resolve, and no target is named to check against';
  return 'does not resolve';
}

/**
 * The DNS check could not run for this domain: the lookup failed (SERVFAIL, timeout), or the
 * target API Gateway named does not resolve either, so this resolver sees neither name. Where the
 * domain points is then unknown: a "cannot rule out", never a finding.
 */
export function dnsCheckFailed(r: DnsRecordEvidence): boolean {
  return r.verdict === 'unresolved' && Boolean(r.lookupError || r.expectedUnresolved);
}

/** The fix for a domain whose check could not run. */
export function dnsCheckFix(r: DnsRecordEvidence): string {
  return `check that ${r.domainName} resolves from the callers' network (dig ${r.domainName}${r.expectedTarget ? `; dig ${r.expectedTarget}` : ''})`;
}
