import type { PolicyDocument, PolicyStatement } from '../core/evidence.js';
import { globMatch } from '../core/glob.js';

/**
 * A deliberately small IAM policy reader for the questions the rules ask ("can this endpoint
 * invoke?"). It decides only what it can decide for sure: an unknown condition key counts as
 * satisfied for an Allow and unsatisfied for a Deny, so a rule never fires on a guess.
 */

export const VPC_CONDITION_KEYS = ['aws:sourcevpce', 'aws:sourcevpc', 'aws:vpcsourceip'];

export function asList(value: string | string[] | boolean | undefined): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).map(String);
}

export function statementActions(statement: PolicyStatement): string[] {
  return asList(statement.Action);
}

/** True when the statement's Action (or NotAction) covers `action`. */
export function coversAction(statement: PolicyStatement, action: string): boolean {
  // IAM compares action names case-insensitively (`Execute-API:invoke` is `execute-api:Invoke`).
  const matches = (pattern: string) => globMatch(pattern, action, { caseInsensitive: true });
  if (statement.NotAction !== undefined) return !asList(statement.NotAction).some(matches);
  return statementActions(statement).some(matches);
}

/**
 * True when the statement's Resource could cover some method of the API: region, account and the
 * API id segment are compared; the stage/method/path part is treated as "some of it".
 */
export function coversApi(statement: PolicyStatement, api: { region: string; apiId: string; accountId?: string }): boolean {
  if (statement.NotResource !== undefined) return true;
  const resources = asList(statement.Resource);
  if (resources.length === 0) return true;
  return resources.some((resource) => {
    if (resource === '*' || resource.startsWith('execute-api:/')) return true;
    const parts = resource.split(':');
    if (parts.length < 6 || parts[2] !== 'execute-api') return false;
    const [region = '', account = '', path = ''] = [parts[3], parts[4], parts.slice(5).join(':')];
    const apiSegment = path.split('/')[0] ?? '';
    const regionMatches = region === '' || globMatch(region, api.region);
    const accountMatches = account === '' || !api.accountId || globMatch(account, api.accountId);
    return regionMatches && accountMatches && globMatch(apiSegment, api.apiId);
  });
}

/** The caller as the conditions see it. */
export interface CallerContext {
  vpceId?: string;
  vpcId?: string;
}

type Match = 'yes' | 'no' | 'unknown';

function evaluateCondition(operator: string, key: string, values: string[], caller: CallerContext): Match {
  const op = operator.replace(/^ForAnyValue:|^ForAllValues:/i, '').replace(/IfExists$/i, '').toLowerCase();
  const lowerKey = key.toLowerCase();
  const actual = lowerKey === 'aws:sourcevpce' ? caller.vpceId : lowerKey === 'aws:sourcevpc' ? caller.vpcId : undefined;
  if (actual === undefined) return 'unknown';
  const hit = values.some((v) => (op.includes('like') ? globMatch(v, actual) : op.includes('ignorecase') ? v.toLowerCase() === actual.toLowerCase() : v === actual));
  if (op.startsWith('stringnot')) return hit ? 'no' : 'yes';
  if (op.startsWith('string')) return hit ? 'yes' : 'no';
  return 'unknown';
}

/** Whether every condition of the statement holds for the caller: yes, no, or cannot tell. */
export function conditionsMatch(statement: PolicyStatement, caller: CallerContext): Match {
  let result: Match = 'yes';
  for (const [operator, entries] of Object.entries(statement.Condition ?? {})) {
    for (const [key, value] of Object.entries(entries)) {
      const match = evaluateCondition(operator, key, asList(value), caller);
      if (match === 'no') return 'no';
      if (match === 'unknown') result = 'unknown';
    }
  }
  return result;
}

export interface InvokeDecision {
  allowed: boolean;
  /** The statement that decided: the matching Deny, or undefined when nothing allowed. */
  deniedBy?: PolicyStatement;
  allowedBy?: PolicyStatement;
}

/**
 * Can `caller` invoke the API under this policy? Explicit Deny wins only when its conditions surely
 * hold; an Allow counts when its conditions are not surely false.
 */
export function evaluateInvoke(
  policy: PolicyDocument,
  api: { region: string; apiId: string; accountId?: string },
  caller: CallerContext,
  action = 'execute-api:Invoke',
): InvokeDecision {
  const relevant = policy.Statement.filter((s) => coversAction(s, action) && coversApi(s, api));
  const deniedBy = relevant.find((s) => s.Effect === 'Deny' && conditionsMatch(s, caller) === 'yes');
  if (deniedBy) return { allowed: false, deniedBy };
  const allowedBy = relevant.find((s) => s.Effect === 'Allow' && conditionsMatch(s, caller) !== 'no');
  return allowedBy ? { allowed: true, allowedBy } : { allowed: false };
}

/** Every value given to a condition key (e.g. all vpce ids named under aws:SourceVpce). */
export function conditionValues(statement: PolicyStatement, conditionKey: string): string[] {
  const wanted = conditionKey.toLowerCase();
  return Object.values(statement.Condition ?? {}).flatMap((entries) =>
    Object.entries(entries).flatMap(([key, value]) => (key.toLowerCase() === wanted ? asList(value) : [])),
  );
}

/** The condition keys a statement uses, as written. */
export function conditionKeys(statement: PolicyStatement): string[] {
  return Object.values(statement.Condition ?? {}).flatMap((entries) => Object.keys(entries));
}

