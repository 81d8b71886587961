import type { CloudTrailEventEvidence } from '../../core/evidence.js';
import { evidenceOf, finding, requireSources } from '../helpers.js';
import { defineRule } from '../types.js';

function isScpDeny(event: CloudTrailEventEvidence): boolean {
  return !!event.scpDeny || /service control policy/i.test(event.errorMessage ?? '');
}

/**
 * O2: an SCP denied the change that would have fixed the API (deploy, policy, endpoint or security
 * group change, Lambda permission): the change never landed, so the old failure persists.
 */
export const o2ScpBlockedFix = defineRule({
  id: 'O2.scp-blocked-fix',
  severity: 'high',
  title: 'A service control policy denied a change to the API\'s path',
  evaluate(input) {
    const blocked = requireSources(input, this, ['cloudtrail.denies'], 'an SCP deny');
    if (blocked) return blocked;
    const events = [...(evidenceOf(input, 'cloudtrail.denies') ?? []), ...(evidenceOf(input, 'cloudtrail.changes') ?? [])].filter(isScpDeny);
    const unique = [...new Map(events.map((e) => [e.eventId, e])).values()];
    if (!unique.length) return [];
    const policies = [...new Set(unique.map((e) => e.scpDeny?.policyArn).filter((p): p is string => !!p))];
    return [
      finding(this, {
        detail: `${unique.length} call(s) were denied by a service control policy: ${unique
          .slice(0, 5)
          .map((e) => `${e.eventName} at ${e.eventTime}${e.username ? ` by ${e.username}` : ''}`)
          .join('; ')}. Those changes never happened, so whatever they were meant to fix is still broken.`,
        evidence: unique.slice(0, 5).map((e) => ({
          source: 'cloudtrail.denies',
          key: e.eventId,
          quote: `${e.eventName} ${e.errorCode ?? 'denied'}: explicit deny in a service control policy${e.scpDeny?.policyArn ? ` ${e.scpDeny.policyArn}` : ''}`,
        })),
        fix: `Ask the organisation admins to exempt this change from ${policies[0] ?? 'the SCP'} (or make it from an allowed role), then retry ${unique[0]?.eventName}.`,
      }),
    ];
  },
});
