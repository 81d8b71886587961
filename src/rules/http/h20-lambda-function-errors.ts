import { evidenceOf, finding } from '../helpers.js';
import { defineRule } from '../types.js';
import { lambdaIntegrations } from './integrations.js';
import { mismatchPattern } from './h19-payload-format-mismatch.js';

const MIN_LINES = 3;

/**
 * H20: the integration's function fails (errors, timeouts) or is throttled (reserved concurrency
 * 0, Rate Exceeded): callers get 500/503. Errors that are a payload-format mismatch are H19's.
 */
export const h20LambdaFunctionErrors = defineRule({
  id: 'H20.lambda-function-errors',
  severity: 'high',
  title: 'The integration\u2019s Lambda function fails or is throttled',
  evaluate(input) {
    const logs = evidenceOf(input, 'logs.lambda') ?? [];
    return lambdaIntegrations(input).flatMap((item) => {
      const fn = item.fn;
      if (!fn) return [];
      const log = logs.find((l) => l.functionName === fn.functionName);
      const mismatch = mismatchPattern(item.integration.payloadFormatVersion);
      const errorLines = (log?.lines ?? []).filter((l) => !mismatch.test(l.message));
      const throttled = fn.reservedConcurrency === 0 || (log?.throttles ?? 0) >= MIN_LINES;
      const errors = Math.max(0, (log?.errors ?? 0) + (log?.timeouts ?? 0) - ((log?.lines.length ?? 0) - errorLines.length));
      if (!throttled && errors < MIN_LINES && fn.state === 'Active') return [];
      if (!throttled && errors < MIN_LINES && !fn.state) return [];
      const parts: string[] = [];
      if (fn.reservedConcurrency === 0) parts.push('reserved concurrency is 0: every invocation is throttled');
      else if ((log?.throttles ?? 0) >= MIN_LINES) parts.push(`${log?.throttles} throttled invocation(s)`);
      if (errors >= MIN_LINES) parts.push(`${errors} error/timeout line(s)${errorLines[0] ? `, e.g. "${errorLines[0].message.slice(0, 160)}"` : ''}`);
      if (fn.state && fn.state !== 'Active') parts.push(`state ${fn.state}${fn.stateReason ? ` (${fn.stateReason})` : ''}`);
      if (!parts.length) return [];
      return [
        finding(this, {
          detail: `${fn.functionName} (routes ${item.routes.map((r) => r.routeKey).join(', ') || 'none'}): ${parts.join('; ')}. Callers get 500 or 503.`,
          evidence: [{ source: fn.reservedConcurrency === 0 || (fn.state && fn.state !== 'Active') ? 'lambda.functions' : 'logs.lambda', key: fn.functionName, quote: `${fn.functionName}: ${parts[0]}` }],
          fix: fn.reservedConcurrency === 0 ? `aws lambda delete-function-concurrency --function-name ${fn.functionName}` : `Read /aws/lambda/${fn.functionName} around the failures (join on $context.integration.requestId) and fix the function.`,
        }),
      ];
    });
  },
});
