import type { Finding } from '../../core/finding.js';
import { callerEndpoints } from '../endpoints.js';
import { clip, evidenceOf, finding, isPrivateApi, plural, requireSources, stagesInScope } from '../helpers.js';
import { conditionKeys, evaluateInvoke, VPC_CONDITION_KEYS, type CallerContext } from '../../core/policy.js';
import { THRESHOLDS } from '../counting/index.js';

const { floor: MIN_EVENTS, minShare: MIN_SHARE } = THRESHOLDS.server;
import { describeRoute, observedRoutes } from '../routes.js';
import { defineRule, type Rule, type RuleInput } from '../types.js';

/**
 * P1: a private API needs a resource policy that allows execute-api:Invoke from its callers'
 * endpoints; "until you do so, all calls to the API will fail".
 */
export const p1PrivateApiNoAllowingPolicy = defineRule({
  id: 'P1.private-api-no-allowing-policy',
  severity: 'critical',
  title: 'The private API\'s resource policy does not allow its callers',
  evaluate(input) {
    const api = evidenceOf(input, 'apigw.rest-api');
    if (!api) return [];
    if (!isPrivateApi(input)) return api.policy ? refusedRoutes(this, input) : [];
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
      .filter((r) => !r.decision.allowed)
      // A Deny keyed on endpoint ids refusing the current endpoint is a stale id: P2 reports it.
      .filter((r) => !(r.decision.deniedBy && conditionKeys(r.decision.deniedBy).some((k) => k.toLowerCase() === 'aws:sourcevpce')));
    const noneKnown = endpoints.length === 0 && !evaluateInvoke(api.policy, scope, {}).allowed;
    if (!noneKnown && (refused.length === 0 || refused.length < endpoints.length)) return refusedRoutes(this, input);
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

/**
 * The policy allows the API but not every route or caller (a Resource limited to GET refuses
 * every POST; an `aws:SourceIp` or `aws:SourceVpc` condition refuses some callers): each route
 * that carried traffic in the window is evaluated for the callers seen on it. A route counts as
 * refused when the policy refuses it and its traffic shows it (denials or mostly errors), or when
 * anonymous callers were refused on it many times whatever the evaluation says.
 */
function refusedRoutes(rule: Rule, input: RuleInput): Finding[] {
  const api = evidenceOf(input, 'apigw.rest-api');
  if (!api?.policy) return [];
  const scope = { region: input.target.region, apiId: api.id, ...(api.accountId ? { accountId: api.accountId } : {}) };
  const stages = new Set(stagesInScope(input).map((s) => s.stageName));
  const methods = evidenceOf(input, 'apigw.resources') ?? [];
  const endpoints = evidenceOf(input, 'ec2.vpc-endpoints')?.endpoints ?? [];
  const privateApi = isPrivateApi(input);
  const vpcKeyed = api.policy.Statement.some((s) => conditionKeys(s).some((k) => VPC_CONDITION_KEYS.includes(k.toLowerCase())));
  const routes = observedRoutes(input).filter((r) => (!input.target.stage || stages.has(r.stage)) && r.requests > 0);
  const refused: { route: string; callers: string[]; statement: string; denials: number; requests: number }[] = [];
  for (const route of routes) {
    // IAM callers are P6's (cross-account) or A5's (their own policy): here only anonymous callers.
    const method = methods.find((m) => m.path === route.path && (m.httpMethod === route.method || m.httpMethod === 'ANY'));
    if (method?.authorizationType === 'AWS_IAM' && route.anonymousDenials === 0) continue;
    const callers: { label: string; caller: CallerContext }[] = privateApi
      ? (route.vpceIds.length ? route.vpceIds : callerEndpoints(input).map((e) => e.vpcEndpointId)).map((vpceId) => ({
          label: vpceId,
          caller: { vpceId, principalArn: 'anonymous', ...(endpoints.find((e) => e.vpcEndpointId === vpceId)?.vpcId ? { vpcId: endpoints.find((e) => e.vpcEndpointId === vpceId)?.vpcId } : {}) },
        }))
      : route.sourceIps.map((ip) => ({ label: ip, caller: { sourceIp: ip, principalArn: 'anonymous', absent: VPC_CONDITION_KEYS } }));
    if (!callers.length) callers.push({ label: 'any caller', caller: { principalArn: 'anonymous', ...(privateApi ? {} : { absent: VPC_CONDITION_KEYS }) } });
    const decisions = callers.map((c) => ({ ...c, decision: evaluateInvoke(api.policy!, scope, c.caller, 'execute-api:Invoke', route) }));
    const denied = decisions.filter((d) => !d.decision.allowed);
    // A Deny keyed on endpoint ids is P2's (stale id); VPC keys on a public API are P4's.
    if (denied.some((d) => d.decision.deniedBy && conditionKeys(d.decision.deniedBy).some((k) => k.toLowerCase() === 'aws:sourcevpce'))) continue;
    if (!privateApi && vpcKeyed) continue;
    // A denial now and then is background noise (a scanner, a stale client); a share of the route is a cause.
    const share = route.requests ? route.anonymousDenials / route.requests : 0;
    const trafficShowsIt = (route.anonymousDenials > 0 && share >= MIN_SHARE) || route.errors * 2 > route.requests;
    const manyDenials = route.anonymousDenials >= MIN_EVENTS && share >= MIN_SHARE;
    if (!(denied.length && trafficShowsIt) && !manyDenials) continue;
    const statement = denied[0]?.decision.deniedBy
      ? `denied by ${denied[0].decision.deniedBy.Sid ?? 'a Deny statement'}`
      : denied.length
        ? 'no Allow statement covers it'
        : 'refused in the logs (the policy reader cannot tell which statement)';
    refused.push({ route: describeRoute(route), callers: (denied.length ? denied : decisions).map((d) => d.label), statement, denials: route.anonymousDenials, requests: route.requests });
  }
  if (!refused.length) return [];
  const all = refused.length === routes.length;
  return [
    finding(rule, {
      severity: all ? 'critical' : 'high',
      title: privateApi ? rule.title : 'The resource policy refuses some routes or callers',
      detail: `The resource policy of ${api.id} refuses ${plural(refused.length, 'route')} that carried traffic: ${refused
        .map((r) => `${r.route} for ${r.callers.join(', ')} (${r.statement}; ${r.denials} of ${r.requests} requests refused)`)
        .join('; ')}. Callers get 403 "not authorized to perform: execute-api:Invoke".`,
      evidence: [
        { source: 'apigw.rest-api', key: api.id, quote: clip(`policy: ${api.policy.Statement.map((s) => `${s.Effect} ${[s.Resource ?? s.NotResource].flat().join(',')}`).join('; ')}`) },
        ...refused.slice(0, 5).map((r) => ({ source: 'logs.access', key: r.route, quote: `${r.denials} × 403 not authorized to perform execute-api:Invoke on ${r.route}` })),
      ],
      fix: `Widen the resource policy of ${api.id} to cover ${refused.map((r) => r.route).slice(0, 3).join(', ')} (Resource execute-api:/<stage>/<METHOD>/<path>, or execute-api:/*) for those callers, then create a deployment.`,
    }),
  ];
}
