import type { Severity } from '../../core/finding.js';
import type { SourceId } from '../../core/evidence.js';
import { signaturesFor, type SignatureCount } from '../execution-log-classifier.js';
import { finding, requireAnySource, stagesInScope } from '../helpers.js';
import { describeCounts, logRefs, logSummaryOf, significant } from '../log-evidence.js';
import { defineRule, type Rule, type RuleInput } from '../types.js';

/**
 * Several causes are recognised purely by their log signatures (I3, I4, I6, T1, T2). This builds
 * such a rule: find significant counts, explain them, add rule-specific context and fix.
 */
export function defineLogCauseRule(spec: {
  id: string;
  severity: Severity;
  title: string;
  signatures: string[];
  sources: SourceId[];
  cannotRuleOut: string;
  explain(counts: SignatureCount[], input: RuleInput): { detail: string; fix: string; evidence?: { source: string; key?: string; quote?: string }[] };
}): Rule {
  return defineRule({
    id: spec.id,
    severity: spec.severity,
    title: spec.title,
    evaluate(input) {
      const blocked = requireAnySource(input, this, spec.sources, spec.cannotRuleOut);
      if (blocked) return blocked;
      const summary = logSummaryOf(input);
      const counts = significant(summary, signaturesFor(summary, { signatures: spec.signatures, stages: stagesInScope(input).map((s) => s.stageName) }));
      if (!counts.length) return [];
      const { detail, fix, evidence = [] } = spec.explain(counts, input);
      return [finding(this, { detail: `${describeCounts(counts)}. ${detail}`, evidence: [...logRefs(counts), ...evidence], fix })];
    },
  });
}
