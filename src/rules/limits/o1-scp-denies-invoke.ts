import { signaturesFor } from '../execution-log-classifier.js';
import { evidenceOf, finding, inconclusive, fixForSource, sourceFailure, stagesInScope } from '../helpers.js';
import { countFailures, fromSignatures } from '../counting/index.js';
import { logRefs, logSummaryOf } from '../log-evidence.js';
import { conditionsMatch, coversAction } from '../policy.js';
import { defineRule } from '../types.js';

/**
 * O1: a service control policy denies execute-api:Invoke to IAM principals of the account. Invokes
 * are not in CloudTrail, so the check is static: the SCPs that apply (Organizations reads, often
 * refused outside the management account: then "cannot rule out"). Only AWS_IAM callers are
 * affected. A denial quoting "service control policy" in the logs is decisive on its own.
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
    const scps = evidenceOf(input, 'org.scps') ?? [];
    const denying = scps.flatMap((e) =>
      e.policies.flatMap((p) =>
        (p.policy?.Statement ?? [])
          .filter((s) => s.Effect === 'Deny' && coversAction(s, 'execute-api:Invoke') && conditionsMatch(s, {}) !== 'no')
          .map((s) => ({ account: e.accountId, policy: p, statement: s, conditional: conditionsMatch(s, {}) === 'unknown' })),
      ),
    );
    if (!denying.length && !counts.length) {
      if (!iamMethods.length) return [];
      const failed = sourceFailure(input, 'org.scps');
      return failed ? [inconclusive(this, 'a service control policy denying execute-api:Invoke to the IAM callers', [{ source: 'org.scps', why: failed, fix: `${fixForSource(input, 'org.scps')} (Organizations answers only the management or a delegated-admin account)` }])] : [];
    }
    const unconditional = denying.filter((d) => !d.conditional);
    return [
      finding(this, {
        ...(counts.length || unconditional.length ? {} : { severity: 'medium' as const }),
        detail: [
          denying.length
            ? `${denying.map((d) => `SCP ${d.policy.name ?? d.policy.id} (${d.policy.id}) on account ${d.account} denies execute-api:Invoke${d.statement.Sid ? ` in ${d.statement.Sid}` : ''}${d.conditional ? ' under conditions firebreak cannot evaluate' : ''}`).join('; ')}.`
            : '',
          counts.length ? count.text() : '',
          `IAM principals of that account are refused whatever the resource and identity policies allow${iamMethods.length ? `; ${iamMethods.length} method(s) use AWS_IAM` : ''}.`,
        ].filter(Boolean).join(' '),
        evidence: [
          ...denying.slice(0, 3).map((d) => ({ source: 'org.scps', key: d.policy.id, quote: `${d.policy.name ?? d.policy.id}: Deny ${[d.statement.Action ?? d.statement.NotAction].flat().join(',')}` })),
          ...logRefs(counts),
        ],
        fix: `Exempt the callers' roles from ${denying[0]?.policy.name ?? 'the SCP'} (a Condition on aws:PrincipalArn) or call the API from an account the SCP does not cover; change it from the management account.`,
      }),
    ];
  },
});
