import type { SourceId } from '../../core/evidence.js';
import type { Severity } from '../../core/finding.js';
import { countFailures, fromSignatures, type Family } from '../counting/index.js';
import { signaturesFor, type SignatureCount } from '../execution-log-classifier.js';
import { finding, requireAnySource, stagesInScope } from '../helpers.js';
import { logRefs, logSummaryOf } from '../log-evidence.js';
import { defineRule, type Rule, type RuleInput } from '../types.js';

/**
 * Several causes are recognised purely by their log signatures (I3, I4, I6, I7, I8, T1, T2, T3,
 * A5). This builds such a rule on the counting model: the signatures' counts per stage, route and
 * function, weighed against each scope's traffic over the whole window (see `countFailures`);
 * past the family's threshold, a finding whose severity follows the share and whether it is still
 * happening, with its figures; below it, a low "seen N times" note at most.
 */
export function defineLogCauseRule(spec: {
  id: string;
  severity: Severity;
  title: string;
  /** What is counted, in the finding's words (`Lambda function errors (502)`). */
  what: string;
  signatures: string[];
  sources: SourceId[];
  cannotRuleOut: string;
  /** The row of the threshold table (docs/rules.md); `server` by default. */
  family?: Family;
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
      const counts = signaturesFor(summary, { signatures: spec.signatures, stages: stagesInScope(input).map((s) => s.stageName) }).filter((c) => spec.sources.includes(c.source));
      const count = countFailures(input, { what: spec.what, family: spec.family ?? 'server', tallies: fromSignatures(input, counts) });
      if (!count.passes) return count.note(this);
      const { detail, fix, evidence = [] } = spec.explain(counts, input);
      return [
        finding(this, {
          severity: count.severity(spec.severity),
          detail: `${count.text()} ${detail}`,
          evidence: [...logRefs(counts), ...evidence],
          fix,
          figures: count.figures,
        }),
      ];
    },
  });
}
