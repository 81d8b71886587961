import type { Severity } from '../../core/finding.js';
import type { SourceId } from '../../core/evidence.js';
import { signaturesFor, type SignatureCount } from '../execution-log-classifier.js';
import { finding, requireAnySource, stagesInScope } from '../helpers.js';
import { assess, belowThresholdNote, describeCounts, logRefs, logSummaryOf, proportionalSeverity, proportionText, type Threshold } from '../log-evidence.js';
import { defineRule, type Rule, type RuleInput } from '../types.js';

/**
 * Several causes are recognised purely by their log signatures (I3, I4, I6, T1, T2). This builds
 * such a rule: weigh the counts against their traffic (see `assess`), explain the significant
 * ones with a severity that follows their share and recency, and add rule-specific context and
 * fix. Below the threshold, a low "seen N times" note at most.
 */
export function defineLogCauseRule(spec: {
  id: string;
  severity: Severity;
  title: string;
  signatures: string[];
  sources: SourceId[];
  cannotRuleOut: string;
  /** Defaults to DEFAULT_THRESHOLD; documented per rule in docs/rules.md. */
  threshold?: Threshold;
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
      const all = signaturesFor(summary, { signatures: spec.signatures, stages: stagesInScope(input).map((s) => s.stageName) }).filter((c) =>
        spec.sources.includes(c.source),
      );
      const assessment = assess(input, all, spec.threshold);
      const counts = assessment.counts;
      if (!counts.length) return belowThresholdNote(this, input, assessment, spec.title);
      const { detail, fix, evidence = [] } = spec.explain(counts, input);
      return [
        finding(this, {
          severity: proportionalSeverity(spec.severity, assessment),
          detail: `${describeCounts(counts)}. ${proportionText(input, assessment)} ${detail}`,
          evidence: [...logRefs(counts), ...evidence],
          fix,
        }),
      ];
    },
  });
}
