import { defaultEndpointUse, describeUse, severityOfUse } from '../default-endpoint.js';
import { evidenceOf, finding } from '../helpers.js';
import { defineRule } from '../types.js';

/**
 * R6: `disableExecuteApiEndpoint` refuses the default execute-api URL with 403. With a custom
 * domain serving the API, the severity follows the share of the traffic that used the default URL
 * before it was disabled (access logs' `$context.domainName`, CloudTrail's time), as H4's does.
 */
export const r6DefaultEndpointDisabled = defineRule({
  id: 'R6.default-endpoint-disabled',
  severity: 'high',
  title: 'The default execute-api endpoint is disabled',
  evaluate(input) {
    const api = evidenceOf(input, 'apigw.rest-api');
    if (!api?.disableExecuteApiEndpoint) return [];
    const domains = (evidenceOf(input, 'apigw.domains') ?? []).filter((d) => d.mapsToThisApi);
    const evidence = [{ source: 'apigw.rest-api', key: api.id, quote: `${api.id} disableExecuteApiEndpoint true` }];
    if (domains.length) {
      const use = defaultEndpointUse(input);
      return [
        finding(this, {
          severity: severityOfUse(this.severity, use),
          detail: `The default URL https://${api.id}.execute-api.${input.target.region}.amazonaws.com is disabled; only ${domains.map((d) => d.domainName).join(', ')} serve${domains.length === 1 ? 's' : ''} ${api.id}. Callers of the default URL get 403 Forbidden. ${describeUse(input, use, domains)}`,
          evidence: [
            ...evidence,
            ...(use.change ? [{ source: 'cloudtrail.changes', key: use.change.eventId, quote: `${use.change.eventName} ${use.change.eventTime}${use.change.username ? ` by ${use.change.username}` : ''}: disableExecuteApiEndpoint true` }] : []),
          ],
          fix: `Call ${domains[0]?.domainName} instead, or set disableExecuteApiEndpoint false on ${api.id} and redeploy.`,
          ...(use.figure ? { figures: [use.figure] } : {}),
        }),
      ];
    }
    return [
      finding(this, {
        detail: `${api.id} has its default endpoint disabled and no custom domain maps to it: no URL reaches the API (403 Forbidden).`,
        evidence,
        fix: `Set disableExecuteApiEndpoint false on ${api.id} (or map a custom domain to it), then create a deployment.`,
      }),
    ];
  },
});
