import type { Finding } from '../../core/finding.js';
import { isAvailable } from '../endpoints.js';
import { coverageRow, evidenceOf, finding, inconclusive, isPrivateApi, requireSources } from '../helpers.js';
import { defineRule, type Rule, type RuleInput } from '../types.js';

/**
 * A private API is reachable only through an execute-api interface endpoint: with none in any
 * account involved nobody can call it. When an account involved could not be read, its endpoints
 * are unknown, so that is said instead of the verdict.
 */
function noEndpointAtAll(rule: Rule, input: RuleInput): Finding[] {
  const evidence = evidenceOf(input, 'ec2.vpc-endpoints');
  const api = evidenceOf(input, 'apigw.rest-api');
  const unread = (evidence?.accounts ?? []).filter((a) => a.status !== 'read');
  // Endpoint ids the resource policy names but no account read has: they may live in a caller's
  // account firebreak does not know (P2 judges stale ids), so "nobody" cannot be said.
  const namedElsewhere = (evidence?.lookups ?? []).filter((l) => l.status !== 'found').map((l) => l.vpcEndpointId);
  const reason = coverageRow(input, 'ec2.vpc-endpoints')?.reason ?? 'no execute-api interface endpoint found';
  const fix = `Create an interface VPC endpoint for com.amazonaws.${input.target.region}.execute-api (private DNS on, 443 open from the callers) in the callers' VPC, and allow it in the resource policy of ${api?.id ?? input.target.restApiId}.`;
  if (unread.length || namedElsewhere.length) {
    const why = namedElsewhere.length ? `${reason}; the resource policy names ${namedElsewhere.join(', ')}, found in no account read` : reason;
    return [inconclusive(rule, 'that the private API has no VPC endpoint to be called through', [{ source: 'ec2.vpc-endpoints', why, fix: 'give firebreak a role in every account whose endpoints call the API' }])];
  }
  return [
    finding(rule, {
      title: 'The private API has no VPC endpoint: nobody can call it',
      detail: `${api?.id ?? input.target.restApiId} is PRIVATE, but no execute-api interface VPC endpoint exists in the account${(evidence?.accounts?.length ?? 0) > 1 ? 's involved' : ''} and the API names none: a private API is reachable only through one, so every call fails before API Gateway.`,
      evidence: [{ source: 'ec2.vpc-endpoints', quote: reason }],
      fix,
    }),
  ];
}

/** N5: an endpoint the API relies on is not `available`, or no longer exists, or there is none at all. */
export const n5EndpointNotAvailable = defineRule({
  id: 'N5.endpoint-not-available',
  severity: 'critical',
  title: 'The API\'s VPC endpoint is not available',
  evaluate(input) {
    if (!isPrivateApi(input)) return [];
    const blocked = requireSources(input, this, ['ec2.vpc-endpoints'], 'an unavailable or deleted VPC endpoint');
    if (blocked) return blocked;
    const endpoints = evidenceOf(input, 'ec2.vpc-endpoints')?.endpoints ?? [];
    if (endpoints.length === 0) return noEndpointAtAll(this, input);
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
