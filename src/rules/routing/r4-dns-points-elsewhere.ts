import { evidenceOf, finding, requireSources } from '../helpers.js';
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
        const points = r.cnames.length ? `CNAME → ${r.cnames.join(', ')}` : r.addresses.length ? `A → ${r.addresses.join(', ')}` : 'does not resolve';
        return finding(this, {
          ...(r.verdict === 'unresolved' ? { severity: 'high' as const } : {}),
          detail: `${r.domainName} ${points}, expected ${r.expectedTarget ?? 'the domain\'s API Gateway target'}: ${r.verdict === 'stale' ? 'callers reach another API (its behaviour, its errors, or a TLS name mismatch)' : 'callers cannot resolve it'}. ${r.detail}`,
          evidence: [{ source: 'dns.custom-domains', key: r.domainName, quote: `${r.domainName} ${points} (expected ${r.expectedTarget ?? '?'})` }],
          fix: `Point ${r.domainName} at ${r.expectedTarget ?? 'the regionalDomainName/distributionDomainName of the domain'} (Route 53 alias A record or CNAME).`,
        });
      });
  },
});
