import type { HttpRouteSettingsEvidence, HttpStageEvidence } from '../../core/evidence.js';
import type { Finding } from '../../core/finding.js';
import { finding } from '../helpers.js';
import { defineRule, type Rule, type RuleInput } from '../types.js';
import { accessRefs, countRecords, ERROR_MESSAGE, httpStages } from './access.js';

export function limits(s: HttpRouteSettingsEvidence | undefined): string {
  if (!s || (s.throttlingRateLimit === undefined && s.throttlingBurstLimit === undefined)) return 'account default';
  return `${s.throttlingRateLimit ?? '-'} rps, burst ${s.throttlingBurstLimit ?? '-'}`;
}

const zero = (s: HttpRouteSettingsEvidence | undefined) => s !== undefined && (s.throttlingRateLimit === 0 || s.throttlingBurstLimit === 0);

/**
 * H24: stage or route throttling refuses requests: 429 `{"message":"Too Many Requests"}`. A limit
 * of 0 refuses everything; IaC tools write 0 when any DefaultRouteSettings field is set without
 * the throttles (reported: pulumi/pulumi-aws#2363, terraform-aws-modules/terraform-aws-apigateway-v2#59).
 * Route limits are keyed by route key and cannot exceed the account's (DG http-api-throttling).
 */
export const h24Throttled = defineRule({
  id: 'H24.throttled',
  severity: 'high',
  title: 'Stage or route throttling refuses requests (429)',
  evaluate(input) {
    const findings = [];
    for (const stage of httpStages(input)) {
      const zeroLimit = zeroThrottleFinding(this, input, stage, 'every request');
      if (zeroLimit) {
        findings.push(zeroLimit);
        continue;
      }
      const stageInput = { ...input, target: { ...input.target, stage: stage.stageName } };
      const { count, matches: throttled } = countRecords(stageInput, { what: 'Throttled requests (429)', family: 'throttle' }, (r) => r.status === 429);
      if (!count.passes) continue;
      const routeLimits = Object.entries(stage.routeSettings).filter(([, s]) => s.throttlingRateLimit !== undefined || s.throttlingBurstLimit !== undefined).map(([k, s]) => `${k}: ${limits(s)}`);
      findings.push(
        finding(this, {
          severity: count.severity(this.severity),
          figures: count.figures,
          detail: `${count.text()} Stage ${stage.stageName} limits: default ${limits(stage.defaultRouteSettings)}${routeLimits.length ? `; ${routeLimits.join('; ')}` : ''} (the account allows 10,000 rps and 5,000 burst per Region, shared by all APIs). Excessive 429s may not all be logged.`,
          evidence: [...accessRefs(throttled, 'were throttled', ERROR_MESSAGE), { source: 'apigwv2.stages', key: stage.stageName, quote: `${stage.stageName} DefaultRouteSettings ${limits(stage.defaultRouteSettings)}` }],
          fix: `Raise the stage or route limits (aws apigatewayv2 update-stage --api-id ${input.target.restApiId} --stage-name '${stage.stageName}' --default-route-settings ThrottlingRateLimit=<rps>,ThrottlingBurstLimit=<burst>), or have clients back off and retry.`,
        }),
      );
    }
    return findings;
  },
});

/** A v2 stage whose default or route throttle is 0: it refuses `what` with 429 (HTTP and WebSocket alike). */
export function zeroThrottleFinding(rule: Rule, input: RuleInput, stage: HttpStageEvidence, what: string): Finding | undefined {
  const zeroRoutes = Object.entries(stage.routeSettings).filter(([, s]) => zero(s)).map(([key]) => key);
  if (!zero(stage.defaultRouteSettings) && !zeroRoutes.length) return undefined;
  const scope = zero(stage.defaultRouteSettings) ? 'every route' : `route(s) ${zeroRoutes.join(', ')}`;
  return finding(rule, {
    severity: 'critical',
    detail: `Stage ${stage.stageName} throttles ${scope} at ${zero(stage.defaultRouteSettings) ? limits(stage.defaultRouteSettings) : zeroRoutes.map((k) => `${k}: ${limits(stage.routeSettings[k])}`).join('; ')}: a limit of 0 refuses ${what} with 429 Too Many Requests (IaC tools write 0 when another DefaultRouteSettings field is set).`,
    evidence: [{ source: 'apigwv2.stages', key: stage.stageName, quote: `${stage.stageName} DefaultRouteSettings ${limits(stage.defaultRouteSettings)}${zeroRoutes.length ? `; RouteSettings ${zeroRoutes.map((k) => `${k}: ${limits(stage.routeSettings[k])}`).join('; ')}` : ''}` }],
    fix: `Set real limits (or remove them): aws apigatewayv2 update-stage --api-id ${input.target.restApiId} --stage-name '${stage.stageName}' --default-route-settings ThrottlingRateLimit=<rps>,ThrottlingBurstLimit=<burst>${zeroRoutes.length ? ' and fix --route-settings for the listed routes' : ''}.`,
  });
}
