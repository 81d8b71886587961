import type { CoverageRow } from '../core/coverage.js';
import type { EvidenceMap, SourceId, StageEvidence } from '../core/evidence.js';
import type { EvidenceRef, Finding, Severity } from '../core/finding.js';
import type { Rule, RuleInput } from './types.js';

export function coverageRow(input: RuleInput, source: string): CoverageRow | undefined {
  return input.coverage.find((row) => row.source === source);
}

/**
 * Why a source cannot be used, or undefined when it can. A source "failed" when its row says
 * `error`, or when there is neither a row nor evidence (it never ran). `not_applicable`,
 * `not_configured` and `empty` are answers, not failures: a rule treats them as "nothing there".
 */
export function sourceFailure(input: RuleInput, source: SourceId): string | undefined {
  const row = coverageRow(input, source);
  if (row?.status === 'error') {
    const error = row.error;
    if (!error) return `${source} failed`;
    if (error.kind === 'access_denied') return `${source} was refused${error.action ? ` (${error.action})` : ''}`;
    if (error.kind === 'dependency_failed') return `${source} could not run (${error.dependency ?? 'a dependency'} failed)`;
    return `${source} failed (${error.kind}: ${error.message})`;
  }
  if (!row && input.evidence[source] === undefined) return `${source} was not collected`;
  return undefined;
}

/** The evidence of a source, or undefined when the source produced none. */
export function evidenceOf<K extends SourceId>(input: RuleInput, source: K): EvidenceMap[K] | undefined {
  return input.evidence[source] as EvidenceMap[K] | undefined;
}

/** Findings that say what could not be ruled out, so a reader knows the silence is not a clean bill. */
export function inconclusive(rule: Rule, cannotRuleOut: string, failures: { source: string; why: string }[]): Finding {
  const because = failures.map((f) => f.why).join('; ');
  return {
    rule: rule.id,
    severity: 'low',
    title: `Cannot rule out: ${cannotRuleOut}`,
    detail: `cannot rule out ${cannotRuleOut}: ${because}.`,
    evidence: failures.map((f) => ({ source: f.source, quote: f.why })),
    fix: 'Grant the missing read permission (or retry) and run the investigation again.',
    inconclusive: true,
  };
}

/**
 * The common guard at the top of a rule: when any of `required` failed, returns the inconclusive
 * finding to emit instead of deciding; otherwise undefined and the rule proceeds.
 */
export function requireSources(
  input: RuleInput,
  rule: Rule,
  required: SourceId[],
  cannotRuleOut: string,
): Finding[] | undefined {
  const failures = required.flatMap((source) => {
    const why = sourceFailure(input, source);
    return why ? [{ source, why }] : [];
  });
  return failures.length ? [inconclusive(rule, cannotRuleOut, failures)] : undefined;
}

/** Like requireSources, but the rule can decide from any one of `alternatives` (e.g. execution or access logs). */
export function requireAnySource(
  input: RuleInput,
  rule: Rule,
  alternatives: SourceId[],
  cannotRuleOut: string,
): Finding[] | undefined {
  const failures = alternatives.map((source) => ({ source, why: sourceFailure(input, source) }));
  if (failures.some((f) => f.why === undefined)) return undefined;
  return [inconclusive(rule, cannotRuleOut, failures.map((f) => ({ source: f.source, why: f.why ?? '' })))];
}

/** The stages in scope: only the target stage when one is named. */
export function stagesInScope(input: RuleInput): StageEvidence[] {
  const stages = evidenceOf(input, 'apigw.stages') ?? [];
  return input.target.stage ? stages.filter((s) => s.stageName === input.target.stage) : stages;
}

export function isPrivateApi(input: RuleInput): boolean {
  return evidenceOf(input, 'apigw.rest-api')?.endpointTypes.includes('PRIVATE') ?? false;
}

export function finding(
  rule: Rule,
  parts: { title?: string; detail: string; evidence: EvidenceRef[]; fix: string; severity?: Severity },
): Finding {
  return {
    rule: rule.id,
    severity: parts.severity ?? rule.severity,
    title: parts.title ?? rule.title,
    detail: parts.detail,
    evidence: parts.evidence,
    fix: parts.fix,
  };
}

export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** Keeps quotes short: the bundle and the Slack message carry them verbatim. */
export function clip(text: string, max = 200): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** The account id in an ARN, when there is one. */
export function accountOfArn(arn: string | undefined): string | undefined {
  return arn?.split(':')[4] || undefined;
}
