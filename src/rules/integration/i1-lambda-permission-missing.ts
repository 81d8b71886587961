import { signaturesFor } from '../execution-log-classifier.js';
import { evidenceOf, finding, inconclusive, requireSources, stagesInScope } from '../helpers.js';
import { assess, DECISIVE_THRESHOLD, describeCounts, logRefs, logSummaryOf, proportionalSeverity, proportionText } from '../log-evidence.js';
import { defineRule } from '../types.js';

/**
 * I1: the integration function's resource policy does not let apigateway.amazonaws.com invoke it
 * for this API (removed, or SourceArn pinned to another stage or method): 500 for every call.
 */
export const i1LambdaPermissionMissing = defineRule({
  id: 'I1.lambda-permission-missing',
  severity: 'critical',
  title: 'API Gateway may not invoke the integration Lambda function',
  evaluate(input) {
    const summary = logSummaryOf(input);
    // One line is decisive here: API Gateway writes it only when Lambda refused the invoke. How
    // much traffic it hit, and whether it still does, sets the severity.
    const assessment = assess(input, signaturesFor(summary, { signatures: ['lambda-invalid-permissions'], stages: stagesInScope(input).map((s) => s.stageName) }), DECISIVE_THRESHOLD);
    const counts = assessment.counts;
    const functions = (evidenceOf(input, 'lambda.functions') ?? []).filter((f) => f.usedBy.includes('integration'));
    const denied = functions.filter((f) => f.invokePermission && !f.invokePermission.allowsThisApi);
    const unreadable = functions.filter((f) => f.unreadable);
    if (!denied.length && !counts.length) {
      const blocked = requireSources(input, this, ['lambda.functions'], 'a missing Lambda invoke permission');
      if (blocked) return blocked;
      return unreadable.map((f) => inconclusive(this, `a missing invoke permission on ${f.functionName}`, [{ source: 'lambda.functions', why: f.unreadable ?? 'function not readable', fix: `give the firebreak role read access to ${f.functionName}${f.accountId ? ` in account ${f.accountId}` : ''}` }]));
    }
    const name = denied[0]?.functionName ?? '<function>';
    return [
      finding(this, {
        // The policy read now says it is missing: that is current, whatever the logs' timing.
        severity: denied.length ? this.severity : proportionalSeverity(this.severity, assessment),
        detail: [
          ...denied.map((f) => `${f.functionName}: ${f.invokePermission?.reason ?? 'no statement allows apigateway.amazonaws.com for this API'}.`),
          counts.length ? `${describeCounts(counts)}. ${proportionText(input, assessment)}` : '',
          'Callers get 500 Internal server error.',
        ].filter(Boolean).join(' '),
        evidence: [
          ...denied.map((f) => ({ source: 'lambda.functions', key: f.functionName, quote: `${f.functionName} invoke permission: ${f.invokePermission?.reason ?? 'none for this API'}` })),
          ...logRefs(counts),
        ],
        fix: `aws lambda add-permission --function-name ${name} --statement-id apigw-${input.target.restApiId} --principal apigateway.amazonaws.com --action lambda:InvokeFunction --source-arn 'arn:aws:execute-api:${input.target.region}:<account>:${input.target.restApiId}/*/*/*'`,
      }),
    ];
  },
});
