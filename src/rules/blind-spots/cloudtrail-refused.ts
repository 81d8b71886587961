import type { CoverageError, CoverageRow } from '../../core/coverage.js';
import type { EvidenceRef } from '../../core/finding.js';
import { coverageRow, failurePhrase, finding } from '../helpers.js';
import { defineRule, type RuleInput } from '../types.js';

/** What to do about a failed CloudTrail lookup, by why it failed. */
function lookupFix(error: CoverageError | undefined): string {
  switch (error?.kind) {
    case 'access_denied':
      return `Allow ${error.action ?? 'cloudtrail:LookupEvents'} to the firebreak role.`;
    case 'throttled':
      return 'Run the investigation again in a minute; CloudTrail allows 2 lookups per second per account and Region.';
    case 'timeout':
      return 'Run the investigation again, or narrow --since: CloudTrail lookups over long windows are slow.';
    case 'service_error':
      return /not an AWS response/.test(error.message)
        ? 'The answer did not come from CloudTrail: check any proxy or AWS_ENDPOINT_URL in between, then run the investigation again.'
        : 'Run the investigation again in a few minutes: CloudTrail itself failed (not a permission or a limit); check the AWS Health Dashboard if it persists.';
    default:
      return 'Run the investigation again; report it if the lookup fails the same way again.';
  }
}

/**
 * The CloudTrail rows that failed on their own (not because of a dependency), worded for the
 * REST and HTTP blind-spot findings alike: the phrase follows "The CloudTrail lookup".
 */
export function cloudTrailLookupFailure(input: RuleInput): { phrase: string; fix: string; evidence: EvidenceRef[] } | undefined {
  const failed = ['cloudtrail.changes', 'cloudtrail.denies']
    .map((id) => coverageRow(input, id))
    .filter((r): r is CoverageRow => r?.status === 'error' && r.error?.kind !== 'dependency_failed');
  const first = failed.find((r) => r.error?.kind === 'access_denied') ?? failed[0];
  if (!first) return undefined;
  return {
    phrase: failurePhrase(first.error),
    fix: lookupFix(first.error),
    evidence: failed.map((r) => ({ source: r.source, quote: `${r.source} ${failurePhrase(r.error)}` })),
  };
}

/** Without CloudTrail, "who changed what" (P3, R2) and SCP denies of fixes (O2) cannot be checked. */
export const cloudtrailRefused = defineRule({
  id: 'B.cloudtrail-refused',
  severity: 'medium',
  title: 'CloudTrail lookup failed: recent changes and SCP denies are invisible',
  evaluate(input) {
    const failure = cloudTrailLookupFailure(input);
    if (!failure) return [];
    return [
      finding(this, {
        detail: `The CloudTrail lookup ${failure.phrase}, so undeployed policy or API changes (P3, R2) and SCP denies of attempted fixes (O2) cannot be ruled out.`,
        evidence: failure.evidence,
        fix: failure.fix,
      }),
    ];
  },
});
