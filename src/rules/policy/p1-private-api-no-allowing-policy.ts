import { callerEndpoints } from '../endpoints.js';
import { evidenceOf, finding, isPrivateApi, requireSources } from '../helpers.js';
import { evaluateInvoke } from '../policy.js';
import { defineRule } from '../types.js';

/**
 * P1: a private API needs a resource policy that allows execute-api:Invoke from its callers'
 * endpoints; "until you do so, all calls to the API will fail".
 */
export const p1PrivateApiNoAllowingPolicy = defineRule({
  id: 'P1.private-api-no-allowing-policy',
  severity: 'critical',
  title: 'The private API\'s resource policy does not allow its callers',
  evaluate(input) {
    if (!isPrivateApi(input)) return [];
    const api = evidenceOf(input, 'apigw.rest-api');
    if (!api) return [];
    const fixPolicy = `Attach a resource policy to ${api.id} that allows execute-api:Invoke with Condition StringEquals aws:SourceVpce = the caller endpoint(s), then create a deployment.`;
    if (!api.policy) {
      return [
        finding(this, {
          detail: api.policyParseError
            ? `The resource policy of private API ${api.id} could not be parsed (${api.policyParseError}); API Gateway rejects every call it cannot authorise.`
            : `Private API ${api.id} has no resource policy: every call is refused with 403 "not authorized to perform: execute-api:Invoke".`,
          evidence: [{ source: 'apigw.rest-api', key: api.id, quote: api.policyParseError ? `policy unparseable: ${api.policyParseError}` : 'policy: none' }],
          fix: fixPolicy,
        }),
      ];
    }
    const blocked = requireSources(input, this, ['ec2.vpc-endpoints'], 'a resource policy that refuses the caller endpoints');
    if (blocked) return blocked;
    const endpoints = callerEndpoints(input);
    const scope = { region: input.target.region, apiId: api.id, ...(api.accountId ? { accountId: api.accountId } : {}) };
    const refused = endpoints
      .map((e) => ({ endpoint: e, decision: evaluateInvoke(api.policy!, scope, { vpceId: e.vpcEndpointId, vpcId: e.vpcId }) }))
      .filter((r) => !r.decision.allowed);
    const noneKnown = endpoints.length === 0 && !evaluateInvoke(api.policy, scope, {}).allowed;
    if (!noneKnown && (refused.length === 0 || refused.length < endpoints.length)) return [];
    return [
      finding(this, {
        detail: noneKnown
          ? `No statement in the resource policy of ${api.id} allows execute-api:Invoke.`
          : `The resource policy of ${api.id} allows none of the caller endpoints: ${refused
              .map((r) => `${r.endpoint.vpcEndpointId} ${r.decision.deniedBy ? `denied by ${r.decision.deniedBy.Sid ?? 'a Deny statement'}` : 'matched by no Allow'}`)
              .join('; ')}. Calls get 403 "not authorized to perform: execute-api:Invoke".`,
        evidence: [
          { source: 'apigw.rest-api', key: api.id, quote: `policy statements: ${api.policy.Statement.map((s) => `${s.Effect}${s.Sid ? ` ${s.Sid}` : ''}`).join(', ')}` },
          ...refused.map((r) => ({ source: 'ec2.vpc-endpoints', key: r.endpoint.vpcEndpointId, quote: `${r.endpoint.vpcEndpointId} not allowed by the resource policy` })),
        ],
        fix: fixPolicy,
      }),
    ];
  },
});
