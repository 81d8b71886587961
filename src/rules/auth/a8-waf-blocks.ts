import { signaturesFor } from '../execution-log-classifier.js';
import { evidenceOf, finding, requireAnySource, stagesInScope } from '../helpers.js';
import { countFailures, fromSignatures } from '../counting/index.js';
import { logRefs, logSummaryOf } from '../log-evidence.js';
import { defineRule } from '../types.js';

/** A8: AWS WAF runs before every other check; its blocks come back as 403 Forbidden (WAF_FILTERED). */
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
    const blocking = acls.flatMap((acl) => acl.rules.filter((r) => /block/i.test(r.action ?? '')).map((r) => ({ acl, rule: r })));
    return [
      finding(this, {
        severity: count.severity(this.severity),
        figures: count.figures,
        detail: `${count.text()}${blocking.length ? ` Blocking rules: ${blocking.map((b) => `${b.acl.name ?? b.acl.webAclArn} / ${b.rule.name}`).join(', ')}.` : ''} WAF decides before resource policies and authorizers.`,
        evidence: [
          ...logRefs(counts),
          ...blocking.slice(0, 3).map((b) => ({ source: 'waf.web-acl', key: b.acl.stage, quote: `${b.acl.name ?? b.acl.webAclArn} rule ${b.rule.name} (priority ${b.rule.priority ?? '?'}) action ${b.rule.action}` })),
        ],
        fix: `Find the terminating rule in the WAF logs of ${blocking[0]?.acl.name ?? 'the web ACL'} and exclude the legitimate callers (or switch the rule to Count while investigating).`,
      }),
    ];
  },
});
