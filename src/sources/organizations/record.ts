import type { CapturedCall, ScenarioWriter } from '../../core/recording.js';
import { itemsOf, text, type Json } from '../record.js';

/**
 * Service control policies, under the account they apply to (`organizations.policies`):
 * ListPoliciesForTarget names them for an account, DescribePolicy gives each one's content.
 */
export function recordScps(calls: readonly CapturedCall[], w: ScenarioWriter): void {
  const applies = new Map<string, string[]>();
  for (const call of calls) {
    if (call.service !== 'organizations' || call.operation !== 'ListPoliciesForTarget' || !call.output) continue;
    const target = text(call.input.TargetId);
    if (!target) continue;
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
    if (call.service !== 'organizations' || call.operation !== 'DescribePolicy' || !call.output) continue;
    const policy = call.output.Policy as Json | undefined;
    const Id = text((policy?.PolicySummary as Json | undefined)?.Id) ?? text(call.input.PolicyId);
    if (!Id || typeof policy?.Content !== 'string') continue;
    for (const target of applies.get(Id) ?? []) w.put(target, ['organizations', 'policies', { Id }], { Content: policy.Content });
  }
}
