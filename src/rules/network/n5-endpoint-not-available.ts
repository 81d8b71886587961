import { isAvailable } from '../endpoints.js';
import { evidenceOf, finding, isPrivateApi, requireSources } from '../helpers.js';
import { defineRule } from '../types.js';

/** N5: an endpoint the API relies on is not `available`, or no longer exists. */
export const n5EndpointNotAvailable = defineRule({
  id: 'N5.endpoint-not-available',
  severity: 'critical',
  title: 'The API\'s VPC endpoint is not available',
  evaluate(input) {
    if (!isPrivateApi(input)) return [];
    const blocked = requireSources(input, this, ['ec2.vpc-endpoints'], 'an unavailable or deleted VPC endpoint');
    if (blocked) return blocked;
    const endpoints = evidenceOf(input, 'ec2.vpc-endpoints')?.endpoints ?? [];
    return endpoints
      .filter((e) => e.missing || (e.referencedByApi && !isAvailable(e)) || (!e.referencedByApi && !isAvailable(e) && !endpoints.some((o) => o.referencedByApi)))
      .map((e) => {
        const what = e.missing ? `${e.vpcEndpointId} is listed by the API but does not exist` : `${e.vpcEndpointId} state ${e.state}${e.lastError ? ` (${e.lastError})` : ''}`;
        return finding(this, {
          detail: `${what}: calls through it cannot reach API Gateway.`,
          evidence: [{ source: 'ec2.vpc-endpoints', key: e.vpcEndpointId, quote: what }],
          fix: e.missing
            ? `Remove ${e.vpcEndpointId} from the API's endpointConfiguration.vpcEndpointIds and add the current endpoint, then redeploy.`
            : `Fix or recreate ${e.vpcEndpointId} (service com.amazonaws.${input.target.region}.execute-api) until its state is available.`,
        });
      });
  },
});
