import { coverageRow, finding } from '../helpers.js';
import { defineRule } from '../types.js';

/** Without CloudTrail, "who changed what" (P3, R2) and SCP denies of fixes (O2) cannot be checked. */
export const cloudtrailRefused = defineRule({
  id: 'B.cloudtrail-refused',
  severity: 'medium',
  title: 'CloudTrail lookup failed: recent changes and SCP denies are invisible',
  evaluate(input) {
    const failed = ['cloudtrail.changes', 'cloudtrail.denies'].map((id) => coverageRow(input, id)).filter((r) => r?.status === 'error' && r.error?.kind !== 'dependency_failed');
    if (!failed.length) return [];
    const refused = failed.find((r) => r?.error?.kind === 'access_denied');
    const what = refused ? `refused (${refused.error?.action ?? 'cloudtrail:LookupEvents'})` : `failed (${failed[0]?.error?.kind ?? 'error'})`;
    return [
      finding(this, {
        detail: `The CloudTrail lookup was ${what}: undeployed policy or API changes (P3, R2) and SCP denies of attempted fixes (O2) cannot be ruled out.`,
        evidence: failed.map((r) => ({ source: r?.source ?? 'cloudtrail', quote: `${r?.source}: ${r?.error?.kind ?? 'error'}${r?.error?.action ? ` ${r.error.action}` : ''}` })),
        fix: refused ? `Allow ${refused.error?.action ?? 'cloudtrail:LookupEvents'} to the firebreak role.` : 'Retry the investigation; CloudTrail allows 2 lookups per second per account and Region.',
      }),
    ];
  },
});
