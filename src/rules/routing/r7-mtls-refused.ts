import { signaturesFor } from '../execution-log-classifier.js';
import { evidenceOf, finding, stagesInScope } from '../helpers.js';
import { countFailures, fromSignatures } from '../counting/index.js';
import { logRefs, logSummaryOf } from '../log-evidence.js';
import { defineRule } from '../types.js';

/**
 * R7: mutual TLS on the custom domain refuses the client certificate ("Access denied. Reason:
 * Could not find issuer for certificate", insecure signature algorithm, self signed): 403.
 */
export const r7MtlsRefused = defineRule({
  id: 'R7.mtls-refused',
  severity: 'high',
  title: 'Mutual TLS on the custom domain refuses client certificates',
  evaluate(input) {
    const domains = (evidenceOf(input, 'apigw.domains') ?? []).filter((d) => d.mapsToThisApi && d.mtlsTruststoreUri);
    const summary = logSummaryOf(input);
    const counts = signaturesFor(summary, { signatures: ['mtls-denied'], stages: stagesInScope(input).map((s) => s.stageName) });
    const count = countFailures(input, { what: 'Client certificates refused by mutual TLS (403)', family: 'client', tallies: fromSignatures(input, counts) });
    if (!count.passes) return [];
    return [
      finding(this, {
        severity: count.severity(this.severity),
        figures: count.figures,
        detail: `${count.text()}${domains.length ? ` ${domains.map((d) => `${d.domainName} checks client certificates against ${d.mtlsTruststoreUri}`).join('; ')}.` : ''} The clients' certificate chains do not verify against the truststore (missing intermediate or root, self-signed, insecure signature algorithm, or chain deeper than 4).`,
        evidence: [...logRefs(counts), ...domains.map((d) => ({ source: 'apigw.domains', key: d.domainName, quote: `mutualTlsAuthentication.truststoreUri ${d.mtlsTruststoreUri}` }))],
        fix: `Add the clients' issuing CA (and intermediates) to ${domains[0]?.mtlsTruststoreUri ?? 'the truststore'} and update the domain's truststoreVersion, or issue client certificates from a CA already in it.`,
      }),
    ];
  },
});
