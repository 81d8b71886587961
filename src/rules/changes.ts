import type { CloudTrailEventEvidence, StageEvidence } from '../core/evidence.js';

/** CloudTrail changes to this API that took effect (no errorCode), optionally limited to some event names. */
export function apiChanges(events: CloudTrailEventEvidence[], restApiId: string, names: string[]): CloudTrailEventEvidence[] {
  return events.filter((event) => {
    if (event.errorCode || !names.includes(event.eventName)) return false;
    const target = event.requestParameters?.restApiId;
    return target === undefined || target === restApiId;
  });
}

/** Changes made after the stage's live deployment was created, newest first. */
export function changesAfterDeployment(changes: CloudTrailEventEvidence[], stage: StageEvidence): CloudTrailEventEvidence[] {
  if (!stage.deploymentCreatedDate) return [];
  const deployed = Date.parse(stage.deploymentCreatedDate);
  return changes
    .filter((c) => Date.parse(c.eventTime) > deployed)
    .sort((a, b) => Date.parse(b.eventTime) - Date.parse(a.eventTime));
}

/** Whether an UpdateRestApi event touched the policy; a patch that names other paths did not. */
export function touchesPolicy(event: CloudTrailEventEvidence): boolean {
  if (event.eventName === 'PutRestApi') return true;
  const params = JSON.stringify(event.requestParameters ?? {});
  if (!/patchOperations|"op"/i.test(params)) return true;
  return /\/policy/i.test(params);
}
