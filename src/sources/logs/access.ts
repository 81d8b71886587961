import type { AccessLogEvidence, AccessLogRecord, LogLine, LogWindowCounts, StageEvidence } from '../../core/evidence.js';
import { defineSource, type SourceContext } from '../types.js';
import { compileAccessLogFormat, DIAGNOSTIC_VARIABLES } from './access-format.js';
import { periodText } from './execution.js';
import type { InsightsOutcome } from './insights.js';
import { parseLogGroupArn, readNewest } from './read-log-group.js';
import { accessCounts, accessFields, accessQuery, countedBy, countWindow, fallbackCounts, type WindowCountsResult } from './window-counts.js';
import { combineStageResults, type StageResult } from './stage-results.js';
import { keptAccessLines, recordLogReads } from './record.js';
import { windowNeeds } from './window-counts.js';

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
  const read = await readNewest(clients.logs, arn.logGroupName, ctx.window, ctx.limits);
  // A window busier than the records kept is counted where it lives, side by side with the rest.
  const windowCounts: WindowCountsResult =
    read.complete || read.missing
      ? {}
      : await countWindow(clients.logs, arn.logGroupName, ctx.window, ctx.limits, ctx.signal, accessQuery(accessFields(stage.accessLog?.format))).then(
          (outcome) => ('fallback' in outcome ? outcome : accessCounts(outcome as InsightsOutcome, stage.accessLog?.format)),
          (err: unknown): WindowCountsResult => ({ fallback: `Logs Insights failed (${(err as Error).name})`, refused: false }),
        );
  const parser = compileAccessLogFormat(stage.accessLog?.format);
  const parsed = read.lines.map((line) => ({ line, record: parser.parse(line) }));
  // Execution and access logs describe the same requests: when the execution lines kept are the
  // newest of a busy window, keep the access records of that same period. Both were read side by
  // side; only this choice waits for the execution logs.
  await ctx.joined('logs.execution');
  const executionPeriod = ctx.evidence['logs.execution']?.find((e) => e.stage === name)?.period;
  const keptFrom = executionPeriod ? Math.max(ctx.window.since.getTime(), Date.parse(executionPeriod.from)) : ctx.window.since.getTime();
  const evidence: AccessLogEvidence = { stage: name, logGroup: arn.logGroupName, format: parser.kind, records: [], unparsed: [] };
  let keptCount = 0;
  for (const { line, record } of parsed) {
    if (line.timestamp < keptFrom) continue;
    keptCount++;
    if (record) evidence.records.push(record);
    else evidence.unparsed.push(line);
  }
  if (read.missing) {
    return { stage: name, status: 'empty', evidence, reason: `${name}: log group ${arn.logGroupName} does not exist: no request has been logged since access logging was turned on` };
  }
  const counts: LogWindowCounts =
    windowCounts.counts ??
    (read.complete ? countedRecords(parsed.map((p) => p.line), parsed.flatMap((p) => (p.record ? [p.record] : [])), stage.accessLog?.format) : fallbackCounts(windowCounts, read, ctx.window));
  if (keptCount === 0 && counts.events === 0) {
    return { stage: name, status: 'empty', evidence, reason: `${name}: no access log records in the window (${arn.logGroupName})` };
  }
  evidence.counts = counts;
  const total = Math.max(counts.events, keptCount);
  const cut = keptCount < total;
  // Aligned with the execution lines, the records describe exactly their period.
  const kept = parsed.filter((p) => p.line.timestamp >= keptFrom);
  const from = executionPeriod ? Date.parse(executionPeriod.from) : (kept[0]?.line.timestamp ?? keptFrom);
  const until = executionPeriod ? Date.parse(executionPeriod.until) : (kept[kept.length - 1]?.line.timestamp ?? ctx.window.until.getTime());
  if (cut) evidence.period = { from: new Date(from).toISOString(), until: new Date(until).toISOString() };
  const how = countedBy(counts, windowCounts.fallback);
  const totalText = `${counts.exact ? '' : '~'}${total.toLocaleString('en-US')}`;
  const parts = [
    cut
      ? `newest ${keptCount.toLocaleString('en-US')} of ${totalText} ${parser.kind === 'unknown' ? '' : `${parser.kind.toUpperCase()} `}record(s), ${periodText(from, until)}${executionPeriod ? ' (the period of the execution lines kept)' : ''}`
      : `${evidence.records.length} ${parser.kind === 'unknown' ? '' : `${parser.kind.toUpperCase()} `}record(s)`,
  ];
  if (evidence.unparsed.length > 0) parts.push(`${evidence.unparsed.length} line(s) did not match the stage format`);
  if (cut) parts.push(`${how}${counts.exact ? '' : '; totals not exact'}`);
  return {
    stage: name,
    status: 'ok',
    evidence,
    reason: `${name}: ${parts.join(', ')}`,
    ...(cut ? { truncated: { kept: keptCount, total, totalExact: counts.exact, from: new Date(from).toISOString(), until: new Date(until).toISOString() } } : {}),
  };
}

const FIVE_MINUTES = 5 * 60_000;

/**
 * The counts of a window read whole, record by record: exact, per 5 minutes, and per route and
 * status when the format names them (the table Logs Insights computes for a busier window).
 */
function countedRecords(lines: readonly LogLine[], records: readonly AccessLogRecord[], format: string | undefined): LogWindowCounts {
  const bucketStart = (t: number) => new Date(Math.floor(t / FIVE_MINUTES) * FIVE_MINUTES).toISOString();
  const buckets = new Map<string, number>();
  for (const line of lines) buckets.set(bucketStart(line.timestamp), (buckets.get(bucketStart(line.timestamp)) ?? 0) + 1);
  const counts: LogWindowCounts = {
    method: 'filter',
    exact: true,
    events: lines.length,
    buckets: [...buckets.entries()].sort((a, b) => a[0].localeCompare(b[0])).map(([start, count]) => ({ start, count })),
  };
  const named = accessFields(format);
  if (named) {
    const routes = new Map<string, { bucket: string; method: string; path: string; status: number; count: number }>();
    for (const r of records) {
      // A WebSocket format names eventType and routeKey where REST's names method and path (the Insights table does the same).
      const row = { bucket: bucketStart(r.timestamp), method: r.httpMethod ?? r.fields[named.method] ?? '?', path: r.resourcePath ?? r.fields[named.path] ?? '?', status: r.status ?? 0 };
      const key = `${row.bucket}\u0000${row.method}\u0000${row.path}\u0000${row.status}`;
      const known = routes.get(key);
      if (known) known.count++;
      else routes.set(key, { ...row, count: 1 });
    }
    counts.routes = [...routes.values()];
  }
  return counts;
}

export const accessLogsSource = defineSource({
  id: 'logs.access',
  title: 'Access logs',
  dependsOn: ['apigw.stages'],
  calls: {
    chain: 4,
    why: 'the newest page says whether the window holds more; only then is it counted (StartQuery, then GetQueryResults); without newest-first the slices from the end wait for the first page’s rate',
    needs: windowNeeds,
  },
  // API Gateway needs the account's CloudWatch role for access logs too; use it when it was read.
  after: ['apigw.rest-api', 'apigw.account'],
  // Read side by side with the execution logs; their kept period decides the access records kept.
  joins: ['logs.execution'],
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
