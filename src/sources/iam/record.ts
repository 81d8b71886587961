import type { CapturedCall, ScenarioWriter } from '../../core/recording.js';
import { itemsOf, text } from '../record.js';

/** Stands in for a document whose read failed (a fault replays the failure): the format needs one. */
const UNREAD_DOCUMENT = JSON.stringify({ Version: '2012-10-17', Statement: [] });

/** Lists before the reads they name, so a document read replaces its stand-in and never the reverse. */
const ORDER: Record<string, number> = { ListRolePolicies: 0, ListAttachedRolePolicies: 0, GetPolicy: 1 };

const decoded = (document: unknown) => {
  const encoded = text(document);
  return encoded === undefined ? undefined : decodeURIComponent(encoded);
};

/**
 * IAM's role-policy answers into each account's `iam` section, where the sandbox answers them
 * from: a role's inline policies (names, then documents, decoded: the sandbox encodes them as IAM
 * does) and attached policy ARNs, and the managed policies with their default version's document
 * (AWS managed ones too: an `arn:aws:iam::aws:policy/…` may be declared in any account). A role's
 * attached policies are one list across its pages, so the answers are written together.
 */
export function recordIamAnswers(calls: readonly CapturedCall[], w: ScenarioWriter): void {
  const answered = calls.filter((c) => c.service === 'iam' && c.output).sort((a, b) => (ORDER[a.operation] ?? 2) - (ORDER[b.operation] ?? 2));
  const attached = new Map<string, { account: string; RoleName: string; arns: string[] }>();
  for (const call of answered) {
    const out = call.output ?? {};
    const account = call.accountId;
    const RoleName = text(call.input.RoleName);
    const role = (name: string) => ['iam', 'roles', { RoleName: name }] as const;
    const PolicyArn = text(call.input.PolicyArn);
    const policy = (arn: string) => ['iam', 'policies', { Arn: arn }] as const;
    switch (call.operation) {
      case 'ListRolePolicies':
        if (!RoleName) break;
        w.put(account, role(RoleName), {});
        for (const PolicyName of Array.isArray(out.PolicyNames) ? out.PolicyNames : []) {
          if (typeof PolicyName === 'string') w.put(account, [...role(RoleName), 'inlinePolicies', { PolicyName }], { PolicyDocument: UNREAD_DOCUMENT });
        }
        break;
      case 'ListAttachedRolePolicies': {
        if (!RoleName) break;
        const key = `${account}\u0000${RoleName}`;
        const entry = attached.get(key) ?? { account, RoleName, arns: [] };
        attached.set(key, entry);
        for (const p of itemsOf(out, 'AttachedPolicies')) {
          const arn = text(p.PolicyArn);
          if (arn && !entry.arns.includes(arn)) entry.arns.push(arn);
        }
        break;
      }
      case 'GetRolePolicy': {
        const PolicyName = text(out.PolicyName) ?? text(call.input.PolicyName);
        const PolicyDocument = decoded(out.PolicyDocument);
        if (RoleName && PolicyName && PolicyDocument !== undefined) w.put(account, [...role(RoleName), 'inlinePolicies', { PolicyName }], { PolicyDocument });
        break;
      }
      case 'GetPolicy': {
        const found = out.Policy as Record<string, unknown> | undefined;
        const arn = text(found?.Arn) ?? PolicyArn;
        if (arn) w.put(account, policy(arn), { DefaultVersionId: text(found?.DefaultVersionId) ?? 'v1', Document: UNREAD_DOCUMENT });
        break;
      }
      case 'GetPolicyVersion': {
        const version = out.PolicyVersion as Record<string, unknown> | undefined;
        const Document = decoded(version?.Document);
        const VersionId = text(version?.VersionId) ?? text(call.input.VersionId);
        if (PolicyArn && Document !== undefined) w.put(account, policy(PolicyArn), { Document, ...(VersionId ? { DefaultVersionId: VersionId } : {}) });
        break;
      }
    }
  }
  for (const { account, RoleName, arns } of attached.values()) w.put(account, ['iam', 'roles', { RoleName }], { attachedPolicies: arns });
}
