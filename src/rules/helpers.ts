import type { CoverageError, CoverageRow } from '../core/coverage.js';
import type { EvidenceMap, SourceId, StageEvidence } from '../core/evidence.js';
import type { EvidenceRef, Figure, Finding, Severity } from '../core/finding.js';
import { trimEndWhile } from '../core/trim.js';
import type { Rule, RuleInput } from './types.js';

export function coverageRow(input: RuleInput, source: string): CoverageRow | undefined {
  return input.coverage.find((row) => row.source === source);
}

/**
 * What happened to a failed read, as a verb phrase to follow its subject ("cloudtrail.denies
 * …", "The CloudTrail lookup …"): worded for every error kind, the error's own one-line text
 * where it adds something.
 */
export function failurePhrase(error: CoverageError | undefined): string {
  if (!error) return 'failed';
  switch (error.kind) {
    case 'access_denied':
      return `was refused${error.action ? ` (${error.action})` : ''}`;
    case 'dependency_failed':
      return `could not run (${error.dependency ?? 'a dependency'} failed)`;
    case 'throttled':
      return 'was throttled by AWS, even after retries';
    case 'timeout':
      return 'did not finish in time';
    case 'not_found':
      return `found nothing to read (${error.message})`;
    case 'invalid_input':
      return `was rejected as invalid input (${error.message})`;
    default:
      // service_error and unknown: the message is the one line that explains it.
      return `could not be read: ${error.message}`;
  }
}

/**
 * Why a source cannot be used, or undefined when it can. A source "failed" when its row says
 * `error`, or when there is neither a row nor evidence (it never ran). `not_applicable`,
 * `not_configured` and `empty` are answers, not failures: a rule treats them as "nothing there".
 */
export function sourceFailure(input: RuleInput, source: SourceId): string | undefined {
  const row = coverageRow(input, source);
  if (row?.status === 'error') return `${source} ${failurePhrase(row.error)}`;
  if (!row && input.evidence[source] === undefined) return `${source} was not collected`;
  return undefined;
}

/** The evidence of a source, or undefined when the source produced none. */
export function evidenceOf<K extends SourceId>(input: RuleInput, source: K): EvidenceMap[K] | undefined {
  return input.evidence[source] as EvidenceMap[K] | undefined;
}

/** One input a rule could not use: the source, why (for the reader) and, when known, what to do about it. */
export interface SourceFailure {
  source: string;
  why: string;
  fix?: string;
}

/**
 * What to do about a failed source, from its coverage row: the row's own hint first (the runner
 * writes one per error kind), else one built from the error kind. Worded to follow "<source>: ".
 */
export function fixForSource(input: RuleInput, source: string): string {
  const row = coverageRow(input, source);
  if (!row) return 'it was not collected (the run may have stopped at its deadline)';
  if (row.hint) return row.hint;
  const error = row.error;
  switch (error?.kind) {
    case 'access_denied':
      return `grant ${error.action ?? 'the read access it needs'} to the firebreak role`;
    case 'throttled':
      return 'AWS throttled the reads; wait a minute, or narrow --since';
    case 'timeout':
      return 'the reads did not finish in time; narrow --since';
    case 'dependency_failed':
      return `fix ${error.dependency ?? 'what it depends on'} first`;
    case 'not_found':
      return 'check the API id, stage and region';
    case 'invalid_input':
      return 'check the API id, stage, region and time window';
    case 'service_error':
      return 'the service failed on its side; run again in a few minutes';
    default:
      return 'run again, and report it if it fails the same way again';
  }
}

/** Findings that say what could not be ruled out, so a reader knows the silence is not a clean bill. */
export function inconclusive(rule: Rule, cannotRuleOut: string, failures: SourceFailure[]): Finding {
  const because = failures.map((f) => f.why).join('; ');
  // One line per distinct fix: "logs.execution, logs.access: fix apigw.stages first."
  const sourcesByFix = new Map<string, string[]>();
  for (const f of failures) {
    const fix = trimEndWhile(f.fix ?? 'make it readable', (c) => c === '.' || c === ';' || c === ':' || /\s/.test(c));
    sourcesByFix.set(fix, [...(sourcesByFix.get(fix) ?? []), f.source]);
  }
  const fixes = [...sourcesByFix].map(([fix, sources]) => `${[...new Set(sources)].join(', ')}: ${fix}.`);
  return {
    rule: rule.id,
    severity: 'low',
    title: `Cannot rule out: ${cannotRuleOut}`,
    detail: `cannot rule out ${cannotRuleOut}: ${because}.`,
    evidence: failures.map((f) => ({ source: f.source, quote: f.why })),
    fix: `${fixes.join(' ')} Then run the investigation again.`,
    inconclusive: true,
  };
}

/**
 * The apigw.stages row when the targeted stage does not exist. R1 reports that on its own; every
 * other input that is missing only because of it is not worth a "cannot rule out" finding.
 */
export function missingTargetStage(input: RuleInput): CoverageRow | undefined {
  if (!input.target.stage) return undefined;
  const row = coverageRow(input, 'apigw.stages');
  return row?.status === 'error' && row.error?.kind === 'not_found' ? row : undefined;
}

/** True when `source` failed only because the targeted stage does not exist (directly or through its dependencies). */
function failedForMissingStage(input: RuleInput, source: string): boolean {
  if (!missingTargetStage(input)) return false;
  let current: string | undefined = source;
  // Bounded walk up the dependency chain: a cycle is reported by the runner, never by a rule.
  for (let depth = 0; current && depth < 10; depth += 1) {
    if (current === 'apigw.stages') return true;
    const error: CoverageRow['error'] = coverageRow(input, current)?.error;
    current = error?.kind === 'dependency_failed' ? error.dependency : undefined;
  }
  return false;
}

function failuresOf(input: RuleInput, sources: SourceId[]): SourceFailure[] {
  return sources.flatMap((source) => {
    const why = sourceFailure(input, source);
    return why ? [{ source, why, fix: fixForSource(input, source) }] : [];
  });
}

/**
 * The common guard at the top of a rule: when any of `required` failed, returns the inconclusive
 * finding to emit instead of deciding (none when every failure is the missing target stage, which
 * R1 reports); otherwise undefined and the rule proceeds.
 */
export function requireSources(
  input: RuleInput,
  rule: Rule,
  required: SourceId[],
  cannotRuleOut: string,
): Finding[] | undefined {
  const failures = failuresOf(input, required);
  if (!failures.length) return undefined;
  if (failures.every((f) => failedForMissingStage(input, f.source))) return [];
  return [inconclusive(rule, cannotRuleOut, failures)];
}

/** Like requireSources, but the rule can decide from any one of `alternatives` (e.g. execution or access logs). */
export function requireAnySource(
  input: RuleInput,
  rule: Rule,
  alternatives: SourceId[],
  cannotRuleOut: string,
): Finding[] | undefined {
  const failures = failuresOf(input, alternatives);
  if (failures.length < alternatives.length) return undefined;
  if (failures.every((f) => failedForMissingStage(input, f.source))) return [];
  return [inconclusive(rule, cannotRuleOut, failures)];
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
  parts: { title?: string; detail: string; evidence: EvidenceRef[]; fix: string; severity?: Severity; figures?: Figure[] },
): Finding {
  return {
    rule: rule.id,
    severity: parts.severity ?? rule.severity,
    title: parts.title ?? rule.title,
    detail: parts.detail,
    evidence: parts.evidence,
    fix: parts.fix,
    ...(parts.figures?.length ? { figures: parts.figures } : {}),
  };
}

/**
 * Keeps quotes short. A cut value is dropped whole (a secret cut in half would no longer match its
 * redaction pattern at the egress boundary, so its head must not be kept).
 */
export function clip(text: string, max = 200): string {
  return text.length > max ? `${trimEndWhile(text.slice(0, max - 1), (c) => !/[\s"',;&(){}<>]/.test(c))}…` : text;
}

export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** The account id in an ARN, when there is one. */
export function accountOfArn(arn: string | undefined): string | undefined {
  return arn?.split(':')[4] || undefined;
}
