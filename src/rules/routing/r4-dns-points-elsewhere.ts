import { dnsCheckFailed, dnsCheckFix, pointsAt } from '../dns.js';
import { evidenceOf, finding, inconclusive, requireSources } from '../helpers.js';
import { defineRule } from '../types.js';


/** R4: the custom domain's DNS points at an old API or domain, not at this domain's target name. */
export const r4DnsPointsElsewhere = defineRule({
  id: 'R4.dns-points-elsewhere',
  severity: 'critical',
  title: 'A custom domain\'s DNS points at another API Gateway target',
  evaluate(input) {
    if (!(evidenceOf(input, 'apigw.domains') ?? []).some((d) => d.mapsToThisApi)) return [];
    const blocked = requireSources(input, this, ['dns.custom-domains'], 'custom-domain DNS pointing at an old API');
    if (blocked) return blocked;
    return (evidenceOf(input, 'dns.custom-domains') ?? [])
      .filter((r) => r.verdict === 'stale' || r.verdict === 'unresolved')
      .map((r) => {
        const quote = `${r.domainName} ${pointsAt(r)} (expected ${r.expectedTarget ?? '?'})`;
        const target = r.expectedTarget ?? 'the regionalDomainName/distributionDomainName of the domain';
        // A failed lookup (SERVFAIL, timeout) says nothing about the record: report it as unknown, not as a fault.
        if (dnsCheckFailed(r)) {
          const lookupFailed = inconclusive(this, `DNS of ${r.domainName} pointing at an old API`, [{ source: 'dns.custom-domains', why: quote, fix: dnsCheckFix(r) }]);
          return { ...lookupFailed, detail: `${r.domainName} ${r.detail}.` };
        }
        const consequence = r.verdict === 'stale' ? 'callers reach another API (its behaviour, its errors, or a TLS name mismatch)' : 'callers by name fail before they reach API Gateway';
        return finding(this, {
          ...(r.verdict === 'unresolved' ? { severity: 'high' as const } : {}),
          detail: `${r.domainName} ${r.detail}: ${consequence}.`,
          evidence: [{ source: 'dns.custom-domains', key: r.domainName, quote }],
          fix: `Point ${r.domainName} at ${target} (Route 53 alias A record or CNAME).`,
        });
      });
  },
});
