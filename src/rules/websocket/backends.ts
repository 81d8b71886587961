import type { HttpIntegrationEvidence, HttpRouteEvidence, LambdaFunctionEvidence, LambdaLogEvidence, ManageConnectionsEvidence } from '../../core/evidence.js';
import { ANY_SEGMENT, executeApiPrefix, resourceMatch } from '../../core/arn-match.js';
import { evidenceOf } from '../helpers.js';
import { asList, coversAction } from '../../core/policy.js';
import type { RuleInput } from '../types.js';
import { wsStages } from './events.js';

/** A route with its integration, the function behind it and that function's log and role, when read. */
export interface RouteBackend {
  route: HttpRouteEvidence;
  integration?: HttpIntegrationEvidence;
  fn?: LambdaFunctionEvidence;
  log?: LambdaLogEvidence;
  role?: ManageConnectionsEvidence;
}

function sameFunction(arn: string | undefined, fn: { functionArn: string } | { functionName: string }): boolean {
  if (!arn) return false;
  if ('functionArn' in fn) return arn === fn.functionArn || arn.startsWith(`${fn.functionArn}:`) || fn.functionArn.startsWith(`${arn}:`);
  const marker = `:function:${fn.functionName}`;
  return arn.endsWith(marker) || arn.includes(`${marker}:`);
}

export function routeBackends(input: RuleInput): RouteBackend[] {
  const evidence = evidenceOf(input, 'apigwv2.routes');
  const functions = evidenceOf(input, 'lambda.functions') ?? [];
  const logs = evidenceOf(input, 'logs.lambda') ?? [];
  const roles = evidenceOf(input, 'iam.manage-connections') ?? [];
  return (evidence?.routes ?? []).map((route) => {
    const integration = evidence?.integrations.find((i) => i.integrationId === route.integrationId);
    const fn = functions.find((f) => sameFunction(integration?.lambdaArn, f));
    const log = fn ? logs.find((l) => l.functionName === fn.functionName && (!l.accountId || !fn.accountId || l.accountId === fn.accountId)) : undefined;
    const role = fn ? roles.find((r) => r.functionName === fn.functionName) : undefined;
    return { route, ...(integration ? { integration } : {}), ...(fn ? { fn } : {}), ...(log ? { log } : {}), ...(role ? { role } : {}) };
  });
}

/** The execute-api ARN API Gateway invokes a route's function with, per stage in scope (a hole when none is known: core/arn-match). */
export function routeSourceArns(input: RuleInput, routeKey: string): { stage: string; arn: string; account?: string }[] {
  const account = evidenceOf(input, 'apigwv2.api')?.accountId;
  const stages = wsStages(input).map((s) => s.stageName);
  return (stages.length ? stages : [ANY_SEGMENT]).map((stage) => ({
    stage,
    arn: `${executeApiPrefix(input.target.region, account, input.target.restApiId)}/${stage}/${routeKey}`,
    ...(account ? { account } : {}),
  }));
}

/** The `@connections` ARN a backend's PostToConnection is authorized against (DG apigateway-websocket-control-access-iam). */
export function connectionsArn(input: RuleInput, stage: string, method = 'POST'): string {
  return `${executeApiPrefix(input.target.region, evidenceOf(input, 'apigwv2.api')?.accountId, input.target.restApiId)}/${stage}/${method}/@connections/AbCdEfGhIjKlMnO=`;
}

/**
 * Whether a role's statements allow execute-api:ManageConnections on `arn`: an explicit Deny wins,
 * then any Allow whose Resource (or NotResource) covers it. Conditions are not evaluated: a
 * conditional Allow counts as allowing, so the rule never fires on a guess.
 */
export function rolesAllow(role: ManageConnectionsEvidence, arn: string): 'allowed' | 'denied' | 'not_allowed' {
  const covers = (s: ManageConnectionsEvidence['statements'][number]) => {
    if (!coversAction(s, 'execute-api:ManageConnections')) return false;
    if (s.NotResource !== undefined) return !asList(s.NotResource).some((r) => resourceMatch(r, arn));
    return asList(s.Resource).some((r) => resourceMatch(r, arn));
  };
  if (role.statements.some((s) => s.Effect === 'Deny' && covers(s))) return 'denied';
  return role.statements.some((s) => s.Effect === 'Allow' && covers(s)) ? 'allowed' : 'not_allowed';
}

/** A route whose function says it posts to connections: failed `@connections` calls in its log, or ManageConnections in its role. */
export function postsToConnections(b: RouteBackend): boolean {
  return (b.log?.callbackFailures?.length ?? 0) > 0 || (b.role?.statements.length ?? 0) > 0;
}
