import type { AccessLogEvidence, SourceId } from '../../core/evidence.js';
import { compileAccessLogFormat } from '../logs/access-format.js';
import { readAccessLogStage } from '../logs/access.js';
import { combineStageResults } from '../logs/stage-results.js';
import { keptAccessLines, recordLogReads } from '../logs/record.js';
import { defineSource, type Source } from '../types.js';
import { windowNeeds } from '../logs/window-counts.js';

/** A `$context` variable worth having in an access log; alternatives count as one (either spelling carries the same text). */
interface DiagnosticVariable {
  name: string;
  alternatives: readonly string[];
}

/**
 * The `$context` variables that explain an HTTP API failure (DG http-api-troubleshooting-lambda,
 * http-api-lambda-authorizer, http-api-logging-variables).
 */
export const HTTP_DIAGNOSTIC_VARIABLES: readonly DiagnosticVariable[] = [
  { name: '$context.error.message', alternatives: ['error.message', 'error.messageString'] },
  { name: '$context.error.responseType', alternatives: ['error.responseType'] },
  { name: '$context.integrationErrorMessage', alternatives: ['integrationErrorMessage', 'integration.error'] },
  { name: '$context.integration.status', alternatives: ['integration.status'] },
  { name: '$context.authorizer.error', alternatives: ['authorizer.error'] },
  { name: '$context.routeKey', alternatives: ['routeKey'] },
];

/**
 * The ones that explain a WebSocket failure (DG websocket-api-logging; catalogue §1.5): which
 * event (CONNECT, MESSAGE, DISCONNECT), on which connection and route, how it ended and why, and
 * when the connection opened (idle and 2-hour closes).
 */
export const WEBSOCKET_DIAGNOSTIC_VARIABLES: readonly DiagnosticVariable[] = [
  { name: '$context.eventType', alternatives: ['eventType'] },
  { name: '$context.connectionId', alternatives: ['connectionId'] },
  { name: '$context.routeKey', alternatives: ['routeKey'] },
  { name: '$context.status', alternatives: ['status'] },
  { name: '$context.connectedAt', alternatives: ['connectedAt'] },
  { name: '$context.error.message', alternatives: ['error.message', 'error.messageString'] },
  { name: '$context.integrationErrorMessage', alternatives: ['integrationErrorMessage', 'integration.error'] },
  { name: '$context.integration.status', alternatives: ['integration.status'] },
  { name: '$context.authorizer.error', alternatives: ['authorizer.error'] },
];

/** Diagnostic variables the format does not carry. */
export function missingDiagnostics(format: string | undefined, variables: readonly DiagnosticVariable[]): string[] {
  const carried = new Set(compileAccessLogFormat(format).variables);
  return variables.filter((v) => !v.alternatives.some((a) => carried.has(a))).map((v) => v.name);
}

export function missingHttpDiagnostics(format: string | undefined): string[] {
  return missingDiagnostics(format, HTTP_DIAGNOSTIC_VARIABLES);
}

const HTTP_ENABLE_HINT = (stage: string) =>
  `enable access logging on stage ${stage} (JSON) with $context.requestId, $context.routeKey, $context.status, ${HTTP_DIAGNOSTIC_VARIABLES.filter((v) => v.name !== '$context.routeKey')
    .map((v) => v.name)
    .join(', ')}`;

const WEBSOCKET_ENABLE_HINT = (stage: string) => `enable access logging on stage ${stage} (JSON) with $context.requestId, ${WEBSOCKET_DIAGNOSTIC_VARIABLES.map((v) => v.name).join(', ')}`;

/**
 * Access logs of a v2 API's stages, read with the REST reader (same CloudWatch group, same format
 * templates), noting what the format lacks. HTTP APIs deliver them without the account's
 * CloudWatch role (DG http-api-logging); WebSocket stages need it, as REST stages do.
 */
function v2AccessLogsSource(variables: readonly DiagnosticVariable[], enableHint: (stage: string) => string, needsRole: boolean): Source<'logs.access'> {
  return defineSource({
    id: 'logs.access',
    title: 'Access logs',
    dependsOn: ['apigwv2.stages'],
    calls: {
      chain: 4,
      why: 'the REST reader: the newest page says whether the window holds more; only then is it counted (StartQuery, then GetQueryResults)',
      needs: windowNeeds,
    },
    // The role decides whether anything is written (WebSocket APIs); the REST reader keeps the
    // period of the execution lines read (HTTP APIs have none).
    ...(needsRole ? { after: ['apigw.account'] satisfies SourceId[] } : {}),
    joins: ['logs.execution'],
    async run(ctx) {
      const stages = (ctx.evidence['apigwv2.stages'] ?? []).filter((s) => !ctx.target.stage || s.stageName === ctx.target.stage);
      if (stages.length === 0) return { status: 'not_applicable', evidence: [], reason: 'the API has no stages, so there are no access logs' };
      const account = ctx.evidence['apigw.account'];
      const roleMissing = needsRole && account !== undefined && !account.cloudwatchRoleArn;
      const results = await Promise.all(stages.map((stage) => readAccessLogStage(ctx, stage, roleMissing, enableHint)));
      for (const [index, result] of results.entries()) {
        const stage = stages[index];
        if (!stage?.accessLog) continue;
        const missing = missingDiagnostics(stage.accessLog.format, variables);
        if (result.evidence && missing.length) result.evidence.missingDiagnostics = missing;
        if (missing.length) {
          result.reason += `; the format lacks ${missing.join(', ')}`;
          result.hint = [result.hint, `add ${missing.join(', ')} to the access log format of stage ${stage.stageName}`].filter(Boolean).join('; ');
        }
      }
      return combineStageResults<AccessLogEvidence>(results, (e) => e.records.length + e.unparsed.length);
    },
    record: (read, w) => recordLogReads(read.calls, keptAccessLines(read.evidence ?? []), w),
  });
}

/** HTTP APIs: the only request log they have. */
export const httpAccessLogsSource = v2AccessLogsSource(HTTP_DIAGNOSTIC_VARIABLES, HTTP_ENABLE_HINT, false);

/** WebSocket APIs: one record per CONNECT, MESSAGE and DISCONNECT, with `$context.eventType` and `connectionId`. */
export const websocketAccessLogsSource = v2AccessLogsSource(WEBSOCKET_DIAGNOSTIC_VARIABLES, WEBSOCKET_ENABLE_HINT, true);
