import type { CapturedCall, ScenarioWriter } from '../../core/recording.js';
import { itemsOf, text, type Json } from '../record.js';

/**
 * Service control policies, under the account they apply to (`organizations.policies`):
 * ListPoliciesForTarget names them for an account, DescribePolicy gives each one's content.
 */
const ACCOUNT_ID = /^\d{12}$/;

export function recordScps(calls: readonly CapturedCall[], w: ScenarioWriter): void {
  const applies = new Map<string, string[]>();
  for (const call of calls) {
    if (call.service !== 'organizations' || call.operation !== 'ListPoliciesForTarget' || !call.output) continue;
    const target = text(call.input.TargetId);
    if (!target) continue;
    // A root's or an OU's policies: no account holds them in the scenario, so they replay verbatim.
    if (!ACCOUNT_ID.test(target)) {
      w.answer(call);
      continue;
    }
    // An account with no policy listed is still in the organization: its section says so.
    w.put(target, ['organizations'], {});
    for (const policy of itemsOf(call.output, 'Policies')) {
      const Id = text(policy.Id);
      if (!Id) continue;
      applies.set(Id, [...(applies.get(Id) ?? []), target]);
      w.put(target, ['organizations', 'policies', { Id }], { ...(text(policy.Name) ? { Name: policy.Name } : {}), ...(text(policy.Arn) ? { Arn: policy.Arn } : {}) });
    }
  }
  for (const call of calls) {
    // The path up to the root (OUs): the sandbox knows one root and no OUs, so it replays verbatim.
    if (call.service === 'organizations' && call.operation === 'ListParents' && call.output) w.answer(call);
    if (call.service !== 'organizations' || call.operation !== 'DescribePolicy' || !call.output) continue;
    const policy = call.output.Policy as Json | undefined;
    const Id = text((policy?.PolicySummary as Json | undefined)?.Id) ?? text(call.input.PolicyId);
    if (!Id || typeof policy?.Content !== 'string') continue;
    const targets = applies.get(Id) ?? [];
    if (targets.length === 0) w.answer(call);
    for (const target of targets) w.put(target, ['organizations', 'policies', { Id }], { Content: policy.Content });
  }
}
