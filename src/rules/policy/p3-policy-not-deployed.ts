import { apiChanges, changesAfterDeployment, touchesPolicy } from '../changes.js';
import { evidenceOf, finding, requireSources, stagesInScope } from '../helpers.js';
import { defineRule } from '../types.js';

/**
 * P3: a resource-policy change applies only after CreateDeployment ("updating or saving the policy
 * alone won't change the runtime behavior"). A change newer than the live deployment is not live.
 */
export const p3PolicyNotDeployed = defineRule({
  id: 'P3.policy-not-deployed',
  severity: 'high',
  title: 'The resource policy changed after the live deployment',
  evaluate(input) {
    const blocked = requireSources(input, this, ['cloudtrail.changes', 'apigw.stages'], 'a resource-policy change that was never deployed');
    if (blocked) return blocked;
    const changes = apiChanges(evidenceOf(input, 'cloudtrail.changes') ?? [], input.target.restApiId, ['UpdateRestApi', 'PutRestApi']).filter(touchesPolicy);
    return stagesInScope(input).flatMap((stage) => {
      const newer = changesAfterDeployment(changes, stage);
      const latest = newer[0];
      if (!latest) return [];
      return [
        finding(this, {
          detail: `${latest.eventName} at ${latest.eventTime}${latest.username ? ` by ${latest.username}` : ''} changed the resource policy of ${input.target.restApiId}, but stage ${stage.stageName} still runs deployment ${stage.deploymentId ?? '?'} of ${stage.deploymentCreatedDate}: the old policy is what API Gateway enforces.`,
          evidence: [
            { source: 'cloudtrail.changes', key: latest.eventId, quote: `${latest.eventName} ${latest.eventTime}${latest.username ? ` by ${latest.username}` : ''}` },
            { source: 'apigw.stages', key: stage.stageName, quote: `deployment ${stage.deploymentId ?? '?'} created ${stage.deploymentCreatedDate}` },
          ],
          fix: `Create a deployment of ${input.target.restApiId} to stage ${stage.stageName} (aws apigateway create-deployment --rest-api-id ${input.target.restApiId} --stage-name ${stage.stageName}).`,
        }),
      ];
    });
  },
});
