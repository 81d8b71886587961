import { cloudTrailLookupFailure } from '../blind-spots/cloudtrail-refused.js';
import { finding } from '../helpers.js';
import { defineRule, type Rule } from '../types.js';
import { accessLogs, httpStages } from './access.js';

/** Without access logs an HTTP API has no request log at all: statuses and error messages are unknown. */
export const hbAccessLogsOff = defineRule({
  id: 'HB.access-logs-off',
  severity: 'low',
  title: 'Access logging is off: the HTTP API has no request log at all',
  evaluate(input) {
    return httpStages(input)
      .filter((s) => !s.accessLog?.destinationArn)
      .map((stage) =>
        finding(this, {
          detail: `Stage ${stage.stageName} has no access log destination, and HTTP APIs write no execution logs: the status, route and error message of each request are unknown, so 404s, 401/403s, 429s and integration errors (H1, H10–H14, H18–H24) can only be inferred from configuration.`,
          evidence: [{ source: 'apigwv2.stages', key: stage.stageName, quote: `${stage.stageName} AccessLogSettings: none` }],
          fix: `aws apigatewayv2 update-stage --api-id ${input.target.restApiId} --stage-name '${stage.stageName}' --access-log-settings DestinationArn=<log group ARN>,Format='{"requestId":"$context.requestId","routeKey":"$context.routeKey","status":"$context.status","error":"$context.error.message","integrationError":"$context.integrationErrorMessage","authorizerError":"$context.authorizer.error","integrationStatus":"$context.integration.status"}'`,
        }),
      );
  },
});

/** Logging is on, but the format carries none of the fields that say why a request (`what`) failed. */
export function accessLogNotDiagnosticRule(id: string, what: string): Rule {
  return defineRule({
    id,
    severity: 'low',
    title: 'The access log format lacks the fields that explain failures',
    evaluate(input) {
      return accessLogs(input)
        .filter((log) => (log.missingDiagnostics?.length ?? 0) > 0)
        .map((log) =>
          finding(this, {
            detail: `The access log format of stage ${log.stage} lacks ${log.missingDiagnostics?.join(', ')}: failed ${what} show a status but not why (the console presets carry no error field).`,
            evidence: [{ source: 'logs.access', key: log.stage, quote: `${log.stage} format lacks ${log.missingDiagnostics?.join(', ')}` }],
            fix: `Add ${log.missingDiagnostics?.join(', ')} to the stage's AccessLogSettings.Format (at most 3 KB).`,
          }),
        );
    },
  });
}

export const hbAccessLogNotDiagnostic = accessLogNotDiagnosticRule('HB.access-log-not-diagnostic', 'requests');

/** Without CloudTrail, changes to a v2 API cannot be dated: `invisible` says which causes that hides. */
export function cloudtrailRefusedRule(id: string, kind: string, invisible: string): Rule {
  return defineRule({
    id,
    severity: 'medium',
    title: `CloudTrail lookup failed: recent changes to the ${kind} are invisible`,
    evaluate(input) {
      const failure = cloudTrailLookupFailure(input);
      if (!failure) return [];
      return [
        finding(this, {
          detail: `The CloudTrail lookup ${failure.phrase}, so ${invisible} cannot be seen.`,
          evidence: failure.evidence,
          fix: failure.fix,
        }),
      ];
    },
  });
}

/** Without CloudTrail, undeployed changes (H3) and payload-format changes (H19) cannot be dated. */
export const hbCloudtrailRefused = cloudtrailRefusedRule('HB.cloudtrail-refused', 'HTTP API', 'changes not deployed to a stage (H3), integration changes (H19) and denied calls');
