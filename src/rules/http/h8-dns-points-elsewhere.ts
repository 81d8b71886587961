import { dnsCheckFailed, dnsCheckFix, pointsAt } from '../dns.js';
import { evidenceOf, finding, inconclusive, requireSources } from '../helpers.js';
import { defineRule } from '../types.js';


/**
 * H8: a domain mapped to this HTTP API resolves somewhere else: the old REST API's domain
 * target (the REST→HTTP move that left DNS behind), a CloudFront distribution (HTTP APIs use
 * REGIONAL domains only), or nothing. The record must alias or CNAME the domain's
 * ApiGatewayDomainName (DG http-api-custom-domain-names).
 */
export const h8DnsPointsElsewhere = defineRule({
  id: 'H8.dns-points-elsewhere',
  severity: 'critical',
  title: 'A custom domain of the HTTP API resolves to another target',
  evaluate(input) {
    if (!(evidenceOf(input, 'apigwv2.domains') ?? []).some((d) => d.mapsToThisApi)) return [];
    const blocked = requireSources(input, this, ['dns.custom-domains'], 'custom-domain DNS pointing at another API');
    if (blocked) return blocked;
    const domains = evidenceOf(input, 'apigwv2.domains') ?? [];
    return (evidenceOf(input, 'dns.custom-domains') ?? [])
      .filter((r) => r.verdict === 'stale' || r.verdict === 'unresolved')
      .map((r) => {
        const quote = `${r.domainName} ${pointsAt(r)} (expected ${r.expectedTarget ?? '?'})`;
        if (dnsCheckFailed(r)) {
          const failed = inconclusive(this, `DNS of ${r.domainName} pointing at another API`, [{ source: 'dns.custom-domains', why: quote, fix: dnsCheckFix(r) }]);
          return { ...failed, detail: `${r.domainName} ${r.detail}.` };
        }
        // Which other domain (REST or HTTP) owns the name DNS points at: the API it came from.
        const owner = domains.find((d) => !d.mapsToThisApi && r.cnames.some((c) => [d.regionalDomainName, d.distributionDomainName].some((t) => t && t.toLowerCase() === c.toLowerCase().replace(/\.$/, ''))));
        const previous = owner ? ` That name belongs to domain ${owner.domainName}, mapped to ${owner.mappings.map((m) => `API ${m.restApiId ?? '?'} stage ${m.stage ?? '?'}`).join(', ') || 'no API'}: callers still reach the API this one replaced.` : r.cnames.some((c) => /cloudfront\.net\.?$/i.test(c)) ? ' A CloudFront name is typical of the edge-optimized domain of a REST API; HTTP APIs use regional domains only.' : '';
        return finding(this, {
          ...(r.verdict === 'unresolved' ? { severity: 'high' as const } : {}),
          detail: `${r.domainName} ${r.detail}.${previous}${r.verdict === 'unresolved' ? ' Callers by name fail before they reach API Gateway.' : ''}`,
          evidence: [{ source: 'dns.custom-domains', key: r.domainName, quote }],
          fix: `Point ${r.domainName} at ${r.expectedTarget ?? 'the domain\u2019s ApiGatewayDomainName'} (Route 53 alias A record or CNAME).`,
        });
      });
  },
});
