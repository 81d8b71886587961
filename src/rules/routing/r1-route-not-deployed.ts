import { signaturesFor } from '../execution-log-classifier.js';
import { evidenceOf, finding, stagesInScope } from '../helpers.js';
import { describeCounts, logRefs, logSummaryOf, significant } from '../log-evidence.js';
import { defineRule } from '../types.js';

/**
 * R1: "Missing Authentication Token" is API Gateway's 403 for a stage, path or method that is not
 * deployed. A stage that does not exist leaves no stage logs at all, so it is checked in config.
 */
export const r1RouteNotDeployed = defineRule({
  id: 'R1.route-not-deployed',
  severity: 'high',
  title: 'Requests hit a stage, path or method that is not deployed',
  evaluate(input) {
    const stages = evidenceOf(input, 'apigw.stages');
    const wanted = input.target.stage;
    if (stages && wanted && !stages.some((s) => s.stageName === wanted)) {
      return [
        finding(this, {
          severity: 'critical',
          detail: `Stage ${wanted} does not exist on ${input.target.restApiId} (stages: ${stages.map((s) => s.stageName).join(', ') || 'none'}): calls to /${wanted}/… get 403 Missing Authentication Token and write no stage logs.`,
          evidence: [{ source: 'apigw.stages', quote: `stages: ${stages.map((s) => s.stageName).join(', ') || 'none'}; no ${wanted}` }],
          fix: `Call an existing stage, or deploy ${input.target.restApiId} to a stage named ${wanted}.`,
        }),
      ];
    }
    const undeployed = stagesInScope(input).filter((s) => !s.deploymentId);
    const summary = logSummaryOf(input);
    const counts = significant(summary, signaturesFor(summary, { signatures: ['missing-authentication-token'], stages: stagesInScope(input).map((s) => s.stageName) }));
    const iamMethods = (evidenceOf(input, 'apigw.resources') ?? []).filter((m) => m.authorizationType === 'AWS_IAM');
    return [
      ...undeployed.map((s) =>
        finding(this, {
          detail: `Stage ${s.stageName} has no deployment: every path returns 403 Missing Authentication Token.`,
          evidence: [{ source: 'apigw.stages', key: s.stageName, quote: `${s.stageName} deploymentId: none` }],
          fix: `Create a deployment of ${input.target.restApiId} to stage ${s.stageName}.`,
        }),
      ),
      ...(counts.length
        ? [
            finding(this, {
              detail: `${describeCounts(counts)}: callers use a path or method that the live deployment does not have.${iamMethods.length ? ` Note ${iamMethods.length} method(s) use AWS_IAM, where an unsigned request gives the same message (A5).` : ''}`,
              evidence: logRefs(counts),
              fix: `Compare the failing paths with the resources of ${input.target.restApiId}; add the missing method or fix the client URL, then create a deployment.`,
            }),
          ]
        : []),
    ];
  },
});
