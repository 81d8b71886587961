import { coverageRow, evidenceOf, isPrivateApi } from '../helpers.js';
import { defineRule } from '../types.js';
import type { Finding } from '../../core/finding.js';

/**
 * N6: private APIs accept TLS 1.2 only; older clients fail the handshake and get no HTTP status,
 * and nothing read-only records a failed handshake (no API Gateway log, and flow logs show an
 * accepted connection). So this rule never confirms N6: when a private API's endpoint shows calls
 * refused before any log (the N-family situation) and no other network cause explains it, it says
 * what it cannot rule out and what would show it (the client's TLS version).
 */
export const n6TlsHandshake = defineRule({
  id: 'N6.tls-handshake',
  severity: 'low',
  title: 'Cannot rule out: TLS handshake failures (private APIs accept TLS 1.2 only)',
  evaluate(input): Finding[] {
    if (!isPrivateApi(input)) return [];
    const access = coverageRow(input, 'logs.access');
    const execution = coverageRow(input, 'logs.execution');
    // Only when the API logged nothing at all in the window although logging is on.
    const silent = [access, execution].every((row) => row?.status === 'empty');
    if (!silent) return [];
    const domains = (evidenceOf(input, 'apigw.domains') ?? []).filter((d) => d.mapsToThisApi && d.securityPolicy && d.securityPolicy !== 'TLS_1_2');
    return [
      {
        rule: this.id,
        severity: 'low',
        title: this.title,
        detail: `Private API ${input.target.restApiId} recorded no requests in the window although logging is on: calls stop before API Gateway. One cause no AWS read can show is a client that offers only TLS 1.0/1.1 (private APIs accept TLS 1.2 only).${domains.length ? ` ${domains.map((d) => `${d.domainName} has security policy ${d.securityPolicy}`).join('; ')}, which suggests older clients are expected.` : ''}`,
        evidence: [
          { source: 'logs.access', quote: `logs.access: ${access?.status}` },
          { source: 'logs.execution', quote: `logs.execution: ${execution?.status}` },
        ],
        fix: 'From the client, run `openssl s_client -connect <host>:443 -tls1_2` (and check the client library\'s TLS settings); upgrade clients that cannot negotiate TLS 1.2.',
        inconclusive: true,
      },
    ];
  },
});
