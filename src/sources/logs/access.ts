import type { AccessLogEvidence, LogWindowCounts, StageEvidence } from '../../core/evidence.js';
import { defineSource, type SourceContext } from '../types.js';
import { compileAccessLogFormat, DIAGNOSTIC_VARIABLES } from './access-format.js';
import { periodText } from './execution.js';
import { parseLogGroupArn, readNewest } from './read-log-group.js';
import { countAccessWindow, countedBy, estimatedCounts, type WindowCountsResult } from './window-counts.js';
import { combineStageResults, type StageResult } from './stage-results.js';
import { keptAccessLines, recordLogReads } from './record.js';

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
  // Execution and access logs describe the same requests: when the execution lines kept are the
  // newest of a busy window, keep the access records of that same period.
  const executionPeriod = ctx.evidence['logs.execution']?.find((e) => e.stage === name)?.period;
  const since = executionPeriod ? new Date(Math.max(ctx.window.since.getTime(), Date.parse(executionPeriod.from))) : ctx.window.since;
  const readWindow = { ...ctx.window, since };
  const read = await readNewest(clients.logs, arn.logGroupName, readWindow, ctx.limits);
  const whole = read.complete && read.readFrom <= ctx.window.since.getTime();
  const windowCounts: WindowCountsResult =
    whole || read.missing
      ? {}
      : await countAccessWindow(clients.logs, arn.logGroupName, ctx.window, ctx.limits, ctx.signal, stage.accessLog?.format).catch((err: unknown) => ({
          fallback: `Logs Insights failed (${(err as Error).name})`,
          refused: false,
        }));
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
  const counts: LogWindowCounts = windowCounts.counts ?? estimatedCounts(read, ctx.window);
  if (read.lines.length === 0 && counts.events === 0) {
    return { stage: name, status: 'empty', evidence, reason: `${name}: no access log records in the window (${arn.logGroupName})` };
  }
  evidence.counts = counts;
  const total = Math.max(counts.events, read.lines.length);
  const cut = read.lines.length < total;
  // Aligned with the execution lines, the records describe exactly their period.
  const from = executionPeriod ? Date.parse(executionPeriod.from) : (read.lines[0]?.timestamp ?? since.getTime());
  const until = executionPeriod ? Date.parse(executionPeriod.until) : (read.lines[read.lines.length - 1]?.timestamp ?? ctx.window.until.getTime());
  if (cut) evidence.period = { from: new Date(from).toISOString(), until: new Date(until).toISOString() };
  const how = countedBy(counts, windowCounts.fallback);
  const totalText = `${counts.exact ? '' : '~'}${total.toLocaleString('en-US')}`;
  const parts = [
    cut
      ? `newest ${read.lines.length.toLocaleString('en-US')} of ${totalText} ${parser.kind === 'unknown' ? '' : `${parser.kind.toUpperCase()} `}record(s), ${periodText(from, until)}${executionPeriod ? ' (the period of the execution lines kept)' : ''}`
      : `${evidence.records.length} ${parser.kind === 'unknown' ? '' : `${parser.kind.toUpperCase()} `}record(s)`,
  ];
  if (evidence.unparsed.length > 0) parts.push(`${evidence.unparsed.length} line(s) did not match the stage format`);
  if (cut) parts.push(`${how}${counts.exact ? '' : '; totals not exact'}`);
  return {
    stage: name,
    status: 'ok',
    evidence,
    reason: `${name}: ${parts.join(', ')}`,
    ...(cut ? { truncated: { kept: read.lines.length, total, totalExact: counts.exact, from: new Date(from).toISOString(), until: new Date(until).toISOString() } } : {}),
  };
}

export const accessLogsSource = defineSource({
  id: 'logs.access',
  title: 'Access logs',
  dependsOn: ['apigw.stages'],
  // API Gateway needs the account's CloudWatch role for access logs too; use it when it was read.
  // After the execution logs: their kept period decides the access records kept.
  after: ['apigw.rest-api', 'apigw.account', 'logs.execution'],
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
  record: (read, w) => recordLogReads(read.calls, keptAccessLines(read.evidence ?? []), w),
});
