import { accountOfArn, clip, evidenceOf, finding, plural, stagesInScope } from '../helpers.js';
import { evaluateInvoke } from '../../core/policy.js';
import { describeRoute, observedRoutes } from '../routes.js';
import { defineRule } from '../types.js';

/**
 * P6: IAM callers from another account need an explicit Allow in both the resource policy and their
 * own IAM policy (authorization flow, Table B); same-account callers need either. Evaluated per
 * route for the principals seen on it; denials quoting another account's principal are decisive.
 */
export const p6CrossAccountIam = defineRule({
  id: 'P6.cross-account-iam',
  severity: 'high',
  title: 'Cross-account IAM callers are not allowed by the resource policy',
  evaluate(input) {
    const api = evidenceOf(input, 'apigw.rest-api');
    const apiAccount = api?.accountId ?? input.target.account;
    if (!api || !apiAccount) return [];
    const iamMethods = (evidenceOf(input, 'apigw.resources') ?? []).filter((m) => m.authorizationType === 'AWS_IAM');
    const stages = new Set(stagesInScope(input).map((s) => s.stageName));
    const scope = { region: input.target.region, apiId: api.id, accountId: apiAccount };
    const refused: { route: string; principals: string[]; denials: number; why: string }[] = [];
    for (const route of observedRoutes(input)) {
      if (input.target.stage && !stages.has(route.stage)) continue;
      const foreign = route.principals.filter((p) => p !== 'anonymous' && accountOfArn(p) && accountOfArn(p) !== apiAccount);
      if (!foreign.length) continue;
      const denied = foreign.filter((principalArn) => {
        if (!api.policy) return true;
        return !evaluateInvoke(api.policy, scope, { principalArn, accountId: accountOfArn(principalArn) as string }, 'execute-api:Invoke', route).allowed;
      });
      const deniedInLogs = route.denials - route.anonymousDenials;
      if (!denied.length || (deniedInLogs === 0 && route.errors * 2 <= route.requests)) continue;
      refused.push({
        route: describeRoute(route),
        principals: denied,
        denials: deniedInLogs,
        why: api.policy ? 'no resource-policy statement allows these principals' : 'the API has no resource policy, so cross-account callers are never allowed',
      });
    }
    if (!refused.length) return [];
    return [
      finding(this, {
        detail: `${plural(refused.length, 'route')} refuse IAM callers from other accounts: ${refused
          .map((r) => `${r.route} for ${r.principals.join(', ')} (${r.why}; ${r.denials} denials in the logs)`)
          .join('; ')}. Cross-account IAM callers need an Allow in the resource policy as well as in their own IAM policy.${iamMethods.length ? ` AWS_IAM methods: ${iamMethods.slice(0, 4).map((m) => `${m.httpMethod} ${m.path}`).join(', ')}.` : ''}`,
        evidence: [
          { source: 'apigw.rest-api', key: api.id, quote: clip(api.policy ? `policy principals: ${api.policy.Statement.map((s) => JSON.stringify(s.Principal ?? s.NotPrincipal ?? '-')).join('; ')}` : 'policy: none') },
          ...refused.slice(0, 4).map((r) => ({ source: 'logs.access', key: r.route, quote: `${r.denials} × not authorized to perform execute-api:Invoke for ${r.principals[0]}` })),
        ],
        fix: `Add to the resource policy of ${api.id} an Allow for execute-api:Invoke with Principal {"AWS": ["arn:aws:iam::${accountOfArn(refused[0]?.principals[0]) ?? '<caller account>'}:root"]} on the routes they call, then create a deployment; keep the callers' own IAM Allow.`,
      }),
    ];
  },
});
