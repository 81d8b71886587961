import { countFailures, fromFunctionMetric, fromSignatures } from '../counting/index.js';
import { signaturesFor } from '../execution-log-classifier.js';
import { evidenceOf, finding, requireAnySource, stagesInScope } from '../helpers.js';
import { logRefs, logSummaryOf } from '../log-evidence.js';
import { defineRule } from '../types.js';

/**
 * I5: Lambda throttles the invocation (429 from Lambda, 500 to the caller). Reserved concurrency
 * of 0 throttles every call, so it fires from configuration alone; from the logs it needs the
 * default threshold (per route, stage or function).
 */
export const i5LambdaThrottled = defineRule({
  id: 'I5.lambda-throttled',
  severity: 'high',
  title: 'Lambda throttles the integration function',
  evaluate(input) {
    const functions = (evidenceOf(input, 'lambda.functions') ?? []).filter((f) => f.usedBy.length);
    const zero = functions.filter((f) => f.reservedConcurrency === 0);
    const summary = logSummaryOf(input);
    const counts = signaturesFor(summary, { causes: ['I5'], stages: stagesInScope(input).map((s) => s.stageName) });
    const tallies = fromSignatures(input, counts);
    // A throttled invocation never runs, so its function's log is silent: Lambda's own Throttles metric counts it.
    for (const f of functions.filter((fn) => fn.usedBy.includes('integration'))) {
      if (tallies.some((t) => t.scope.kind === 'function' && t.scope.name === f.functionName)) continue;
      const metric = fromFunctionMetric(input, f.functionName, 'throttles');
      if (metric && metric.failures.n > 0) tallies.push(metric);
    }
    const count = countFailures(input, { what: 'Lambda throttles', family: 'server', tallies });
    if (!zero.length && !count.passes) {
      return requireAnySource(input, this, ['logs.execution', 'logs.lambda'], 'Lambda throttling (no execution or Lambda logs)') ?? count.note(this);
    }
    return [
      finding(this, {
        severity: zero.length ? 'critical' : count.severity(this.severity),
        figures: count.passes ? count.figures : [],
        detail: [
          ...zero.map((f) => `${f.functionName} has reserved concurrency 0: every invocation is throttled.`),
          count.passes ? count.text() : '',
          'Callers get 500 Internal server error.',
        ].filter(Boolean).join(' '),
        evidence: [
          ...zero.map((f) => ({ source: 'lambda.functions', key: f.functionName, quote: `${f.functionName} reservedConcurrency 0` })),
          ...logRefs(count.passes ? counts : []),
        ],
        fix: zero.length
          ? `Remove or raise the reserved concurrency of ${zero[0]?.functionName} (aws lambda delete-function-concurrency).`
          : 'Raise the function\'s reserved concurrency or the account concurrency limit, or add stage throttling below it.',
      }),
    ];
  },
});
