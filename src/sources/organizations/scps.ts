import { DescribePolicyCommand, ListPoliciesForTargetCommand, type PolicySummary } from '@aws-sdk/client-organizations';
import { errorName } from '../../aws/errors.js';
import type { ScpEvidence } from '../../core/evidence.js';
import { parsePolicyDocument } from '../apigw/policy.js';
import { homeAccountOf, listText, plural } from '../cross-account.js';
import { collectPages } from '../paginate.js';
import { defineSource } from '../types.js';

/**
 * O1: service control policies that apply to the API's account. SCPs restrict IAM principals only,
 * so this reads them only when a method uses AWS_IAM. Organizations answers only the management
 * or a delegated-admin account: elsewhere the read is refused, and the row says so (rules then
 * say what they cannot rule out).
 */
export const scpsSource = defineSource({
  id: 'org.scps',
  title: 'Service control policies',
  // Whether any method uses AWS_IAM decides whether SCPs matter at all.
  dependsOn: ['apigw.resources'],
  calls: { chain: 2, why: 'DescribePolicy needs the policy ids ListPoliciesForTarget returns' },
  after: ['apigw.rest-api'],
  async run(ctx) {
    const methods = ctx.evidence['apigw.resources'] ?? [];
    if (!methods.some((m) => m.authorizationType === 'AWS_IAM')) {
      return { status: 'not_applicable', reason: 'no method uses AWS_IAM: service control policies restrict IAM callers only' };
    }
    const accountId = ctx.evidence['apigw.rest-api']?.accountId ?? ctx.target.account ?? homeAccountOf(ctx);
    if (!accountId) return { status: 'not_applicable', reason: 'the API\'s account is unknown' };
    let summaries: PolicySummary[];
    try {
      const collected = await collectPages(async (token) => {
        const out = await ctx.aws.organizations.send(new ListPoliciesForTargetCommand({ TargetId: accountId, Filter: 'SERVICE_CONTROL_POLICY', ...(token ? { NextToken: token } : {}) }));
        return { items: out.Policies ?? [], ...(out.NextToken ? { next: out.NextToken } : {}) };
      }, ctx.limits);
      summaries = collected.items;
    } catch (err) {
      if (errorName(err) === 'AWSOrganizationsNotInUseException') {
        return { status: 'not_applicable', reason: `account ${accountId} is not in an organization: no SCP applies`, account: accountId };
      }
      throw err;
    }
    // Every attached policy's document at once, in the order they were listed.
    const evidence: ScpEvidence = {
      accountId,
      policies: await Promise.all(
        summaries.flatMap((summary) => (summary.Id ? [{ ...summary, Id: summary.Id }] : [])).map(async (summary) => {
          const out = await ctx.aws.organizations.send(new DescribePolicyCommand({ PolicyId: summary.Id }));
          const parsed = parsePolicyDocument(out.Policy?.Content);
          return {
            id: summary.Id,
            ...(summary.Name ? { name: summary.Name } : {}),
            ...(summary.Arn ? { arn: summary.Arn } : {}),
            policy: parsed.policy,
            ...(parsed.error ? { parseError: parsed.error } : {}),
          };
        }),
      ),
    };
    if (!evidence.policies.length) return { status: 'empty', evidence: [evidence], count: 0, reason: `no SCP attached for account ${accountId}`, account: accountId };
    return {
      status: 'ok',
      evidence: [evidence],
      count: evidence.policies.length,
      reason: `${plural(evidence.policies.length, 'SCP')} apply to account ${accountId}: ${listText(evidence.policies.map((p) => p.name ?? p.id))}`,
      account: accountId,
    };
  },
});
