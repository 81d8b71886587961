import { signaturesFor } from '../execution-log-classifier.js';
import { evidenceOf, finding, requireAnySource, stagesInScope } from '../helpers.js';
import { countFailures, fromSignatures } from '../counting/index.js';
import { logRefs, logSummaryOf } from '../log-evidence.js';
import { defineRule } from '../types.js';

/**
 * A3: the Lambda authorizer function itself throws or times out (limit 10 s): 500
 * AUTHORIZER_CONFIGURATION_ERROR / AUTHORIZER_FAILURE (401 when it throws "Unauthorized"). Told
 * apart from A4 (not invokable) by the authorizer's invoke permission and its own log errors.
 */
export const a3AuthorizerFunctionFails = defineRule({
  id: 'A3.authorizer-function-fails',
  severity: 'high',
  title: 'The Lambda authorizer function fails',
  evaluate(input) {
    const functions = (evidenceOf(input, 'lambda.functions') ?? []).filter((f) => f.usedBy.includes('authorizer'));
    if (!functions.length && !(evidenceOf(input, 'apigw.authorizers') ?? []).some((a) => a.lambdaArn)) return [];
    const summary = logSummaryOf(input);
    const counts = signaturesFor(summary, { causes: ['A3'], stages: stagesInScope(input).map((s) => s.stageName) });
    const count = countFailures(input, { what: 'Lambda authorizer failures', family: 'server', tallies: fromSignatures(input, counts) });
    if (!count.passes) return requireAnySource(input, this, ['logs.execution', 'logs.lambda'], 'a failing authorizer function (no execution or Lambda logs)') ?? [];
    const slow = functions.filter((f) => (f.timeout ?? 0) > 10);
    const names = functions.map((f) => f.functionName);
    return [
      finding(this, {
        severity: count.severity(this.severity),
        figures: count.figures,
        detail: `${count.text()} The authorizer ${names.join(', ') || 'function'} raised errors or timed out, so API Gateway answers 500 (or 401 when it throws "Unauthorized").${slow.length ? ` ${slow.map((f) => `${f.functionName} may run ${f.timeout}s but API Gateway waits at most 10s for an authorizer`).join('; ')}.` : ''}`,
        evidence: [...logRefs(counts), ...slow.map((f) => ({ source: 'lambda.functions', key: f.functionName, quote: `${f.functionName} Timeout ${f.timeout}s` }))],
        fix: `Read the failing invocations in /aws/lambda/${names[0] ?? '<authorizer>'} and fix the error (a dependency it cannot reach, a bad token parse); keep it under 10 s.`,
      }),
    ];
  },
});
