import type { ExecutionLogEvidence, StageEvidence } from '../../core/evidence.js';
import { defineSource, type SourceContext } from '../types.js';
import { readLogGroup } from './read-log-group.js';
import { combineStageResults, type StageResult as StageResultOf } from './stage-results.js';

export function executionLogGroup(restApiId: string, stage: string): string {
  return `API-Gateway-Execution-Logs_${restApiId}/${stage}`;
}

type StageResult = StageResultOf<ExecutionLogEvidence>;

/**
 * When a busy stage has more lines than the cap, the newest lines are kept — and then every
 * error line in the window is read as well, so the rules count failures exactly instead of
 * sampling them. Terms are case-sensitive phrases (CloudWatch filter syntax, `?` = any of),
 * covering the execution-log signatures the rules classify.
 */
export const EXECUTION_ERROR_PATTERN = [
  'Execution failed',
  'error',
  'Error',
  'not authorized',
  'Limit Exceeded',
  'limit exceeded',
  'Too Many Requests',
  'Missing Authentication Token',
  'Invalid API Key',
  'Usage Plan found',
  'not associated with a Usage Plan',
  'timed out',
  'Malformed',
  'invocation failed',
  'Function-Error',
  'permission',
  'Unauthorized',
  'Signature expired',
  'signature we calculated',
  'security token',
  'completed with status: 4',
  'completed with status: 5',
  'Gateway response type',
]
  .map((phrase) => `?"${phrase}"`)
  .join(' ');

const lineKey = (line: { timestamp: number; message: string }) => `${line.timestamp}\u0000${line.message}`;

/** The capped read plus every error line it dropped, in time order. */
async function withAllErrors(ctx: SourceContext, logGroup: string, lines: ExecutionLogEvidence['lines']) {
  try {
    const errors = await readLogGroup(ctx.aws.logs, logGroup, ctx.window, ctx.limits, EXECUTION_ERROR_PATTERN);
    const seen = new Set(lines.map(lineKey));
    const added = errors.lines.filter((line) => !seen.has(lineKey(line)));
    const merged = [...lines, ...added].sort((a, b) => a.timestamp - b.timestamp);
    const note = errors.truncated ? `, plus the newest ${errors.lines.length} of ${errors.truncated.total} error lines` : `, plus all ${errors.lines.length} error lines in the window`;
    return { lines: merged, note };
  } catch (err) {
    // The capped read stands on its own; say the error pass is missing rather than fail the source.
    return { lines, note: `; the error-only pass failed (${(err as Error).name}), so failure counts are sampled` };
  }
}

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
  const completed = read.truncated ? await withAllErrors(ctx, logGroup, read.lines) : { lines: read.lines, note: '' };
  const evidence: ExecutionLogEvidence = { stage: name, logGroup, lines: completed.lines };
  if (read.missing) {
    return { stage: name, status: 'empty', evidence, reason: `${name}: log group ${logGroup} does not exist: no request has been logged since logging was turned on` };
  }
  if (read.lines.length === 0) {
    return { stage: name, status: 'empty', evidence, reason: `${name}: no execution log lines in the window (${logGroup})` };
  }
  const scope = stage.loggingLevel === 'OFF' ? ` (logging only for ${overrides.map(([key]) => key).join(', ')})` : '';
  const kept = read.truncated ? ` (newest ${read.truncated.kept} of ${read.truncated.total}${completed.note})` : '';
  return {
    stage: name,
    status: 'ok',
    evidence,
    reason: `${name}: ${completed.lines.length} line(s)${kept}${scope}`,
    ...(read.truncated ? { truncated: { kept: completed.lines.length, total: read.truncated.total } } : {}),
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
