import type { CallbackFailureEvidence, CallbackFailureKind, LambdaLogEvidence, LogLine } from '../../core/evidence.js';
import { clientsFor, listText, plural } from '../cross-account.js';
import { countLogEvents, type EventCount } from '../logs/count-events.js';
import { combineTruncation, readLogGroup } from '../logs/read-log-group.js';
import { defineSource, type Source, type SourceContext, type SourceOutcome } from '../types.js';
import { defaultLogGroupOf } from './arn.js';

/** CloudWatch Logs terms for failed invocations: errors, timeouts, crashes and throttles. */
export const LAMBDA_FAILURE_PATTERN = '?ERROR ?"Task timed out" ?"Runtime.ExitError" ?"Rate Exceeded" ?Throttling ?TooManyRequestsException';

/** One REPORT line per invocation, whatever its outcome: the denominator for failure shares. */
export const LAMBDA_INVOCATION_PATTERN = '"REPORT RequestId"';

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

/**
 * The Lambda logs of the API's functions: failed invocations (errors, timeouts, throttles) with
 * the invocation count as denominator, and for WebSocket backends their failed `@connections`
 * calls, counted apart (a backend that catches a GoneException has not failed).
 */
async function readLambdaLogs(ctx: SourceContext, reading: LambdaLogReading): Promise<SourceOutcome<'logs.lambda'>> {
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
      // The invocation count only sets proportion: when it cannot be read, the failures still stand.
      const [read, invocations] = await Promise.all([
        readLogGroup(access.clients.logs, group, ctx.window, ctx.limits, reading.pattern),
        countLogEvents(access.clients.logs, group, ctx.window, ctx.limits, LAMBDA_INVOCATION_PATTERN).catch((): EventCount | undefined => undefined),
      ]);
      return { fn, read, invocations, accountId: access.clients.accountId ?? fn.accountId };
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
}

/** The same source with another reading (WebSocket backends' `@connections` calls). */
export function lambdaLogsSourceWith(reading: LambdaLogReading): Source<'logs.lambda'> {
  return defineSource({ id: 'logs.lambda', title: 'Lambda logs', dependsOn: ['lambda.functions'], run: (ctx) => readLambdaLogs(ctx, reading) });
}

export const lambdaLogsSource = lambdaLogsSourceWith(FAILURES_ONLY);
