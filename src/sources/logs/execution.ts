import type { ExecutionLogEvidence, StageEvidence } from '../../core/evidence.js';
import { defineSource, type SourceContext } from '../types.js';
import { readLogGroup } from './read-log-group.js';
import { combineStageResults, type StageResult as StageResultOf } from './stage-results.js';

export function executionLogGroup(restApiId: string, stage: string): string {
  return `API-Gateway-Execution-Logs_${restApiId}/${stage}`;
}

type StageResult = StageResultOf<ExecutionLogEvidence>;

async function readStage(ctx: SourceContext, stage: StageEvidence, roleMissing: boolean): Promise<StageResult> {
  const name = stage.stageName;
  // A per-method override (e.g. "~1orders/GET") can log even when "*/*" is OFF.
  const overrides = Object.entries(stage.methodSettings).filter(([key, s]) => key !== '*/*' && s.loggingLevel && s.loggingLevel !== 'OFF');
  if (stage.loggingLevel === 'OFF' && overrides.length === 0) {
    return {
      stage: name,
      status: 'not_configured',
      reason: `${name}: execution logging is OFF`,
      hint: `enable execution logging (INFO) on stage ${name}`,
    };
  }
  if (roleMissing) {
    return {
      stage: name,
      status: 'not_configured',
      reason: `${name}: logging is ${stage.loggingLevel} but the account has no CloudWatch Logs role, so nothing is written`,
      hint: `set the CloudWatch log role ARN in API Gateway settings for ${ctx.target.region}`,
    };
  }
  const logGroup = executionLogGroup(ctx.target.restApiId, name);
  const read = await readLogGroup(ctx.aws.logs, logGroup, ctx.window, ctx.limits);
  const evidence: ExecutionLogEvidence = { stage: name, logGroup, lines: read.lines };
  if (read.missing) {
    return { stage: name, status: 'empty', evidence, reason: `${name}: log group ${logGroup} does not exist: no request has been logged since logging was turned on` };
  }
  if (read.lines.length === 0) {
    return { stage: name, status: 'empty', evidence, reason: `${name}: no execution log lines in the window (${logGroup})` };
  }
  const scope = stage.loggingLevel === 'OFF' ? ` (logging only for ${overrides.map(([key]) => key).join(', ')})` : '';
  const kept = read.truncated ? ` (kept ${read.truncated.kept} of ${read.truncated.total})` : '';
  return {
    stage: name,
    status: 'ok',
    evidence,
    reason: `${name}: ${read.lines.length} line(s)${kept}${scope}`,
    ...(read.truncated ? { truncated: read.truncated } : {}),
  };
}

export const executionLogsSource = defineSource({
  id: 'logs.execution',
  title: 'Execution logs',
  dependsOn: ['apigw.stages'],
  // The account settings only sharpen the diagnosis; if they could not be read, still read the logs.
  after: ['apigw.rest-api', 'apigw.account'],
  async run(ctx) {
    const stages = ctx.evidence['apigw.stages'] ?? [];
    if (stages.length === 0) {
      return { status: 'not_applicable', evidence: [], reason: 'the API has no stages, so there are no execution logs' };
    }
    const account = ctx.evidence['apigw.account'];
    const roleMissing = account !== undefined && !account.cloudwatchRoleArn;
    const results = await Promise.all(stages.map((stage) => readStage(ctx, stage, roleMissing)));
    return combineStageResults(results, (e) => e.lines.length);
  },
});
