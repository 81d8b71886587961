import type { ExecutionLogEvidence, LogLine, LogWindowCounts, StageEvidence } from '../../core/evidence.js';
import { defineSource, type SourceContext } from '../types.js';
import type { InsightsOutcome } from './insights.js';
import { readNewest, readRange } from './read-log-group.js';
import { countedBy, countWindow, estimatedCounts, executionCounts, executionQuery, fallbackCounts, type WindowCountsResult } from './window-counts.js';
import { combineStageResults, type StageResult as StageResultOf } from './stage-results.js';
import { recordLineReads } from './record.js';
import { windowNeeds } from './window-counts.js';

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
export const EXECUTION_ERROR_PHRASES = [
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
  // mTLS refusals ("Access denied. Reason: Could not find issuer for certificate").
  'Access denied',
] as const;

/** A CloudWatch filter pattern matching any of the phrases. */
const errorPatternOf = (phrases: readonly string[]) => phrases.map((phrase) => `?"${phrase}"`).join(' ');

const lineKey = (line: { timestamp: number; message: string }) => `${line.timestamp}\u0000${line.message}`;

function mergeLines(lines: ExecutionLogEvidence['lines'], errors: ExecutionLogEvidence['lines']): ExecutionLogEvidence['lines'] {
  const seen = new Set(lines.map(lineKey));
  return [...lines, ...errors.filter((line) => !seen.has(lineKey(line)))].sort((a, b) => a.timestamp - b.timestamp);
}

/** Error lines read over the window when Logs Insights counts them: the newest this many. */
export const ERROR_LINES = 10_000;

/**
 * Checked before it is believed: a service that does not apply the pattern (moto ignores `?"…"`
 * alternatives and returns every event) must not turn every line into an error line.
 */
const errorLinesOnly = (lines: LogLine[], phrases: readonly string[]) => lines.filter((line) => phrases.some((phrase) => line.message.includes(phrase)));

const formatCount = (n: number) => n.toLocaleString('en-US');

/** `11:52:03–12:00:00` (UTC). */
export function periodText(from: number, until: number): string {
  const hms = (ms: number) => new Date(ms).toISOString().slice(11, 19);
  return `${hms(from)}–${hms(until)}`;
}

type ErrorRead = { lines: LogLine[]; complete: boolean; seen: number } | { failed: string };

/**
 * The error lines of a busy window: the newest ones first (read side by side with the count), and
 * when Insights could not count them, the rest of the window too, in slices side by side, so every
 * error line counts in the findings.
 */
async function readErrorLines(ctx: SourceContext, logGroup: string, counting: Promise<WindowCountsResult>, errorPhrases: readonly string[]): Promise<{ errors: ErrorRead; windowCounts: WindowCountsResult }> {
  const pattern = errorPatternOf(errorPhrases);
  const wanted = ctx.limits.logsInsights ? Math.min(ERROR_LINES, ctx.limits.maxErrorLines) : ctx.limits.maxErrorLines;
  const pages = Math.max(ctx.limits.maxPages, 50);
  const [newest, windowCounts] = await Promise.all([
    readNewest(ctx.aws.logs, logGroup, ctx.window, { maxItems: wanted, maxPages: pages }, { filterPattern: pattern }).catch((err: unknown) => ({ failed: (err as Error).name })),
    counting,
  ]);
  if ('failed' in newest || newest.complete || windowCounts.counts || wanted >= ctx.limits.maxErrorLines) {
    return { errors: 'failed' in newest ? newest : { lines: errorLinesOnly(newest.lines, errorPhrases), complete: newest.complete, seen: newest.seen }, windowCounts };
  }
  // Insights did not count them: read the rest of the window's error lines as well.
  const rest = await readRange(
    ctx.aws.logs,
    logGroup,
    { since: ctx.window.since, until: new Date(newest.readFrom - 1) },
    { maxItems: ctx.limits.maxErrorLines - newest.lines.length, maxPages: pages },
    pattern,
  ).catch(() => undefined);
  if (!rest) return { errors: { lines: errorLinesOnly(newest.lines, errorPhrases), complete: false, seen: newest.seen }, windowCounts };
  return { errors: { lines: errorLinesOnly([...rest.lines, ...newest.lines], errorPhrases), complete: rest.complete, seen: rest.seen + newest.seen }, windowCounts };
}

/** What reading a stage's execution log needs: REST stages have it, WebSocket stages map to it (route settings as overrides). */
export type ExecutionLoggedStage = Pick<StageEvidence, 'stageName' | 'loggingLevel' | 'methodSettings'>;

export async function readExecutionLogStage(
  ctx: SourceContext,
  stage: ExecutionLoggedStage,
  roleMissing: boolean,
  errorPhrases: readonly string[] = EXECUTION_ERROR_PHRASES,
): Promise<StageResult> {
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
  const read = await readNewest(ctx.aws.logs, logGroup, ctx.window, ctx.limits);
  const evidence: ExecutionLogEvidence = { stage: name, logGroup, lines: read.lines };
  if (read.missing) {
    return { stage: name, status: 'empty', evidence, reason: `${name}: log group ${logGroup} does not exist: no request has been logged since logging was turned on` };
  }
  if (read.lines.length === 0) {
    return { stage: name, status: 'empty', evidence, reason: `${name}: no execution log lines in the window (${logGroup})` };
  }
  const scope = stage.loggingLevel === 'OFF' ? ` (logging only for ${overrides.map(([key]) => key).join(', ')})` : '';
  if (read.complete) {
    // The whole window was read: counted line by line, nothing more to ask.
    evidence.counts = estimatedCounts(read, ctx.window);
    return { stage: name, status: 'ok', evidence, reason: `${name}: ${formatCount(read.lines.length)} line(s)${scope}` };
  }
  // A busier window than the lines kept: count it where it lives and read its error lines, side by side.
  const counting = countWindow(ctx.aws.logs, logGroup, ctx.window, ctx.limits, ctx.signal, executionQuery(errorPhrases)).then(
    (outcome) => ('fallback' in outcome ? outcome : executionCounts(outcome as InsightsOutcome)),
    (err: unknown): WindowCountsResult => ({ fallback: `Logs Insights failed (${(err as Error).name})`, refused: false }),
  );
  const { errors, windowCounts } = await readErrorLines(ctx, logGroup, counting, errorPhrases);
  const counts: LogWindowCounts = windowCounts.counts ?? fallbackCounts(windowCounts, read, ctx.window);
  evidence.counts = counts;
  const total = Math.max(counts.events, read.seen);
  const from = read.lines[0]?.timestamp ?? ctx.window.since.getTime();
  const until = read.lines[read.lines.length - 1]?.timestamp ?? ctx.window.until.getTime();
  evidence.period = { from: new Date(from).toISOString(), until: new Date(until).toISOString() };
  let note: string;
  if ('failed' in errors) {
    // The newest lines stand on their own; say the error pass is missing rather than fail the source.
    note = `; the error-only pass failed (${errors.failed}), so failure counts are sampled`;
  } else {
    evidence.lines = mergeLines(read.lines, errors.lines);
    const errorTotal = windowCounts.errorTotal ?? (errors.complete ? errors.lines.length : undefined);
    note =
      errors.complete || (errorTotal !== undefined && errors.lines.length >= errorTotal)
        ? `, plus all ${formatCount(errors.lines.length)} error lines in the window`
        : `, plus the newest ${formatCount(errors.lines.length)} of ${errorTotal === undefined ? 'more' : formatCount(errorTotal)} error lines`;
  }
  const how = countedBy(counts, windowCounts.fallback);
  const totalText = `${counts.exact ? '' : '~'}${formatCount(total)}`;
  const kept = `newest ${formatCount(read.lines.length)} of ${totalText} lines, ${periodText(from, until)}${note}`;
  const latency = counts.latency
    ? `; integration latency ${counts.latency.fromBuckets ? '≈' : ''}p50 ${counts.latency.p50} ms, p95 ${counts.latency.p95} ms, p99 ${counts.latency.p99} ms`
    : '';
  return {
    stage: name,
    status: 'ok',
    evidence,
    reason: `${name}: ${kept} (${how}${counts.exact ? '' : '; totals not exact'})${latency}${scope}`,
    truncated: { kept: read.lines.length, total, totalExact: counts.exact, from: new Date(from).toISOString(), until: new Date(until).toISOString() },
  };
}

export const executionLogsSource = defineSource({
  id: 'logs.execution',
  title: 'Execution logs',
  dependsOn: ['apigw.stages'],
  calls: {
    chain: 4,
    why:
      'the newest page says whether the window holds more; only then is it counted (StartQuery, then GetQueryResults) and its error lines read, side by side; without newest-first (a window before 2024, an emulator) the slices from the end wait for the first page’s rate; when Insights could not count, the older error lines wait for that answer',
    needs: windowNeeds,
  },
  // The account settings only sharpen the diagnosis; if they could not be read, still read the logs.
  after: ['apigw.rest-api', 'apigw.account'],
  async run(ctx) {
    const stages = ctx.evidence['apigw.stages'] ?? [];
    if (stages.length === 0) {
      return { status: 'not_applicable', evidence: [], reason: 'the API has no stages, so there are no execution logs' };
    }
    const account = ctx.evidence['apigw.account'];
    const roleMissing = account !== undefined && !account.cloudwatchRoleArn;
    const results = await Promise.all(stages.map((stage) => readExecutionLogStage(ctx, stage, roleMissing)));
    return combineStageResults(results, (e) => e.lines.length);
  },
  record: recordLineReads,
});
