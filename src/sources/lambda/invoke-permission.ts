import type { InvokePermissionEvidence, PolicyDocument, PolicyStatement } from '../../core/evidence.js';
import { globMatch } from '../../core/glob.js';

const APIGW_PRINCIPAL = 'apigateway.amazonaws.com';
const SOURCE_ARN_OPERATORS = ['arnlike', 'arnequals', 'stringlike', 'stringequals'];
const LIKE_OPERATORS = new Set(['arnlike', 'stringlike']);

function asList(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return [];
}

function allowsApiGatewayPrincipal(principal: unknown): boolean {
  if (principal === '*') return true;
  if (!principal || typeof principal !== 'object') return false;
  const p = principal as { Service?: unknown; AWS?: unknown };
  return asList(p.Service).some((s) => s === APIGW_PRINCIPAL) || asList(p.AWS).includes('*');
}

function allowsInvoke(action: unknown): boolean {
  return asList(action).some((a) => ['lambda:invokefunction', 'lambda:*', '*'].includes(a.toLowerCase()));
}

/** The SourceArn patterns a statement is limited to, or undefined when it has no such condition. */
function sourceArnConditions(statement: PolicyStatement): { patterns: string[]; like: boolean }[] | undefined {
  const found: { patterns: string[]; like: boolean }[] = [];
  for (const [operator, keys] of Object.entries(statement.Condition ?? {})) {
    const op = operator.toLowerCase().replace(/ifexists$/, '');
    if (!SOURCE_ARN_OPERATORS.includes(op)) continue;
    for (const [key, value] of Object.entries(keys)) {
      if (key.toLowerCase() !== 'aws:sourcearn') continue;
      found.push({ patterns: asList(value), like: LIKE_OPERATORS.has(op) });
    }
  }
  return found.length > 0 ? found : undefined;
}

function sourceAccountCondition(statement: PolicyStatement): string[] | undefined {
  for (const keys of Object.values(statement.Condition ?? {})) {
    for (const [key, value] of Object.entries(keys)) if (key.toLowerCase() === 'aws:sourceaccount') return asList(value);
  }
  return undefined;
}

/**
 * Whether `pattern` admits `sourceArn`. When the stage is unknown (every stage examined), the
 * source ARN carries `{stage}` and any stage the pattern names is accepted: a permission for
 * `prod` does let API Gateway invoke the function from the prod stage.
 */
export function sourceArnMatches(pattern: string, sourceArn: string, like: boolean): boolean {
  let value = sourceArn;
  if (value.includes('{stage}')) {
    const prefix = value.slice(0, value.indexOf('{stage}'));
    const stageInPattern = pattern.startsWith(prefix) ? pattern.slice(prefix.length).split('/')[0] : undefined;
    if (stageInPattern === undefined || stageInPattern === '') return false;
    value = value.replace('{stage}', stageInPattern);
  }
  return like ? globMatch(pattern, value) : pattern === value;
}

function statementLabel(statement: PolicyStatement, index: number): string {
  return statement.Sid ?? `#${index}`;
}

/**
 * Decides, from a function's resource-based policy, whether API Gateway may invoke it for every
 * execute-api source ARN this API uses it with (one per method or authorizer). API Gateway calls
 * with the caller's `AWS:SourceArn`, so a permission scoped to another API or stage never matches.
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
    let allowed = false;
    policy.Statement.forEach((statement, index) => {
      if (!allowsApiGatewayPrincipal(statement.Principal) || !allowsInvoke(statement.Action)) return;
      const accounts = sourceAccountCondition(statement);
      if (accounts && apiAccountId && !accounts.includes(apiAccountId)) return;
      const conditions = sourceArnConditions(statement);
      const applies = !conditions || conditions.every((c) => c.patterns.some((p) => sourceArnMatches(p, sourceArn, c.like)));
      if (!applies) return;
      if (statement.Effect === 'Deny') denied.push(`${statementLabel(statement, index)} denies ${sourceArn}`);
      else {
        allowed = true;
        matching.add(statementLabel(statement, index));
      }
    });
    if (!allowed) uncovered.push(sourceArn);
  }
  const allowsThisApi = uncovered.length === 0 && denied.length === 0;
  const result: InvokePermissionEvidence = { allowsThisApi, matchingStatements: [...matching], policy };
  if (denied.length > 0) result.reason = `explicit deny: ${denied.join('; ')}`;
  else if (uncovered.length > 0) {
    result.reason = `no statement lets ${APIGW_PRINCIPAL} invoke it for ${uncovered.join(', ')}`;
  }
  return result;
}
