import type { AccessLogEvidence } from '../../core/evidence.js';
import { compileAccessLogFormat } from '../logs/access-format.js';
import { readAccessLogStage } from '../logs/access.js';
import { combineStageResults } from '../logs/stage-results.js';
import { defineSource } from '../types.js';
import { windowNeeds } from '../logs/window-counts.js';

/**
 * The `$context` variables that explain an HTTP API failure (DG http-api-troubleshooting-lambda,
 * http-api-lambda-authorizer, http-api-logging-variables). Alternatives count as one: either
 * spelling of the integration error carries the same text.
 */
export const HTTP_DIAGNOSTIC_VARIABLES: readonly { name: string; alternatives: readonly string[] }[] = [
  { name: '$context.error.message', alternatives: ['error.message', 'error.messageString'] },
  { name: '$context.error.responseType', alternatives: ['error.responseType'] },
  { name: '$context.integrationErrorMessage', alternatives: ['integrationErrorMessage', 'integration.error'] },
  { name: '$context.integration.status', alternatives: ['integration.status'] },
  { name: '$context.authorizer.error', alternatives: ['authorizer.error'] },
  { name: '$context.routeKey', alternatives: ['routeKey'] },
];

/** Diagnostic variables the format does not carry. */
export function missingHttpDiagnostics(format: string | undefined): string[] {
  const carried = new Set(compileAccessLogFormat(format).variables);
  return HTTP_DIAGNOSTIC_VARIABLES.filter((v) => !v.alternatives.some((a) => carried.has(a))).map((v) => v.name);
}

const ENABLE_HINT = (stage: string) =>
  `enable access logging on stage ${stage} (JSON) with $context.requestId, $context.routeKey, $context.status, ${HTTP_DIAGNOSTIC_VARIABLES.filter((v) => v.name !== '$context.routeKey')
    .map((v) => v.name)
    .join(', ')}`;

/**
 * Access logs of an HTTP API's stages: the only request log HTTP APIs have. Reuses the REST
 * reader (same CloudWatch group, same format templates) and adds what the format lacks.
 */
export const httpAccessLogsSource = defineSource({
  id: 'logs.access',
  title: 'Access logs',
  dependsOn: ['apigwv2.stages'],
  calls: {
    chain: 4,
    why: 'the REST reader: the newest page says whether the window holds more; only then is it counted (StartQuery, then GetQueryResults)',
    needs: windowNeeds,
  },
  // Shares the REST reader, which keeps the period of execution lines: HTTP APIs have none.
  joins: ['logs.execution'],
  async run(ctx) {
    const stages = (ctx.evidence['apigwv2.stages'] ?? []).filter((s) => !ctx.target.stage || s.stageName === ctx.target.stage);
    if (stages.length === 0) return { status: 'not_applicable', evidence: [], reason: 'the API has no stages, so there are no access logs' };
    // HTTP APIs deliver access logs without the account's CloudWatch role (DG http-api-logging).
    const results = await Promise.all(stages.map((stage) => readAccessLogStage(ctx, stage, false, ENABLE_HINT)));
    for (const [index, result] of results.entries()) {
      const stage = stages[index];
      if (!stage?.accessLog) continue;
      const missing = missingHttpDiagnostics(stage.accessLog.format);
      if (result.evidence && missing.length) result.evidence.missingDiagnostics = missing;
      if (missing.length) {
        result.reason += `; the format lacks ${missing.join(', ')}`;
        result.hint = [result.hint, `add ${missing.join(', ')} to the access log format of stage ${stage.stageName}`].filter(Boolean).join('; ');
      }
    }
    const combined = combineStageResults<AccessLogEvidence>(results, (e) => e.records.length + e.unparsed.length);
    return combined;
  },
});
