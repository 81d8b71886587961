import { ANY_PATH, arnLike, executeApiPrefix, globMatch, resourceMatch } from './arn-match.js';
import { cidrContains } from './cidr.js';
import type { PolicyDocument, PolicyStatement } from './evidence.js';

/**
 * A deliberately small IAM policy reader for the questions firebreak asks ("can this endpoint
 * invoke?", "may API Gateway invoke this function?", "does this SCP deny the callers?"): resource
 * policies, endpoint policies, function policies and SCPs alike, matched with the one ARN matcher.
 * It decides only what it can decide for sure: an unknown condition key counts as satisfied for an
 * Allow and unsatisfied for a Deny, so a rule never fires on a guess.
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

/** One call as IAM sees it: `<apiId>/<stage>/<METHOD>/<path>` (the path without its leading slash). */
export interface RouteRef {
  stage: string;
  method: string;
  /** The request path or the resource path, starting with `/`. */
  path: string;
}

export interface ApiRef {
  region: string;
  apiId: string;
  /** The API owner's account; unknown matches whatever account a pattern names. */
  accountId?: string;
}

/**
 * Whether one Resource entry covers the API (and, given a route, that call):
 * `arn:aws:execute-api:<region>:<account>:<apiId>/<stage>/<METHOD>/<path>` (the root is `…/GET/`).
 * `execute-api:/…` is the resource-policy shorthand for "this API" (API Gateway expands it with
 * the API's region, account and id). Without a route, whether it covers some call of the API.
 */
function resourceCovers(resource: string, api: ApiRef, route?: RouteRef): boolean {
  const prefix = executeApiPrefix(api.region, api.accountId, api.apiId);
  const pattern = resource.startsWith('execute-api:/') ? `${prefix}/${resource.slice('execute-api:/'.length)}` : resource;
  const call = route ? `${route.stage}/${route.method.toUpperCase()}/${route.path.replace(/^\//, '')}` : ANY_PATH;
  return resourceMatch(pattern, `${prefix}/${call}`);
}

/**
 * True when the statement's Resource (or NotResource) covers the API: without a route, whether it
 * could cover some method of it ("some of it"); with a route, whether it covers that call.
 */
export function coversApi(statement: PolicyStatement, api: ApiRef, route?: RouteRef): boolean {
  if (statement.NotResource !== undefined) {
    // Without a route a NotResource statement may still apply to some call.
    if (!route) return true;
    return !asList(statement.NotResource).some((r) => resourceCovers(r, api, route));
  }
  const resources = asList(statement.Resource);
  if (resources.length === 0) return true;
  return resources.some((resource) => resourceCovers(resource, api, route));
}

/**
 * The caller as the conditions and principals see it. A value left undefined is unknown, unless
 * the key is listed in `absent` (e.g. `aws:SourceVpce` on a call to a public endpoint).
 */
export interface CallerContext {
  vpceId?: string;
  vpcId?: string;
  sourceIp?: string;
  vpcSourceIp?: string;
  principalOrgId?: string;
  /** The caller's account, when known (AWS_IAM callers; `$context.identity.accountId`). */
  accountId?: string;
  /** The caller's principal ARN; `anonymous` for unauthenticated calls. */
  principalArn?: string;
  /** The calling service's source ARN and account (resource policies of functions); the ARN may hold holes (see arn-match). */
  sourceArn?: string;
  sourceAccount?: string;
  /** A calling AWS service principal, e.g. `apigateway.amazonaws.com`. */
  service?: string;
  /** Condition keys (lower case) surely absent from the request. */
  absent?: string[];
}

export type Match = 'yes' | 'no' | 'unknown';

function callerValue(key: string, caller: CallerContext): string | undefined {
  switch (key) {
    case 'aws:sourcevpce':
      return caller.vpceId;
    case 'aws:sourcevpc':
      return caller.vpcId;
    case 'aws:sourceip':
      return caller.sourceIp;
    case 'aws:vpcsourceip':
      return caller.vpcSourceIp;
    case 'aws:principalorgid':
      return caller.principalOrgId;
    case 'aws:principalaccount':
      return caller.accountId;
    case 'aws:sourcearn':
      return caller.sourceArn;
    case 'aws:sourceaccount':
      return caller.sourceAccount;
    case 'aws:principalarn':
      return caller.principalArn && caller.principalArn !== 'anonymous' ? principalArnOf(caller.principalArn) : undefined;
    default:
      return undefined;
  }
}

/**
 * `aws:PrincipalArn` of a role session is the role's ARN, not the session's: an
 * `arn:aws:sts::<account>:assumed-role/<role>/<session>` caller is `arn:aws:iam::<account>:role/<role>`
 * (a role path, which the session ARN does not show, is taken as none).
 */
export function principalArnOf(callerArn: string): string {
  const session = /^arn:(aws[\w-]*):sts::(\d{12}):assumed-role\/([^/]+)\/[^/]+$/.exec(callerArn);
  return session ? `arn:${session[1]}:iam::${session[2]}:role/${session[3]}` : callerArn;
}

/** Whether `actual` matches one policy value under a (non-negated) base operator; undefined when the operator is unknown. */
function baseMatch(op: string, value: string, actual: string): boolean | undefined {
  switch (op) {
    case 'stringequals':
      return globMatch(value, actual, { literal: true });
    case 'stringequalsignorecase':
      return globMatch(value, actual, { literal: true, caseInsensitive: true });
    case 'stringlike':
      return globMatch(value, actual);
    // "The ArnEquals and ArnLike condition operators behave identically."
    case 'arnequals':
    case 'arnlike':
      return arnLike(value, actual);
    case 'ipaddress':
      return cidrContains(value.includes('/') ? value : `${value}/32`, actual);
    default:
      return undefined;
  }
}

const NEGATED: Record<string, string> = {
  stringnotequals: 'stringequals',
  stringnotequalsignorecase: 'stringequalsignorecase',
  stringnotlike: 'stringlike',
  arnnotequals: 'arnequals',
  arnnotlike: 'arnlike',
  notipaddress: 'ipaddress',
};

/**
 * One condition entry, IAM's way: a list of policy values is OR-ed (a negated operator is true
 * when the value matches none of them); a key absent from the request makes positive operators
 * false and negated ones (and `…IfExists`, and `ForAllValues:`) true; `Null` tests presence.
 * The keys here are single-valued, so `ForAnyValue:`/`ForAllValues:` act on one value.
 */
export function evaluateCondition(operator: string, key: string, values: string[], caller: CallerContext): Match {
  const lower = operator.toLowerCase();
  const forAll = lower.startsWith('forallvalues:');
  const forAny = lower.startsWith('foranyvalue:');
  const ifExists = lower.endsWith('ifexists');
  const op = lower.replace(/^forallvalues:|^foranyvalue:/, '').replace(/ifexists$/, '');
  const lowerKey = key.toLowerCase();
  const actual = callerValue(lowerKey, caller);
  const surelyAbsent = actual === undefined && (caller.absent ?? []).includes(lowerKey);
  if (op === 'null') {
    if (actual !== undefined) return values.some((v) => String(v).toLowerCase() === 'false') ? 'yes' : 'no';
    if (surelyAbsent) return values.some((v) => String(v).toLowerCase() === 'true') ? 'yes' : 'no';
    return 'unknown';
  }
  if (op === 'bool') return 'unknown';
  const negatedBase = NEGATED[op];
  if (actual === undefined) {
    if (!surelyAbsent) return 'unknown';
    if (ifExists || forAll) return 'yes';
    if (forAny) return 'no';
    return negatedBase ? 'yes' : baseMatch(op, '', '') === undefined ? 'unknown' : 'no';
  }
  const base = negatedBase ?? op;
  const hits = values.map((v) => baseMatch(base, v, actual));
  if (hits.some((h) => h === undefined)) return 'unknown';
  const hit = hits.some(Boolean);
  return (negatedBase ? !hit : hit) ? 'yes' : 'no';
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

function principalEntries(principal: unknown): { wildcard: boolean; aws: string[]; services: string[]; other: boolean } {
  if (principal === '*') return { wildcard: true, aws: [], services: [], other: false };
  if (!principal || typeof principal !== 'object') return { wildcard: false, aws: [], services: [], other: false };
  const p = principal as Record<string, unknown>;
  const aws = asList(p.AWS as string | string[] | undefined);
  const services = asList(p.Service as string | string[] | undefined);
  const other = Object.keys(p).some((k) => k !== 'AWS' && k !== 'Service');
  return { wildcard: aws.includes('*'), aws: aws.filter((a) => a !== '*'), services, other };
}

/** Whether one principal entry (an account id, `arn:…:root`, or a role/user ARN) names the caller. */
function principalNames(entry: string, caller: CallerContext): Match {
  if (caller.service) return 'no';
  if (!caller.principalArn && !caller.accountId) return 'unknown';
  if (caller.principalArn === 'anonymous') return 'no';
  const account = /^\d{12}$/.test(entry) ? entry : /^arn:aws[\w-]*:iam::(\d{12}):root$/.exec(entry)?.[1];
  if (account) return caller.accountId ? (account === caller.accountId ? 'yes' : 'no') : 'unknown';
  if (!caller.principalArn) return 'unknown';
  // A role entry names its sessions too; anything else that differs may still be the same principal.
  return entry === caller.principalArn || entry === principalArnOf(caller.principalArn) ? 'yes' : 'unknown';
}

/** Whether a statement's principals name the caller, one entry at a time. */
function namesCaller(entries: { aws: string[]; services: string[] }, caller: CallerContext): Match[] {
  const services = caller.service ? entries.services.map((s): Match => (s === caller.service ? 'yes' : 'no')) : entries.services.map((): Match => 'no');
  return [...entries.aws.map((a) => principalNames(a, caller)), ...services];
}

/** Whether the statement's Principal (or NotPrincipal) applies to the caller. */
export function principalMatches(statement: PolicyStatement, caller: CallerContext): Match {
  if (statement.NotPrincipal !== undefined) {
    const entries = principalEntries(statement.NotPrincipal);
    if (entries.wildcard) return 'no';
    const named = namesCaller(entries, caller);
    if (named.includes('yes')) return 'no';
    return named.includes('unknown') ? 'unknown' : 'yes';
  }
  // Identity policies and SCPs have no Principal: they apply to their own principals.
  if (statement.Principal === undefined) return 'yes';
  const entries = principalEntries(statement.Principal);
  const { wildcard, other } = entries;
  if (wildcard) return 'yes';
  const named = namesCaller(entries, caller);
  if (named.includes('yes')) return 'yes';
  if (named.includes('unknown') || other) return 'unknown';
  return 'no';
}

function and(a: Match, b: Match): Match {
  if (a === 'no' || b === 'no') return 'no';
  return a === 'unknown' || b === 'unknown' ? 'unknown' : 'yes';
}

export interface InvokeDecision {
  allowed: boolean;
  /** The statement that decided: the matching Deny, or undefined when nothing allowed. */
  deniedBy?: PolicyStatement;
  allowedBy?: PolicyStatement;
}

/**
 * Can `caller` invoke the API (the given route, when one is given) under this policy? An explicit
 * Deny wins only when it surely applies; an Allow counts when it does not surely not apply.
 */
export function evaluateInvoke(
  policy: PolicyDocument,
  api: ApiRef,
  caller: CallerContext,
  action = 'execute-api:Invoke',
  route?: RouteRef,
): InvokeDecision {
  const relevant = policy.Statement.filter((s) => coversAction(s, action) && coversApi(s, api, route));
  const applies = (s: PolicyStatement) => and(principalMatches(s, caller), conditionsMatch(s, caller));
  const deniedBy = relevant.find((s) => s.Effect === 'Deny' && applies(s) === 'yes');
  if (deniedBy) return { allowed: false, deniedBy };
  const allowedBy = relevant.find((s) => s.Effect === 'Allow' && applies(s) !== 'no');
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

export interface LambdaInvokeDecision {
  /** yes: API Gateway may invoke; no: surely not (no Allow applies, or a Deny does); unknown: conditions firebreak cannot evaluate. */
  match: Match;
  /** Sids (or `#index`) of the Allow statements that apply. */
  allowedBy: string[];
  /** The Deny statement that applies, by Sid or `#index`. */
  deniedBy?: string;
}

const APIGATEWAY = 'apigateway.amazonaws.com';

/**
 * Whether a Lambda function's resource policy lets API Gateway invoke it with this source ARN
 * (`arn:aws:execute-api:<region>:<account>:<apiId>/<stage>/<METHOD>/<path>`, or `…/authorizers/<id>`,
 * possibly with holes for what is unknown): an Allow for the apigateway.amazonaws.com principal
 * whose conditions hold (AWS:SourceArn with ArnLike, ArnEquals, StringLike or StringEquals;
 * AWS:SourceAccount), and no Deny that surely applies.
 */
export function lambdaInvokeDecision(policy: PolicyDocument, sourceArn: string, sourceAccount: string | undefined): LambdaInvokeDecision {
  const caller: CallerContext = { service: APIGATEWAY, sourceArn, ...(sourceAccount ? { sourceAccount } : {}) };
  const label = (s: PolicyStatement) => s.Sid ?? `#${policy.Statement.indexOf(s)}`;
  const relevant = policy.Statement.filter((s) => coversAction(s, 'lambda:InvokeFunction') && principalMatches(s, caller) !== 'no');
  const applies = (s: PolicyStatement) => and(principalMatches(s, caller), conditionsMatch(s, caller));
  const denied = relevant.find((s) => s.Effect === 'Deny' && applies(s) === 'yes');
  if (denied) return { match: 'no', allowedBy: [], deniedBy: label(denied) };
  const allows = relevant.filter((s) => s.Effect === 'Allow').map((s) => ({ s, match: applies(s) }));
  const sure = allows.filter((a) => a.match === 'yes');
  if (sure.length) return { match: 'yes', allowedBy: sure.map((a) => label(a.s)) };
  const maybe = allows.filter((a) => a.match === 'unknown');
  return maybe.length ? { match: 'unknown', allowedBy: maybe.map((a) => label(a.s)) } : { match: 'no', allowedBy: [] };
}
