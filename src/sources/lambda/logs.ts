import type { LambdaLogEvidence, LogLine } from '../../core/evidence.js';
import { clientsFor, listText, plural } from '../cross-account.js';
import { countLogEvents, type EventCount } from '../logs/count-events.js';
import { combineTruncation, readLogGroup } from '../logs/read-log-group.js';
import { defineSource } from '../types.js';
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

export const lambdaLogsSource = defineSource({
  id: 'logs.lambda',
  title: 'Lambda logs',
  dependsOn: ['lambda.functions'],
  calls: { chain: 1 },
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
        // The invocation count only sets proportion: when it cannot be read, the failures still stand.
        const [read, invocations] = await Promise.all([
          readLogGroup(access.clients.logs, group, ctx.window, ctx.limits, LAMBDA_FAILURE_PATTERN),
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
      for (const line of read.lines) {
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
      reason: `${plural(sum('errors'), 'error')}, ${plural(sum('timeouts'), 'timeout')}, ${plural(sum('throttles'), 'throttle')}${ofInvocations} in ${listText(withLines.map((e) => e.functionName))}${suffix}`,
      ...(truncated ? { truncated } : {}),
    };
  },
});
