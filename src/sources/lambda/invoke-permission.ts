import { describeArn } from '../../core/arn-match.js';
import type { InvokePermissionEvidence, PolicyDocument } from '../../core/evidence.js';
import { lambdaInvokeDecision } from '../../core/policy.js';

const APIGW_PRINCIPAL = 'apigateway.amazonaws.com';

/**
 * Decides, from a function's resource-based policy, whether API Gateway may invoke it for every
 * execute-api source ARN this API uses it with (one per method or authorizer; an unknown stage is
 * a hole that any stage the policy names fills). API Gateway calls with the caller's
 * `AWS:SourceArn`, so a permission scoped to another API or stage never matches. A statement whose
 * conditions firebreak cannot evaluate counts as allowing: no finding rests on a guess.
 */
export function evaluateInvokePermission(
  policy: PolicyDocument | null,
  sourceArns: readonly string[],
  apiAccountId: string | undefined,
): InvokePermissionEvidence {
  if (!policy || policy.Statement.length === 0) {
    return { allowsThisApi: false, matchingStatements: [], reason: 'no resource-based policy', policy };
  }
  const matching = new Set<string>();
  const uncovered: string[] = [];
  const denied: string[] = [];
  for (const sourceArn of sourceArns) {
    const decision = lambdaInvokeDecision(policy, sourceArn, apiAccountId);
    for (const sid of decision.allowedBy) matching.add(sid);
    if (decision.deniedBy) denied.push(`${decision.deniedBy} denies ${describeArn(sourceArn)}`);
    else if (decision.match === 'no') uncovered.push(describeArn(sourceArn));
  }
  const allowsThisApi = uncovered.length === 0 && denied.length === 0;
  const result: InvokePermissionEvidence = { allowsThisApi, matchingStatements: [...matching], policy };
  if (denied.length > 0) result.reason = `explicit deny: ${denied.join('; ')}`;
  else if (uncovered.length > 0) result.reason = `no statement lets ${APIGW_PRINCIPAL} invoke it for ${uncovered.join(', ')}`;
  return result;
}
