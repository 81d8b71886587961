import type { ExecutionLogEvidence, LogWindowCounts, StageEvidence } from '../../core/evidence.js';
import { defineSource, type SourceContext } from '../types.js';
import { readLogGroup, readNewest } from './read-log-group.js';
import { countedBy, countExecutionWindow, estimatedCounts, type WindowCountsResult } from './window-counts.js';
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

/**
 * The newest lines plus the error lines of the window they left out, in time order: from Logs
 * Insights when it answered (the newest 10,000, every one counted), else read with FilterLogEvents.
 */
async function withAllErrors(ctx: SourceContext, logGroup: string, lines: ExecutionLogEvidence['lines'], fromInsights: { lines: ExecutionLogEvidence['lines']; total: number } | undefined, errorPhrases: readonly string[]) {
  if (fromInsights) {
    const all = fromInsights.lines.length >= fromInsights.total;
    const note = all
      ? `, plus all ${formatCount(fromInsights.lines.length)} error lines in the window`
      : `, plus the newest ${formatCount(fromInsights.lines.length)} of ${formatCount(fromInsights.total)} error lines`;
    return { lines: mergeLines(lines, fromInsights.lines), note };
  }
  try {
    const read = await readLogGroup(ctx.aws.logs, logGroup, ctx.window, { maxItems: ctx.limits.maxErrorLines, maxPages: Math.max(ctx.limits.maxPages, 50) }, errorPatternOf(errorPhrases));
    // Checked before it is believed: a service that does not apply the pattern (moto ignores
    // `?"…"` alternatives and returns every event) must not turn every line into an error line.
    const errors = { ...read, lines: read.lines.filter((line) => errorPhrases.some((phrase) => line.message.includes(phrase))) };
    const merged = mergeLines(lines, errors.lines);
    const note = errors.truncated
      ? `, plus the newest ${formatCount(errors.lines.length)} of ${formatCount(errors.truncated.total)} error lines`
      : `, plus all ${formatCount(errors.lines.length)} error lines in the window`;
    return { lines: merged, note };
  } catch (err) {
    // The newest lines stand on their own; say the error pass is missing rather than fail the source.
    return { lines, note: `; the error-only pass failed (${(err as Error).name}), so failure counts are sampled` };
  }
}

const formatCount = (n: number) => n.toLocaleString('en-US');

/** `11:52:03–12:00:00` (UTC). */
export function periodText(from: number, until: number): string {
  const hms = (ms: number) => new Date(ms).toISOString().slice(11, 19);
  return `${hms(from)}–${hms(until)}`;
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
  // A window that fit in the lines read is counted already; a busier one is counted where it lives.
  const whole = read.complete && read.readFrom <= ctx.window.since.getTime();
  const windowCounts: WindowCountsResult =
    whole || read.missing
      ? {}
      : await countExecutionWindow(ctx.aws.logs, logGroup, ctx.window, ctx.limits, ctx.signal, errorPhrases).catch((err: unknown) => ({
          fallback: `Logs Insights failed (${(err as Error).name})`,
          refused: false,
        }));
  const evidence: ExecutionLogEvidence = { stage: name, logGroup, lines: read.lines };
  if (read.missing) {
    return { stage: name, status: 'empty', evidence, reason: `${name}: log group ${logGroup} does not exist: no request has been logged since logging was turned on` };
  }
  if (read.lines.length === 0) {
    return { stage: name, status: 'empty', evidence, reason: `${name}: no execution log lines in the window (${logGroup})` };
  }
  const counts: LogWindowCounts = windowCounts.counts ?? estimatedCounts(read, ctx.window);
  evidence.counts = counts;
  const total = Math.max(counts.events, read.lines.length);
  const cut = read.lines.length < total;
  const from = read.lines[0]?.timestamp ?? ctx.window.since.getTime();
  const until = read.lines[read.lines.length - 1]?.timestamp ?? ctx.window.until.getTime();
  const insightsErrors = windowCounts.errorLines ? { lines: windowCounts.errorLines, total: windowCounts.errorTotal ?? windowCounts.errorLines.length } : undefined;
  const completed = cut ? await withAllErrors(ctx, logGroup, read.lines, insightsErrors, errorPhrases) : { lines: read.lines, note: '' };
  evidence.lines = completed.lines;
  if (cut) evidence.period = { from: new Date(from).toISOString(), until: new Date(until).toISOString() };
  const scope = stage.loggingLevel === 'OFF' ? ` (logging only for ${overrides.map(([key]) => key).join(', ')})` : '';
  const how = countedBy(counts, windowCounts.fallback);
  const totalText = `${counts.exact ? '' : '~'}${formatCount(total)}`;
  const kept = `newest ${formatCount(read.lines.length)} of ${totalText} lines, ${periodText(from, until)}${completed.note}`;
  if (!cut) return { stage: name, status: 'ok', evidence, reason: `${name}: ${formatCount(read.lines.length)} line(s)${scope}` };
  const latency = counts.latency ? `; integration latency p50 ${counts.latency.p50} ms, p95 ${counts.latency.p95} ms, p99 ${counts.latency.p99} ms` : '';
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
});
