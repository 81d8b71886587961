import type { PolicyStatement, ScpEvidence } from '../../core/evidence.js';
import { conditionsMatch, coversAction, coversApi, type CallerContext, type Match } from '../../core/policy.js';
import { signaturesFor } from '../execution-log-classifier.js';
import { evidenceOf, finding, inconclusive, fixForSource, sourceFailure, stagesInScope } from '../helpers.js';
import { countFailures, fromSignatures } from '../counting/index.js';
import { logRefs, logSummaryOf } from '../log-evidence.js';
import { defineRule, type RuleInput } from '../types.js';

interface Denial {
  scps: ScpEvidence;
  policy: ScpEvidence['policies'][number];
  statement: PolicyStatement;
  /** yes: it denies the callers seen (or every principal of the account); unknown: under conditions firebreak cannot evaluate. */
  match: Exclude<Match, 'no'>;
}

/**
 * Whether a Deny statement of an SCP refuses execute-api:Invoke on this API to the account's
 * callers: the action and the API's resource matched as AWS matches them, the conditions evaluated
 * for each caller seen from that account (an SCP has no Principal: it binds its account's own).
 */
function denies(input: RuleInput, scps: ScpEvidence, statement: PolicyStatement): Match {
  if (statement.Effect !== 'Deny' || !coversAction(statement, 'execute-api:Invoke')) return 'no';
  const apiEvidence = evidenceOf(input, 'apigw.rest-api');
  const api = { region: input.target.region, apiId: input.target.restApiId, ...(apiEvidence?.accountId ? { accountId: apiEvidence.accountId } : {}) };
  if (!coversApi(statement, api)) return 'no';
  const callers: CallerContext[] = (scps.callers ?? []).map((principalArn) => ({ accountId: scps.accountId, principalArn }));
  const matches = (callers.length ? callers : [{ accountId: scps.accountId }]).map((caller) => conditionsMatch(statement, caller));
  if (matches.includes('yes')) return 'yes';
  return matches.includes('unknown') ? 'unknown' : 'no';
}

function whose(scps: ScpEvidence): string {
  const callers = scps.callers?.length ? ` (${scps.callers.join(', ')})` : '';
  return scps.role === 'callers' ? `the callers' account ${scps.accountId}${callers}` : `the API's account ${scps.accountId}${callers}`;
}

/**
 * O1: a service control policy denies execute-api:Invoke to IAM principals: of the API's account,
 * or of the account the callers come from (an SCP binds the caller's own account, wherever the API
 * lives). Invokes are not in CloudTrail, so the check is static: the SCPs that apply to each
 * account (Organizations reads, often refused outside the management account: then "cannot rule
 * out"). Only AWS_IAM callers are affected. A denial quoting "service control policy" in the logs
 * is decisive on its own.
 */
export const o1ScpDeniesInvoke = defineRule({
  id: 'O1.scp-denies-invoke',
  severity: 'high',
  title: 'A service control policy denies execute-api:Invoke',
  evaluate(input) {
    const iamMethods = (evidenceOf(input, 'apigw.resources') ?? []).filter((m) => m.authorizationType === 'AWS_IAM');
    const summary = logSummaryOf(input);
    const logged = signaturesFor(summary, { signatures: ['scp-deny'], stages: stagesInScope(input).map((s) => s.stageName) });
    const count = countFailures(input, { what: 'Invokes denied by a service control policy (403)', family: 'decisive', tallies: fromSignatures(input, logged) });
    const counts = count.passes ? logged : [];
    const denying: Denial[] = (evidenceOf(input, 'org.scps') ?? []).flatMap((scps) =>
      scps.policies.flatMap((policy) =>
        (policy.policy?.Statement ?? []).flatMap((statement): Denial[] => {
          const match = denies(input, scps, statement);
          return match === 'no' ? [] : [{ scps, policy, statement, match }];
        }),
      ),
    );
    if (!denying.length && !counts.length) {
      if (!iamMethods.length) return [];
      const failed = sourceFailure(input, 'org.scps');
      if (failed) return [inconclusive(this, 'a service control policy denying execute-api:Invoke to the IAM callers', [{ source: 'org.scps', why: failed, fix: `${fixForSource(input, 'org.scps')} (Organizations answers only the management or a delegated-admin account)` }])];
      // Callers from an account this organization cannot read (a partner's): its SCPs stay unknown.
      const unread = (evidenceOf(input, 'org.scps') ?? []).filter((e) => e.role === 'callers' && e.unreadable && e.policies.length === 0);
      return unread.map((e) =>
        inconclusive(this, `a service control policy of the callers' account ${e.accountId} denying execute-api:Invoke`, [
          { source: 'org.scps', why: `account ${e.accountId}: ${e.unreadable}`, fix: `ask the administrators of account ${e.accountId}'s organization whether an SCP denies execute-api:Invoke to ${e.callers?.[0] ?? 'its callers'}` },
        ]),
      );
    }
    // The callers' own account first: it is the one the API's owners cannot see from their side.
    const ordered = [...denying].sort((a, b) => Number(b.scps.role === 'callers') - Number(a.scps.role === 'callers') || Number(b.match === 'yes') - Number(a.match === 'yes'));
    const sure = ordered.filter((d) => d.match === 'yes');
    const first = ordered[0];
    return [
      finding(this, {
        ...(counts.length || sure.length ? {} : { severity: 'medium' as const }),
        detail: [
          ordered.length
            ? `${ordered.map((d) => `SCP ${d.policy.name ?? d.policy.id} (${d.policy.id}) on ${whose(d.scps)} denies execute-api:Invoke on ${input.target.restApiId}${d.statement.Sid ? ` in ${d.statement.Sid}` : ''}${d.match === 'unknown' ? ' under conditions firebreak cannot evaluate' : ''}`).join('; ')}.`
            : '',
          counts.length ? count.text() : '',
          `IAM principals of that account are refused (403, "... with an explicit deny") whatever the API's resource policy and their identity policies allow${iamMethods.length ? `; ${iamMethods.length} method(s) use AWS_IAM` : ''}.`,
        ].filter(Boolean).join(' '),
        evidence: [
          ...ordered.slice(0, 3).map((d) => ({ source: 'org.scps', key: d.policy.id, quote: `${d.policy.name ?? d.policy.id} on account ${d.scps.accountId}: Deny ${[d.statement.Action ?? d.statement.NotAction].flat().join(',')}` })),
          ...logRefs(counts),
        ],
        fix: first?.scps.role === 'callers'
          ? `The SCP binds the callers' account ${first.scps.accountId}, not the API's: ask that organization's administrators to exempt the calling roles from ${first.policy.name ?? first.policy.id} (a Condition on aws:PrincipalArn) or to allow execute-api:Invoke on ${input.target.restApiId}; nothing in the API's account can override it.`
          : `Exempt the callers' roles from ${first?.policy.name ?? 'the SCP'} (a Condition on aws:PrincipalArn) or call the API from an account the SCP does not cover; change it from the management account.`,
      }),
    ];
  },
});
