import type { HttpIntegrationEvidence, HttpRouteEvidence, LambdaFunctionEvidence } from '../../core/evidence.js';
import { evidenceOf } from '../helpers.js';
import type { RuleInput } from '../types.js';

export interface LambdaIntegration {
  integration: HttpIntegrationEvidence;
  routes: HttpRouteEvidence[];
  fn?: LambdaFunctionEvidence;
}

function sameFunction(fn: LambdaFunctionEvidence, arn: string): boolean {
  return fn.functionArn === arn || arn.startsWith(`${fn.functionArn}:`) || fn.functionArn.startsWith(`${arn}:`);
}

/** Lambda integrations with the routes that use them and the function's evidence when read. */
export function lambdaIntegrations(input: RuleInput): LambdaIntegration[] {
  const routes = evidenceOf(input, 'apigwv2.routes');
  const functions = evidenceOf(input, 'lambda.functions') ?? [];
  return (routes?.integrations ?? [])
    .filter((i) => i.lambdaArn)
    .map((integration) => {
      const fn = functions.find((f) => sameFunction(f, integration.lambdaArn as string));
      return { integration, routes: routes?.routes.filter((r) => r.integrationId === integration.integrationId) ?? [], ...(fn ? { fn } : {}) };
    });
}

export function routeKeysOf(items: { routes: HttpRouteEvidence[] }[]): Set<string> {
  return new Set(items.flatMap((i) => i.routes.map((r) => r.routeKey)));
}
