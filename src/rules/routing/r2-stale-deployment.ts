import { apiChanges, changesAfterDeployment } from '../changes.js';
import { evidenceOf, finding, requireSources, stagesInScope } from '../helpers.js';
import { defineRule } from '../types.js';

/** API changes that need CreateDeployment before they take effect (other than the policy: P3). */
export const UNDEPLOYED_CHANGE_EVENTS = [
  'CreateResource', 'DeleteResource', 'UpdateResource', 'PutMethod', 'UpdateMethod', 'DeleteMethod',
  'PutIntegration', 'UpdateIntegration', 'DeleteIntegration', 'PutIntegrationResponse', 'PutMethodResponse',
  'CreateAuthorizer', 'UpdateAuthorizer', 'DeleteAuthorizer', 'PutGatewayResponse',
];

/** R2: the stage runs a deployment older than later changes to resources, methods or integrations. */
export const r2StaleDeployment = defineRule({
  id: 'R2.stale-deployment',
  severity: 'medium',
  title: 'The stage runs a deployment older than the latest API changes',
  evaluate(input) {
    const blocked = requireSources(input, this, ['cloudtrail.changes', 'apigw.stages'], 'API changes that were never deployed');
    if (blocked) return blocked;
    const changes = apiChanges(evidenceOf(input, 'cloudtrail.changes') ?? [], input.target.restApiId, UNDEPLOYED_CHANGE_EVENTS);
    return stagesInScope(input).flatMap((stage) => {
      const newer = changesAfterDeployment(changes, stage);
      if (!newer.length) return [];
      const names = [...new Set(newer.map((c) => c.eventName))].join(', ');
      return [
        finding(this, {
          detail: `Stage ${stage.stageName} runs deployment ${stage.deploymentId ?? '?'} of ${stage.deploymentCreatedDate}, but ${newer.length} later change(s) (${names}) are not deployed: callers still see the old resources and integrations.`,
          evidence: [
            ...newer.slice(0, 3).map((c) => ({ source: 'cloudtrail.changes', key: c.eventId, quote: `${c.eventName} ${c.eventTime}${c.username ? ` by ${c.username}` : ''}` })),
            { source: 'apigw.stages', key: stage.stageName, quote: `deployment ${stage.deploymentId ?? '?'} created ${stage.deploymentCreatedDate}` },
          ],
          fix: `Create a deployment of ${input.target.restApiId} to stage ${stage.stageName}.`,
        }),
      ];
    });
  },
});
