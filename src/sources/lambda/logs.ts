import type { CallbackFailureEvidence, CallbackFailureKind, LambdaLogEvidence, LogLine } from '../../core/evidence.js';
import { clientsFor, listText, plural } from '../cross-account.js';
import { countKinds, countNewestPage, extrapolated } from '../logs/count-events.js';
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { combineTruncation, readNewest, type LogGroupRead } from '../logs/read-log-group.js';
import { defineSource, type Source, type SourceContext } from '../types.js';
import { defaultLogGroupOf } from './arn.js';
import { recordLineReads } from '../logs/record.js';
import { formatBytes } from '../logs/insights.js';
import { estimatedCounts, windowNeeds } from '../logs/window-counts.js';

/** CloudWatch Logs terms for failed invocations: errors, timeouts, crashes and throttles. */
export const LAMBDA_FAILURE_PATTERN = '?ERROR ?"Task timed out" ?"Runtime.ExitError" ?"Rate Exceeded" ?Throttling ?TooManyRequestsException';

/** One REPORT line per invocation, whatever its outcome: the denominator for failure shares. */
export const LAMBDA_INVOCATION_PATTERN = '"REPORT RequestId"';
/** The same phrases as Logs Insights regexes, to count over a window too busy for one page. */
const LAMBDA_KINDS = { invocations: 'REPORT RequestId', failures: 'ERROR|Task timed out|Runtime\\.ExitError|Rate Exceeded|Throttling|TooManyRequestsException' };

interface EventCount {
  count: number;
  exact: boolean;
  missing: boolean;
  newest?: number;
}

/**
 * A function's log group in at most two rounds: its newest failure lines and a page of its REPORT
 * lines side by side (newest first: a busy window keeps its latest failures, and the page says when
 * the last invocation was); when either page could not hold the whole window, one Logs Insights
 * query counts invocations and failure lines over it. The invocation count only sets proportion:
 * when it cannot be read, the failures still stand.
 */
/** What a kind of API reads in its functions' logs beyond the failures every function has. */
export interface LambdaLogReading {
  /** CloudWatch filter pattern of the lines to read. */
  pattern: string;
  /** WebSocket backends: a line that is a failed `@connections` call, and which kind. */
  callbackFailure?: (message: string) => CallbackFailureKind | undefined;
}

const FAILURES_ONLY: LambdaLogReading = { pattern: LAMBDA_FAILURE_PATTERN };
const CLIP = 300;

function tallyCallbacks(lines: LogLine[], classify: NonNullable<LambdaLogReading['callbackFailure']>): { failures: CallbackFailureEvidence[]; callbackLines: Set<LogLine> } {
  const byKind = new Map<CallbackFailureKind, CallbackFailureEvidence>();
  const callbackLines = new Set<LogLine>();
  for (const line of lines) {
    const kind = classify(line.message);
    if (!kind) continue;
    callbackLines.add(line);
    const seen = byKind.get(kind);
    if (seen) {
      seen.count += 1;
      seen.firstSeen = Math.min(seen.firstSeen, line.timestamp);
      seen.lastSeen = Math.max(seen.lastSeen, line.timestamp);
    } else byKind.set(kind, { kind, count: 1, firstSeen: line.timestamp, lastSeen: line.timestamp, example: line.message.length > CLIP ? `${line.message.slice(0, CLIP - 1)}…` : line.message });
  }
  return { failures: [...byKind.values()], callbackLines };
}

async function readFunctionLog(logs: CloudWatchLogsClient, group: string, ctx: SourceContext, pattern: string): Promise<{ read: LogGroupRead; invocations?: EventCount; bytesScanned?: number }> {
  const [failures, reports] = await Promise.all([
    readNewest(logs, group, ctx.window, ctx.limits, { filterPattern: pattern }),
    countNewestPage(logs, group, ctx.window, LAMBDA_INVOCATION_PATTERN).catch((): undefined => undefined),
  ]);
  const counted = failures.complete && (!reports || reports.complete) ? undefined : await countKinds(logs, group, ctx.window, ctx.limits, ctx.signal, LAMBDA_KINDS);
  const newest = reports?.newest !== undefined ? { newest: reports.newest } : {};
  const invocations: EventCount | undefined = reports
    ? reports.complete
      ? { count: reports.count, exact: true, missing: reports.missing, ...newest }
      : { count: counted?.counts.invocations ?? extrapolated(reports, ctx.window), exact: counted !== undefined, missing: false, ...newest }
    : undefined;
  // More failures than one read holds: counted by Insights, else estimated from the rate read (more than kept, surely).
  const total = failures.complete ? failures.lines.length : (counted?.counts.failures ?? Math.max(failures.lines.length + 1, estimatedCounts(failures, ctx.window).events));
  const truncated = total > failures.lines.length ? { kept: failures.lines.length, total, totalExact: failures.complete || counted !== undefined } : undefined;
  return {
    read: { logGroup: group, lines: failures.lines, missing: failures.missing, ...(truncated ? { truncated } : {}) },
    ...(invocations ? { invocations } : {}),
    ...(counted ? { bytesScanned: counted.bytesScanned } : {}),
  };
}

export type LambdaFailureKind = 'timeout' | 'throttle' | 'error';

// An invocation that failed, as the runtimes write it: Node's "ERROR\tInvoke Error", the
// runtime's own Runtime.*Error, an error object ({"errorType": …}), Python's "[ERROR] KeyError: …"
// with its Traceback. A line the function's own code logs at ERROR level ("ERROR payment
// declined") is not a failed invocation: healthy functions write those all day.
const FAILED_INVOCATION = /Invoke Error|Runtime\.\w+Error|"?errorType"?\s*[:=]|Unhandled|Traceback \(most recent call last\)|\[ERROR\]\s+[\w.]*(?:Error|Exception)\b\s*:|Exception in thread|Process exited before completing request/;

/** Each line counts once, as its most specific kind. */
export function classifyLambdaLine(message: string): LambdaFailureKind | undefined {
  if (/Task timed out/.test(message)) return 'timeout';
  if (/Rate Exceeded|Throttl|TooManyRequestsException/i.test(message)) return 'throttle';
  if (FAILED_INVOCATION.test(message)) return 'error';
  return undefined;
}

/**
 * The Lambda logs of the API's functions: failed invocations (errors, timeouts, throttles) with
 * the invocation count as denominator, and for WebSocket backends their failed `@connections`
 * calls, counted apart (a backend that catches a GoneException has not failed).
 */
export function lambdaLogsSourceWith(reading: LambdaLogReading): Source<'logs.lambda'> {
  return defineSource({
  id: 'logs.lambda',
  title: 'Lambda logs',
  dependsOn: ['lambda.functions'],
  calls: {
    chain: 3,
    why: 'the newest failure lines and a page of REPORT lines side by side say whether the window is larger than a page; only then are invocations and failures counted (StartQuery, then GetQueryResults)',
    needs: windowNeeds,
  },
  async run(ctx) {
    const functions = ctx.evidence['lambda.functions'] ?? [];
    if (functions.length === 0) {
      return { status: 'not_applicable', reason: 'the API uses no Lambda function', evidence: [] };
    }
    // One group per function name and account: an alias and its function share a log group.
    const targets = new Map<string, (typeof functions)[number]>();
    for (const fn of functions) if (fn.state !== 'NotFound') targets.set(`${fn.accountId ?? ''}/${fn.region ?? ''}/${fn.functionName}`, fn);
    const notRead: string[] = [];
    const reads = await Promise.all(
      [...targets.values()].map(async (fn) => {
        if (fn.unreadable && fn.unreadable.startsWith('no role')) {
          notRead.push(`${fn.functionName} (${fn.unreadable})`);
          return undefined;
        }
        const access = clientsFor(ctx, fn.accountId, fn.region);
        if ('unreadable' in access) {
          notRead.push(`${fn.functionName} (${access.unreadable})`);
          return undefined;
        }
        const group = defaultLogGroupOf(fn.functionName);
        const { read, invocations, bytesScanned } = await readFunctionLog(access.clients.logs, group, ctx, reading.pattern);
        return { fn, read, invocations, bytesScanned, accountId: access.clients.accountId ?? fn.accountId };
      }),
    );
    const done = reads.filter((r): r is NonNullable<typeof r> => Boolean(r));
    if (done.length === 0) {
      const accounts = [...new Set(functions.map((f) => f.accountId ?? '?'))];
      return {
        status: 'not_configured',
        reason: notRead.length ? `no function log group could be read: ${listText(notRead)}` : 'no function could be read',
        hint: `add a read-only role for account ${listText(accounts)} to the firebreak config (accounts[].roleArn)`,
        evidence: [],
      };
    }
    const evidence: LambdaLogEvidence[] = done.map(({ fn, read, invocations, accountId }) => {
      const lines: LogLine[] = [];
      const counts = { error: 0, timeout: 0, throttle: 0 };
      const callbacks = reading.callbackFailure ? tallyCallbacks(read.lines, reading.callbackFailure) : undefined;
      for (const line of read.lines) {
        if (callbacks?.callbackLines.has(line)) {
          lines.push(line);
          continue;
        }
        const kind = classifyLambdaLine(line.message);
        if (!kind) continue;
        counts[kind] += 1;
        lines.push(line);
      }
      return {
        functionName: fn.functionName,
        logGroup: read.logGroup,
        errors: counts.error,
        timeouts: counts.timeout,
        throttles: counts.throttle,
        lines,
        ...(invocations && !invocations.missing ? { invocations: invocations.count, invocationsExact: invocations.exact } : {}),
        ...(invocations?.newest !== undefined ? { lastInvocation: invocations.newest } : {}),
        ...(accountId ? { accountId } : {}),
        ...(callbacks && callbacks.failures.length > 0 ? { callbackFailures: callbacks.failures } : {}),
      };
    });
    const truncated = combineTruncation(done.map(({ read }) => ({ kept: read.lines.length, truncated: read.truncated })));
    const missing = done.filter(({ read }) => read.missing).map(({ read }) => read.logGroup);
    const notes: string[] = [];
    if (missing.length) notes.push(`no log group ${listText(missing)} (never invoked, or logging elsewhere)`);
    if (notRead.length) notes.push(`not read: ${listText(notRead)}`);
    const scanned = done.reduce((n, r) => n + (r.bytesScanned ?? 0), 0);
    if (done.some((r) => r.bytesScanned !== undefined)) notes.push(`counted by Logs Insights, ${formatBytes(scanned)} scanned (one query per log group)`);
    const suffix = notes.length ? `; ${notes.join('; ')}` : '';
    const total = evidence.reduce((n, e) => n + e.lines.length, 0);
    const withLines = evidence.filter((e) => e.lines.length > 0);
    const callbackCounts = new Map<string, number>();
    for (const e of evidence) for (const c of e.callbackFailures ?? []) callbackCounts.set(c.kind, (callbackCounts.get(c.kind) ?? 0) + c.count);
    const callbackText = callbackCounts.size ? `; failed @connections calls: ${[...callbackCounts].map(([kind, n]) => `${n} ${kind.replace('_', ' ')}`).join(', ')}` : '';
    if (total === 0) {
      return {
        status: 'empty',
        evidence,
        count: 0,
        reason: `no errors, timeouts or throttles in ${plural(done.length, 'function log group')} in the window${suffix}`,
        ...(truncated ? { truncated } : {}),
      };
    }
    const sum = (k: 'errors' | 'timeouts' | 'throttles') => evidence.reduce((n, e) => n + e[k], 0);
    const invoked = evidence.filter((e) => e.invocations !== undefined);
    const ofInvocations = invoked.length
      ? ` of ${invoked.some((e) => !e.invocationsExact) ? 'about ' : ''}${plural(invoked.reduce((n, e) => n + (e.invocations ?? 0), 0), 'invocation')}`
      : '';
    return {
      status: 'ok',
      evidence,
      count: total,
      reason: `${plural(sum('errors'), 'error')}, ${plural(sum('timeouts'), 'timeout')}, ${plural(sum('throttles'), 'throttle')}${ofInvocations} in ${listText(withLines.map((e) => e.functionName))}${callbackText}${suffix}`,
      ...(truncated ? { truncated } : {}),
    };
  },
  record: recordLineReads,
});
}

export const lambdaLogsSource = lambdaLogsSourceWith(FAILURES_ONLY);
