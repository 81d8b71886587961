import type { CloudTrailEventEvidence, HttpStageEvidence } from '../../core/evidence.js';
import type { Finding } from '../../core/finding.js';
import { evidenceOf, finding, inconclusive, sourceFailure, fixForSource } from '../helpers.js';
import { defineRule, type Rule, type RuleInput } from '../types.js';
import { httpStages } from './access.js';

/** v2 changes that take effect only through a deployment (DG http-api-stages; catalogue §6.3). */
const CHANGE_EVENTS = new Set([
  'CreateRoute', 'UpdateRoute', 'DeleteRoute',
  'CreateIntegration', 'UpdateIntegration', 'DeleteIntegration',
  'CreateAuthorizer', 'UpdateAuthorizer', 'DeleteAuthorizer',
  'UpdateApi', 'DeleteCorsConfiguration', 'ImportApi', 'ReimportApi',
  'CreateRouteResponse', 'UpdateRouteResponse', 'CreateIntegrationResponse', 'UpdateIntegrationResponse',
]);

function changesOf(events: CloudTrailEventEvidence[], apiId: string, after: number): CloudTrailEventEvidence[] {
  return events
    .filter((e) => !e.errorCode && e.eventSource.startsWith('apigateway') && CHANGE_EVENTS.has(e.eventName))
    .filter((e) => e.requestParameters?.apiId === apiId && Date.parse(e.eventTime) > after)
    .sort((a, b) => Date.parse(b.eventTime) - Date.parse(a.eventTime));
}

function autoDeployFailed(stage: HttpStageEvidence): string | undefined {
  if (stage.deploymentStatus === 'FAILED') return stage.deploymentStatusMessage ?? 'the live deployment FAILED';
  const message = stage.lastDeploymentStatusMessage;
  if (stage.autoDeploy && message && /fail|error|invalid|unable|could not|cannot/i.test(message)) return message;
  return undefined;
}

/**
 * H3: the change is not live. With AutoDeploy off a stage serves its deployment snapshot until
 * someone deploys (changes made after it are not live); with AutoDeploy on, a failed automatic
 * deployment says why in LastDeploymentStatusMessage (filled only for auto-deploy stages).
 */
export const h3ChangesNotDeployed = defineRule({
  id: 'H3.changes-not-deployed',
  severity: 'high',
  title: 'Changes to the HTTP API are not deployed to the stage',
  evaluate(input) {
    return undeployedChanges(this, input, 'it serves nothing (404 Not Found)');
  },
});

/**
 * The v2 stages in scope that serve no deployment, a failed one, or one older than changes made
 * to the API (HTTP and WebSocket APIs alike; `noDeployment` says what clients then get).
 */
export function undeployedChanges(rule: Rule, input: RuleInput, noDeployment: string): Finding[] {
  const apiId = input.target.restApiId;
  const findings = [];
  const trailFailure = sourceFailure(input, 'cloudtrail.changes');
  const events = evidenceOf(input, 'cloudtrail.changes') ?? [];
  for (const stage of httpStages(input)) {
    if (!stage.autoDeploy && !stage.deploymentId) {
      findings.push(
        finding(rule, {
          severity: 'critical',
          detail: `Stage ${stage.stageName} has no deployment and automatic deployment is off: ${noDeployment}.`,
          evidence: [{ source: 'apigwv2.stages', key: stage.stageName, quote: `${stage.stageName}: AutoDeploy false, DeploymentId none` }],
          fix: `aws apigatewayv2 create-deployment --api-id ${apiId} --stage-name '${stage.stageName}' (or turn on auto-deploy: aws apigatewayv2 update-stage --api-id ${apiId} --stage-name '${stage.stageName}' --auto-deploy).`,
        }),
      );
      continue;
    }
    const failed = autoDeployFailed(stage);
    if (failed) {
      findings.push(
        finding(rule, {
          detail: `The last deployment of stage ${stage.stageName} failed: "${failed}". The stage still serves its previous deployment${stage.deploymentCreatedDate ? ` (${stage.deploymentCreatedDate})` : ''}.`,
          evidence: [{ source: 'apigwv2.stages', key: stage.stageName, quote: `${stage.stageName}: ${failed}` }],
          fix: `Fix what the message names, then deploy again (aws apigatewayv2 create-deployment --api-id ${apiId} --stage-name '${stage.stageName}').`,
        }),
      );
      continue;
    }
    if (stage.autoDeploy || !stage.deploymentCreatedDate) continue;
    if (trailFailure) {
      findings.push(inconclusive(rule, `changes made after stage ${stage.stageName}'s last deployment (auto-deploy is off)`, [{ source: 'cloudtrail.changes', why: trailFailure, fix: fixForSource(input, 'cloudtrail.changes') }]));
      continue;
    }
    const pending = changesOf(events, apiId, Date.parse(stage.deploymentCreatedDate));
    if (pending.length === 0) continue;
    const names = [...new Set(pending.map((e) => e.eventName))];
    findings.push(
      finding(rule, {
        detail: `Stage ${stage.stageName} has automatic deployment off and still serves deployment ${stage.deploymentId} of ${stage.deploymentCreatedDate}; ${pending.length} later change(s) (${names.join(', ')}, newest ${pending[0]?.eventTime} by ${pending[0]?.username ?? pending[0]?.principalArn ?? 'unknown'}) are not live.`,
        evidence: [
          { source: 'apigwv2.stages', key: stage.stageName, quote: `${stage.stageName}: AutoDeploy false, deployment ${stage.deploymentId} created ${stage.deploymentCreatedDate}` },
          ...pending.slice(0, 3).map((e) => ({ source: 'cloudtrail.changes', key: e.eventId, quote: `${e.eventTime} ${e.eventName}${e.username ? ` by ${e.username}` : ''}` })),
        ],
        fix: `Deploy: aws apigatewayv2 create-deployment --api-id ${apiId} --stage-name '${stage.stageName}'; or turn on auto-deploy for the stage.`,
      }),
    );
  }
  return findings;
}
