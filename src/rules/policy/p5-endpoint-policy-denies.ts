import { callerEndpoints } from '../endpoints.js';
import { evidenceOf, finding, isPrivateApi, requireSources } from '../helpers.js';
import { evaluateInvoke } from '../../core/policy.js';
import { defineRule } from '../types.js';

/** P5: the VPC endpoint's own policy must allow execute-api:Invoke on this API. */
export const p5EndpointPolicyDenies = defineRule({
  id: 'P5.endpoint-policy-denies',
  severity: 'critical',
  title: 'The VPC endpoint policy does not allow invoking this API',
  evaluate(input) {
    if (!isPrivateApi(input)) return [];
    const blocked = requireSources(input, this, ['ec2.vpc-endpoints'], 'a VPC endpoint policy that denies execute-api:Invoke');
    if (blocked) return blocked;
    const api = evidenceOf(input, 'apigw.rest-api');
    const scope = { region: input.target.region, apiId: input.target.restApiId, ...(api?.accountId ? { accountId: api.accountId } : {}) };
    return callerEndpoints(input).flatMap((endpoint) => {
      if (!endpoint.policyDocument) return [];
      const decision = evaluateInvoke(endpoint.policyDocument, scope, { vpceId: endpoint.vpcEndpointId, vpcId: endpoint.vpcId });
      if (decision.allowed) return [];
      const why = decision.deniedBy ? `explicit Deny ${decision.deniedBy.Sid ?? ''}`.trim() : `no statement allows execute-api:Invoke on ${input.target.restApiId}`;
      return [
        finding(this, {
          detail: `The endpoint policy of ${endpoint.vpcEndpointId} refuses calls to ${input.target.restApiId}: ${why}. Callers get 403 "no VPC endpoint policy allows the execute-api:Invoke action" and API Gateway logs nothing.`,
          evidence: [{ source: 'ec2.vpc-endpoints', key: endpoint.vpcEndpointId, quote: `${endpoint.vpcEndpointId} endpoint policy: ${why}` }],
          fix: `Allow execute-api:Invoke on arn:aws:execute-api:${input.target.region}:*:${input.target.restApiId}/* in the policy of ${endpoint.vpcEndpointId} (aws ec2 modify-vpc-endpoint --policy-document).`,
        }),
      ];
    });
  },
});
