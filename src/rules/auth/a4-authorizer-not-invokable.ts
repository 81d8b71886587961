import { signaturesFor } from '../execution-log-classifier.js';
import { evidenceOf, finding, requireAnySource, requireSources, stagesInScope } from '../helpers.js';
import { countFailures, fromSignatures } from '../counting/index.js';
import { logRefs, logSummaryOf } from '../log-evidence.js';
import { defineRule } from '../types.js';

/**
 * A4: API Gateway cannot invoke the authorizer function (no lambda:InvokeFunction permission for
 * `…/authorizers/<id>`): 500 AUTHORIZER_CONFIGURATION_ERROR for every call.
 */
export const a4AuthorizerNotInvokable = defineRule({
  id: 'A4.authorizer-not-invokable',
  severity: 'critical',
  title: 'API Gateway cannot invoke the Lambda authorizer',
  evaluate(input) {
    const authorizers = evidenceOf(input, 'apigw.authorizers') ?? [];
    const functions = (evidenceOf(input, 'lambda.functions') ?? []).filter((f) => f.usedBy.includes('authorizer'));
    const denied = functions.filter((f) => f.invokePermission && !f.invokePermission.allowsThisApi);
    const summary = logSummaryOf(input);
    const stages = stagesInScope(input).map((s) => s.stageName);
    let counts = signaturesFor(summary, { causes: ['A4'], stages });
    // The authorizer was invoked and failed on its own (A3): its configuration errors are not A4,
    // unless API Gateway also said it may not invoke it.
    const invalidPermissions = counts.some((c) => c.signature === 'authorizer-invalid-permissions');
    if (!denied.length && !invalidPermissions && countFailures(input, { what: 'authorizer failures', family: 'server', tallies: fromSignatures(input, signaturesFor(summary, { causes: ['A3'], stages })) }).passes) counts = [];
    const count = countFailures(input, { what: 'Requests whose authorizer could not be invoked (500)', family: 'decisive', tallies: fromSignatures(input, counts) });
    if (!count.passes) counts = [];
    if (!denied.length && !counts.length) {
      // Without the authorizer list neither the authorizers nor their functions are known.
      if ((evidenceOf(input, 'apigw.resources') ?? []).some((m) => m.authorizationType === 'CUSTOM')) {
        const blocked = requireSources(input, this, ['apigw.authorizers'], 'a Lambda authorizer that API Gateway may not invoke');
        if (blocked) return blocked;
      }
      if (!authorizers.some((a) => a.lambdaArn || a.authorizerUri)) return [];
      return requireAnySource(input, this, ['lambda.functions', 'logs.execution'], 'an authorizer that API Gateway may not invoke') ?? [];
    }
    const names = denied.map((f) => f.functionName);
    return [
      finding(this, {
        detail: [
          denied.length ? `Authorizer function ${names.join(', ')} has no resource-policy statement letting apigateway.amazonaws.com invoke it for ${input.target.restApiId} (${denied.map((f) => f.invokePermission?.reason ?? 'no matching statement').join('; ')}).` : '',
          counts.length ? count.text() : '',
          'Callers get 500 AUTHORIZER_CONFIGURATION_ERROR.',
        ].filter(Boolean).join(' '),
        ...(counts.length ? { figures: count.figures } : {}),
        evidence: [
          ...denied.map((f) => ({ source: 'lambda.functions', key: f.functionName, quote: `${f.functionName}: ${f.invokePermission?.reason ?? 'no statement allows this API'}` })),
          ...logRefs(counts),
        ],
        fix: `aws lambda add-permission --function-name ${names[0] ?? '<authorizer function>'} --principal apigateway.amazonaws.com --action lambda:InvokeFunction --source-arn arn:aws:execute-api:${input.target.region}:<account>:${input.target.restApiId}/authorizers/*`,
      }),
    ];
  },
});
