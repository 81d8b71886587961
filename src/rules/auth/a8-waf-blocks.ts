import type { CloudTrailEventEvidence, WafEvidence } from '../../core/evidence.js';
import { signaturesFor } from '../execution-log-classifier.js';
import { evidenceOf, finding, requireAnySource, stagesInScope } from '../helpers.js';
import { countFailures, fromSignatures } from '../counting/index.js';
import { logRefs, logSummaryOf } from '../log-evidence.js';
import { defineRule, type RuleInput } from '../types.js';

/** One rule whose action a CloudTrail write of the web ACL changed. */
export interface WafRuleChange {
  rule: string;
  /** Before: `COUNT`, `BLOCK`, `COUNT (override)`, `RULE_GROUP`…, or `absent` (the rule was added). */
  from: string;
  to: string;
  event: CloudTrailEventEvidence;
}

const WAF_WRITES = new Set(['CreateWebACL', 'UpdateWebACL']);
const BLOCKING = new Set(['BLOCK', 'RULE_GROUP']);

/** A rule's effective action as CloudTrail records it (camelCase request parameters), named like waf.web-acl names it. */
function actionOf(rule: Record<string, unknown>): string {
  const pick = (value: unknown) => (value && typeof value === 'object' ? Object.keys(value)[0] : undefined);
  const own = pick(rule.action);
  if (own) return own.toUpperCase();
  const override = pick(rule.overrideAction);
  if (override === 'count') return 'COUNT (override)';
  if (override === 'none') return 'RULE_GROUP';
  return 'unknown';
}

function rulesOf(event: CloudTrailEventEvidence): Map<string, string> | undefined {
  const rules = event.requestParameters?.rules;
  if (!Array.isArray(rules)) return undefined;
  return new Map(rules.flatMap((r) => (r && typeof r === 'object' && typeof (r as { name?: unknown }).name === 'string' ? [[(r as { name: string }).name, actionOf(r as Record<string, unknown>)] as const] : [])));
}

/**
 * The rules of a web ACL whose action changed to blocking, newest change first: each CloudTrail
 * `UpdateWebACL` (after) against the write of the same ACL before it (before), in the lookback
 * `cloudtrail.changes` read. The first write in the lookback has no "before": it is not judged.
 */
export function blockingChanges(input: RuleInput, acl: WafEvidence): WafRuleChange[] {
  const id = acl.webAclArn.split('/').at(-1) ?? '';
  const writes = (evidenceOf(input, 'cloudtrail.changes') ?? [])
    .filter((e) => WAF_WRITES.has(e.eventName) && (e.requestParameters?.id === id || JSON.stringify(e.requestParameters ?? {}).includes(id)) && !e.errorCode)
    .sort((a, b) => a.eventTime.localeCompare(b.eventTime));
  const changes: WafRuleChange[] = [];
  for (let i = 1; i < writes.length; i++) {
    const before = rulesOf(writes[i - 1] as CloudTrailEventEvidence);
    const after = rulesOf(writes[i] as CloudTrailEventEvidence);
    if (!before || !after) continue;
    for (const [rule, to] of after) {
      const from = before.get(rule) ?? 'absent';
      if (from !== to && BLOCKING.has(to) && !BLOCKING.has(from)) changes.push({ rule, from, to, event: writes[i] as CloudTrailEventEvidence });
    }
  }
  // Only rules that still block now (the web ACL as read) explain today's blocks.
  const blockingNow = new Set(acl.rules.filter((r) => /block|rule_group/i.test(r.action ?? '')).map((r) => r.name));
  return changes.filter((c) => blockingNow.size === 0 || blockingNow.has(c.rule)).sort((a, b) => b.event.eventTime.localeCompare(a.event.eventTime));
}

/**
 * A8: AWS WAF runs before every other check; its blocks come back as 403 Forbidden (WAF_FILTERED).
 * When several rules block, the one whose action changed to Block (CloudTrail UpdateWebACL, before
 * and after) is named first: API Gateway's logs do not say which rule terminated a request.
 */
export const a8WafBlocks = defineRule({
  id: 'A8.waf-blocks',
  severity: 'high',
  title: 'AWS WAF blocks a significant share of requests',
  evaluate(input) {
    const stages = stagesInScope(input);
    if (!stages.some((s) => s.webAclArn)) return [];
    const blocked = requireAnySource(input, this, ['logs.access', 'logs.execution'], 'AWS WAF blocking callers (no access or execution logs)');
    if (blocked) return blocked;
    const summary = logSummaryOf(input);
    const counts = signaturesFor(summary, { causes: ['A8'], stages: stages.map((s) => s.stageName) });
    const count = countFailures(input, { what: 'Requests blocked by AWS WAF (403)', family: 'client', tallies: fromSignatures(input, counts) });
    if (!count.passes) return [];
    const acls = evidenceOf(input, 'waf.web-acl') ?? [];
    const changed = acls.flatMap((acl) => blockingChanges(input, acl).map((change) => ({ acl, change })));
    const blocking = acls
      .flatMap((acl) => acl.rules.filter((r) => /block/i.test(r.action ?? '')).map((r) => ({ acl, rule: r })))
      // The rule switched to Block first: the likeliest to block what used to pass.
      .sort((a, b) => Number(changed.some((c) => c.acl === b.acl && c.change.rule === b.rule.name)) - Number(changed.some((c) => c.acl === a.acl && c.change.rule === a.rule.name)));
    const top = changed[0];
    const changeText = top
      ? ` Rule ${top.change.rule} of ${top.acl.name ?? top.acl.webAclArn} was switched from ${top.change.from === 'absent' ? 'absent (added)' : top.change.from} to ${top.change.to} at ${top.change.event.eventTime}${top.change.event.username ? ` by ${top.change.event.username}` : ''} (CloudTrail ${top.change.event.eventName}): the likeliest rule to block what passed before.`
      : '';
    const acl = top?.acl ?? blocking[0]?.acl;
    return [
      finding(this, {
        severity: count.severity(this.severity),
        figures: count.figures,
        detail: `${count.text()}${changeText}${blocking.length ? ` Blocking rules: ${blocking.map((b) => `${b.acl.name ?? b.acl.webAclArn} / ${b.rule.name}`).join(', ')}.` : ''} WAF decides before resource policies and authorizers.`,
        evidence: [
          ...logRefs(counts),
          ...(top ? [{ source: 'cloudtrail.changes', key: top.change.event.eventId, quote: `${top.change.event.eventName} ${top.change.event.eventTime}${top.change.event.username ? ` by ${top.change.event.username}` : ''}: rule ${top.change.rule} ${top.change.from} → ${top.change.to}` }] : []),
          ...blocking.slice(0, 3).map((b) => ({ source: 'waf.web-acl', key: b.acl.stage, quote: `${b.acl.name ?? b.acl.webAclArn} rule ${b.rule.name} (priority ${b.rule.priority ?? '?'}) action ${b.rule.action}` })),
        ],
        fix: top
          ? `Set rule ${top.change.rule} of ${top.acl.name ?? 'the web ACL'} back to Count (aws wafv2 update-web-acl …) while you check its matches in the WAF logs or sampled requests, then exclude the legitimate callers before blocking again.`
          : `Find the terminating rule in the WAF logs of ${acl?.name ?? 'the web ACL'} and exclude the legitimate callers (or switch the rule to Count while investigating).`,
      }),
    ];
  },
});
