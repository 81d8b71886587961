import type { AccessLogEvidence, StageEvidence } from '../../core/evidence.js';
import { defineSource, type SourceContext } from '../types.js';
import { compileAccessLogFormat, DIAGNOSTIC_VARIABLES } from './access-format.js';
import { parseLogGroupArn, readLogGroup } from './read-log-group.js';
import { combineStageResults, type StageResult } from './stage-results.js';

const ENABLE_HINT = (stage: string) =>
  `enable access logging on stage ${stage} with the JSON preset plus ${DIAGNOSTIC_VARIABLES.join(', ')}`;

/** What reading a stage's access log needs: REST and HTTP API stages both have these. */
export type AccessLoggedStage = Pick<StageEvidence, 'stageName' | 'accessLog'>;

export async function readAccessLogStage(
  ctx: SourceContext,
  stage: AccessLoggedStage,
  roleMissing: boolean,
  enableHint: (stage: string) => string = ENABLE_HINT,
): Promise<StageResult<AccessLogEvidence>> {
  const name = stage.stageName;
  const destination = stage.accessLog?.destinationArn;
  if (!destination) {
    return { stage: name, status: 'not_configured', reason: `${name}: access logging is off`, hint: enableHint(name) };
  }
  const arn = parseLogGroupArn(destination);
  if (!arn) {
    // Firehose destinations are valid but outside what firebreak reads.
    return { stage: name, status: 'not_applicable', reason: `${name}: access logs go to ${destination}, not to a CloudWatch log group` };
  }
  if (roleMissing) {
    return {
      stage: name,
      status: 'not_configured',
      reason: `${name}: access logs point at ${arn.logGroupName} but the account has no CloudWatch Logs role, so nothing is written`,
      hint: `set the CloudWatch log role ARN in API Gateway settings for ${ctx.target.region}`,
    };
  }
  const foreign = arn.accountId && ctx.aws.accountId && arn.accountId !== ctx.aws.accountId;
  if (foreign && !ctx.factory.canRead(arn.accountId)) {
    return {
      stage: name,
      status: 'not_configured',
      reason: `${name}: access log group ${arn.logGroupName} is in account ${arn.accountId}: no role for account ${arn.accountId}`,
      hint: `add a role for account ${arn.accountId} in the firebreak configuration`,
    };
  }
  const clients = foreign ? ctx.factory.forAccount(arn.accountId, arn.region || ctx.target.region) : ctx.aws;
  const read = await readLogGroup(clients.logs, arn.logGroupName, ctx.window, ctx.limits);
  const parser = compileAccessLogFormat(stage.accessLog?.format);
  const evidence: AccessLogEvidence = { stage: name, logGroup: arn.logGroupName, format: parser.kind, records: [], unparsed: [] };
  for (const line of read.lines) {
    const record = parser.parse(line);
    if (record) evidence.records.push(record);
    else evidence.unparsed.push(line);
  }
  if (read.missing) {
    return { stage: name, status: 'empty', evidence, reason: `${name}: log group ${arn.logGroupName} does not exist: no request has been logged since access logging was turned on` };
  }
  if (read.lines.length === 0) {
    return { stage: name, status: 'empty', evidence, reason: `${name}: no access log records in the window (${arn.logGroupName})` };
  }
  const parts = [`${evidence.records.length} ${parser.kind === 'unknown' ? '' : `${parser.kind.toUpperCase()} `}record(s)`];
  if (evidence.unparsed.length > 0) parts.push(`${evidence.unparsed.length} line(s) did not match the stage format`);
  if (read.truncated) parts.push(`kept ${read.truncated.kept} of ${read.truncated.total}`);
  return {
    stage: name,
    status: 'ok',
    evidence,
    reason: `${name}: ${parts.join(', ')}`,
    ...(read.truncated ? { truncated: read.truncated } : {}),
  };
}

export const accessLogsSource = defineSource({
  id: 'logs.access',
  title: 'Access logs',
  dependsOn: ['apigw.stages'],
  // API Gateway needs the account's CloudWatch role for access logs too; use it when it was read.
  after: ['apigw.rest-api', 'apigw.account'],
  async run(ctx) {
    const stages = ctx.evidence['apigw.stages'] ?? [];
    if (stages.length === 0) {
      return { status: 'not_applicable', evidence: [], reason: 'the API has no stages, so there are no access logs' };
    }
    const account = ctx.evidence['apigw.account'];
    const roleMissing = account !== undefined && !account.cloudwatchRoleArn;
    const results = await Promise.all(stages.map((stage) => readAccessLogStage(ctx, stage, roleMissing)));
    return combineStageResults(results, (e) => e.records.length + e.unparsed.length);
  },
});
