import { signaturesFor } from '../execution-log-classifier.js';
import type { LambdaFunctionEvidence } from '../../core/evidence.js';
import { accountOfArn, evidenceOf, finding, inconclusive, requireSources, stagesInScope } from '../helpers.js';
import { describeArn, executeApiArn, executeApiPrefix } from '../../core/arn-match.js';
import { lambdaInvokeDecision } from '../../core/policy.js';
import { observedRoutes } from '../routes.js';
import type { RuleInput } from '../types.js';
import { countFailures, fromSignatures } from '../counting/index.js';
import { logRefs, logSummaryOf } from '../log-evidence.js';
import { defineRule } from '../types.js';

/**
 * I1: the integration function's resource policy does not let apigateway.amazonaws.com invoke it
 * for this API (removed, or SourceArn pinned to another stage or method): 500 for every call.
 */
export const i1LambdaPermissionMissing = defineRule({
  id: 'I1.lambda-permission-missing',
  severity: 'critical',
  title: 'API Gateway may not invoke the integration Lambda function',
  evaluate(input) {
    const summary = logSummaryOf(input);
    // One line is decisive here: API Gateway writes it only when Lambda refused the invoke. How
    // much traffic it hit, and whether it still does, sets the severity.
    const logged = signaturesFor(summary, { signatures: ['lambda-invalid-permissions'], stages: stagesInScope(input).map((s) => s.stageName) });
    const count = countFailures(input, { what: 'Invokes refused for a missing permission (500)', family: 'decisive', tallies: fromSignatures(input, logged) });
    const counts = count.passes ? logged : [];
    // An integration with a `credentials` role invokes as that role: the function's resource policy is not consulted (I2's side).
    const methods = evidenceOf(input, 'apigw.resources') ?? [];
    const viaRoleOnly = (arn: string) => {
      const using = methods.filter((m) => m.integration?.lambdaArn === arn);
      return using.length > 0 && using.every((m) => m.integration?.credentials);
    };
    const functions = (evidenceOf(input, 'lambda.functions') ?? []).filter((f) => f.usedBy.includes('integration') && !viaRoleOnly(f.functionArn));
    const denied = functions.filter((f) => f.invokePermission && !f.invokePermission.allowsThisApi);
    // The source judged each method statically ("any stage the permission names", any verb of an
    // ANY method): check the calls that carried traffic, as API Gateway presents them.
    for (const f of functions) {
      if (denied.includes(f)) continue;
      const refused = refusedStageRoutes(input, f);
      if (refused.length) {
        denied.push({ ...f, invokePermission: { ...f.invokePermission!, allowsThisApi: false, reason: `its SourceArn conditions do not cover ${refused.slice(0, 4).join(', ')}, which carried traffic` } });
      }
    }
    const unreadable = functions.filter((f) => f.unreadable);
    if (!denied.length && !counts.length) {
      const blocked = requireSources(input, this, ['lambda.functions'], 'a missing Lambda invoke permission');
      if (blocked) return blocked;
      return unreadable.map((f) => inconclusive(this, `a missing invoke permission on ${f.functionName}`, [{ source: 'lambda.functions', why: f.unreadable ?? 'function not readable', fix: `give the firebreak role read access to ${f.functionName}${f.accountId ? ` in account ${f.accountId}` : ''}` }]));
    }
    const name = denied[0]?.functionName ?? '<function>';
    return [
      finding(this, {
        // The policy read now says it is missing: that is current, whatever the logs' timing.
        severity: denied.length ? this.severity : count.severity(this.severity),
        figures: count.passes ? count.figures : [],
        detail: [
          ...denied.map((f) => `${f.functionName}: ${f.invokePermission?.reason ?? 'no statement allows apigateway.amazonaws.com for this API'}.`),
          count.passes ? count.text() : '',
          'Callers get 500 Internal server error.',
        ].filter(Boolean).join(' '),
        evidence: [
          ...denied.map((f) => ({ source: 'lambda.functions', key: f.functionName, quote: `${f.functionName} invoke permission: ${f.invokePermission?.reason ?? 'none for this API'}` })),
          ...logRefs(counts),
        ],
        fix: `aws lambda add-permission --function-name ${name} --statement-id apigw-${input.target.restApiId} --principal apigateway.amazonaws.com --action lambda:InvokeFunction --source-arn 'arn:aws:execute-api:${input.target.region}:<account>:${input.target.restApiId}/*/*/*'`,
      }),
    ];
  },
});

/** Source ARNs of calls that carried traffic, reached this function and that its policy refuses. */
function refusedStageRoutes(input: RuleInput, fn: LambdaFunctionEvidence): string[] {
  const policy = fn.invokePermission?.policy;
  if (!policy) return [];
  const methods = (evidenceOf(input, 'apigw.resources') ?? []).filter((m) => m.integration?.lambdaArn === fn.functionArn);
  const api = evidenceOf(input, 'apigw.rest-api');
  const account = api?.accountId ?? accountOfArn(fn.functionArn);
  const prefix = executeApiPrefix(input.target.region, account, input.target.restApiId);
  const refused: string[] = [];
  const seen = new Set<string>();
  for (const route of observedRoutes(input)) {
    const method = methods.find((m) => m.path === route.path && (m.httpMethod === route.method || m.httpMethod === 'ANY'));
    if (!method) continue;
    // The request's own verb, never ANY: that is what API Gateway puts in AWS:SourceArn.
    const sourceArn = executeApiArn(prefix, route.stage, route.method, method.path);
    if (seen.has(sourceArn)) continue;
    seen.add(sourceArn);
    if (lambdaInvokeDecision(policy, sourceArn, account).match === 'no') refused.push(describeArn(sourceArn));
  }
  return refused;
}
