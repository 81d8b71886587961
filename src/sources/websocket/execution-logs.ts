import { windowNeeds } from '../logs/window-counts.js';
import type { HttpStageEvidence, MethodSettingEvidence } from '../../core/evidence.js';
import { EXECUTION_ERROR_PHRASES, readExecutionLogStage, type ExecutionLoggedStage } from '../logs/execution.js';
import { combineStageResults } from '../logs/stage-results.js';
import { recordLineReads } from '../logs/record.js';
import { defineSource } from '../types.js';

/**
 * Beyond REST's error phrases: the close codes a disconnect line carries for a too-large message
 * (1009) or a binary frame (1003), so they survive on a busy stage too (DG-2023 websocket limits).
 */
export const WEBSOCKET_ERROR_PHRASES = [...EXECUTION_ERROR_PHRASES, 'Close reason: [1009', 'Close reason: [1003'] as const;

/** A WebSocket stage as an execution-logged stage: DefaultRouteSettings is the stage level, RouteSettings the overrides. */
function asLoggedStage(stage: HttpStageEvidence): ExecutionLoggedStage {
  const methodSettings: Record<string, MethodSettingEvidence> = {};
  for (const [routeKey, s] of Object.entries(stage.routeSettings)) {
    if (s.loggingLevel) methodSettings[routeKey] = { loggingLevel: s.loggingLevel, ...(s.dataTraceEnabled !== undefined ? { dataTraceEnabled: s.dataTraceEnabled } : {}) };
  }
  return { stageName: stage.stageName, loggingLevel: stage.defaultRouteSettings?.loggingLevel ?? 'OFF', methodSettings };
}

/**
 * Execution logs of a WebSocket API's stages (`API-Gateway-Execution-Logs_{apiId}/{stage}`, as for
 * REST), read like REST's: the newest lines, every error line of the window, counts by Logs
 * Insights. Written only with the account's CloudWatch role (anomalyco/sst#4663).
 */
export const websocketExecutionLogsSource = defineSource({
  id: 'logs.execution',
  title: 'Execution logs',
  dependsOn: ['apigwv2.stages'],
  after: ['apigw.account'],
  calls: {
    chain: 4,
    why: 'the REST reader: the newest page says whether the window holds more; only then is it counted (StartQuery, then GetQueryResults) and its error lines read; when Insights could not count, the older error lines wait for that answer',
    needs: windowNeeds,
  },
  async run(ctx) {
    const stages = (ctx.evidence['apigwv2.stages'] ?? []).filter((s) => !ctx.target.stage || s.stageName === ctx.target.stage);
    if (stages.length === 0) return { status: 'not_applicable', evidence: [], reason: 'the API has no stages, so there are no execution logs' };
    const account = ctx.evidence['apigw.account'];
    const roleMissing = account !== undefined && !account.cloudwatchRoleArn;
    const results = await Promise.all(stages.map((stage) => readExecutionLogStage(ctx, asLoggedStage(stage), roleMissing, WEBSOCKET_ERROR_PHRASES)));
    return combineStageResults(results, (e) => e.lines.length);
  },
  record: recordLineReads,
});
