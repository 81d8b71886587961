import { evidenceOf, finding } from '../helpers.js';
import { defineRule } from '../types.js';

/** R5: a public custom domain cannot front a private API, nor a private domain a public one. */
export const r5EndpointTypeMismatch = defineRule({
  id: 'R5.endpoint-type-mismatch',
  severity: 'high',
  title: 'Custom domain and API endpoint types do not match',
  evaluate(input) {
    const api = evidenceOf(input, 'apigw.rest-api');
    if (!api) return [];
    const apiPrivate = api.endpointTypes.includes('PRIVATE');
    return (evidenceOf(input, 'apigw.domains') ?? [])
      .filter((d) => d.mapsToThisApi && d.endpointTypes.length && d.endpointTypes.includes('PRIVATE') !== apiPrivate)
      .map((d) =>
        finding(this, {
          detail: `${d.domainName} is ${d.endpointTypes.join('/')} but maps ${api.id}, which is ${api.endpointTypes.join('/')}: ${apiPrivate ? 'a public custom domain cannot serve a private API' : 'a private custom domain serves only private APIs'}.`,
          evidence: [
            { source: 'apigw.domains', key: d.domainName, quote: `${d.domainName} endpoint type ${d.endpointTypes.join('/')}` },
            { source: 'apigw.rest-api', key: api.id, quote: `${api.id} endpoint type ${api.endpointTypes.join('/')}` },
          ],
          fix: apiPrivate
            ? `Use a private custom domain (with a domain name access association) for ${api.id}, or call it through its VPC endpoint.`
            : `Map ${api.id} on a ${api.endpointTypes.join('/')} custom domain instead of ${d.domainName}.`,
        }),
      );
  },
});
