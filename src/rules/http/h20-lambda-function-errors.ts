import type { LambdaLogEvidence } from '../../core/evidence.js';
import { SEVERITY_RANK, type Figure } from '../../core/finding.js';
import { Count, countFailures, fromFunctionMetric, type Tally } from '../counting/index.js';
import { coverageRow, evidenceOf, finding } from '../helpers.js';
import { defineRule, type RuleInput } from '../types.js';
import { lambdaIntegrations } from './integrations.js';
import { accessLogs, contextValue } from './access.js';
import { mismatchPattern } from './h19-payload-format-mismatch.js';
import { integrationTimeouts } from './h21-integration-timeout.js';

/** From the function's log when Lambda's own metric was not read: its error/timeout (or throttle) lines. */
function fromLog(input: RuleInput, functionName: string, log: LambdaLogEvidence | undefined, n: number, lines: { timestamp: number }[]): Tally | undefined {
  if (!log || n === 0) return undefined;
  const minutes = new Map<number, number>();
  for (const l of lines) minutes.set(Math.floor(l.timestamp / 60_000) * 60_000, (minutes.get(Math.floor(l.timestamp / 60_000) * 60_000) ?? 0) + 1);
  const exact = coverageRow(input, 'logs.lambda')?.truncated === undefined;
  return {
    scope: { kind: 'function', name: functionName },
    failures: { n, exact, basis: exact ? 'logs' : 'estimate', minutes, from: input.window.since.getTime(), until: input.window.until.getTime(), ...(lines.length ? { last: Math.max(...lines.map((l) => l.timestamp)) } : {}) },
  };
}

/** A tally scaled by a fraction (the part of the function's failures that are not H19's). */
function part(tally: Tally | undefined, fraction: number): Tally | undefined {
  if (!tally || fraction >= 1) return tally;
  const f = tally.failures;
  return { scope: tally.scope, failures: { ...f, n: f.n * fraction, exact: false, ...(f.minutes ? { minutes: new Map([...f.minutes].map(([m, v]) => [m, v * fraction])) } : {}) } };
}

/**
 * H20: the integration's function fails (errors, timeouts) or is throttled (reserved concurrency
 * 0, Rate Exceeded): callers get 500/503. Counted with the one counting model against the
 * function's invocations (Lambda's own metrics when read, else its REPORT lines), never against
 * its error lines. Errors that are a payload-format mismatch are H19's.
 */
export const h20LambdaFunctionErrors = defineRule({
  id: 'H20.lambda-function-errors',
  severity: 'high',
  title: 'The integration\u2019s Lambda function fails or is throttled',
  evaluate(input) {
    const logs = evidenceOf(input, 'logs.lambda') ?? [];
    const seen = new Set<string>();
    return lambdaIntegrations(input).flatMap((item) => {
      const fn = item.fn;
      if (!fn || seen.has(fn.functionName)) return [];
      seen.add(fn.functionName);
      const log = logs.find((l) => l.functionName === fn.functionName);
      const mismatch = mismatchPattern(item.integration.payloadFormatVersion);
      const lines = log?.lines ?? [];
      const errorLines = lines.filter((l) => !mismatch.test(l.message) && !/throttl|Rate Exceeded|TooManyRequests/i.test(l.message));
      const throttleLines = lines.filter((l) => /throttl|Rate Exceeded|TooManyRequests/i.test(l.message));
      // The function's own failures, less the lines that are a payload mismatch (H19 names those).
      const failed = (log?.errors ?? 0) + (log?.timeouts ?? 0);
      const notMismatch = failed > 0 ? Math.min(1, errorLines.length / Math.max(1, lines.length - throttleLines.length)) : 1;
      // Lambda's Errors metric counts timeouts too; the integration timeouts on the function's
      // routes are H21's, so only the rest of its 5xx are this function's own errors.
      const keys = new Set(item.routes.map((r) => r.routeKey));
      const failedRecords = accessLogs(input).flatMap((l) => l.records.filter((r) => (r.status ?? 0) >= 500 && keys.has(contextValue(r, 'routeKey') ?? '')));
      const timeout = integrationTimeouts(input);
      const notTimeout = failedRecords.length > 0 ? failedRecords.filter((r) => !timeout(r)).length / failedRecords.length : 1;
      const ownShare = notMismatch * notTimeout;
      const errors = countFailures(input, {
        what: `Lambda errors and timeouts of ${fn.functionName}`,
        family: 'server',
        tallies: [part(fromFunctionMetric(input, fn.functionName, 'errors'), ownShare) ?? fromLog(input, fn.functionName, log, errorLines.length, errorLines)].filter((t): t is Tally => t !== undefined && t.failures.n > 0),
      });
      const throttles = countFailures(input, {
        what: `Lambda throttles of ${fn.functionName}`,
        family: 'server',
        tallies: [fromFunctionMetric(input, fn.functionName, 'throttles') ?? fromLog(input, fn.functionName, log, log?.throttles ?? 0, throttleLines)].filter((t): t is Tally => t !== undefined && t.failures.n > 0),
      });
      const zero = fn.reservedConcurrency === 0;
      const inactive = fn.state !== undefined && fn.state !== 'Active';
      if (!zero && !inactive && !errors.passes && !throttles.passes) return [...errors.note(this), ...throttles.note(this)].slice(0, 1);
      const counted: Count[] = [throttles, errors].filter((c) => c.passes);
      const parts: string[] = [];
      if (zero) parts.push('reserved concurrency is 0: every invocation is throttled.');
      parts.push(...counted.map((c) => c.text()));
      if (errors.passes && errorLines[0]) parts.push(`E.g. "${errorLines[0].message.slice(0, 160)}".`);
      if (inactive) parts.push(`State ${fn.state}${fn.stateReason ? ` (${fn.stateReason})` : ''}.`);
      const figures: Figure[] = counted.flatMap((c) => c.figures);
      const severity = zero || inactive ? this.severity : (counted.map((c) => c.severity(this.severity)).sort((a, b) => SEVERITY_RANK[a] - SEVERITY_RANK[b])[0] ?? this.severity);
      const headline = counted[0]?.passing[0];
      return [
        finding(this, {
          severity,
          figures,
          detail: `${fn.functionName} (routes ${item.routes.map((r) => r.routeKey).join(', ') || 'none'}): ${parts.join(' ')} Callers get 500 or 503.`,
          evidence: [{ source: zero || inactive ? 'lambda.functions' : counted[0]?.figures[0]?.basis === 'metrics' ? 'metrics.lambda' : 'logs.lambda', key: fn.functionName, quote: `${fn.functionName}: ${zero ? 'reservedConcurrency 0' : inactive ? `state ${fn.state}` : headline ? Count.phrase(headline) : ''}` }],
          fix: zero ? `aws lambda delete-function-concurrency --function-name ${fn.functionName}` : `Read /aws/lambda/${fn.functionName} around the failures (join on $context.integration.requestId) and fix the function.`,
        }),
      ];
    });
  },
});
