import { createHash } from 'node:crypto';
import type { EvidenceDescriber } from '../core/describe.js';
import type { BundleSummary, Investigation } from '../core/report.js';
import { incidentFingerprint } from './fingerprint.js';
import { makeTemplater } from './log-lines.js';
import { BUDGETS, packSections, type BudgetName, type PackableSection } from './pack.js';
import { addCounts, countMarkers, redact, redactLine } from './redact.js';
import { renderPlain, renderSections } from './render.js';
import { focusPlan, leftOutNote, PROTECTED_SECTIONS, SECTION_ORDER } from './sections.js';
import { estimateTokens } from './tokens.js';

export type { BudgetName } from './pack.js';
export { renderPlain } from './render.js';

export interface BundleOptions {
  /** A budget name or a number of estimated tokens. Default: medium. */
  budget?: BudgetName | number;
  /** Token counts for the budget names (configuration's `bundle.budgets`). */
  budgets?: Partial<Record<BudgetName, number>>;
  /** What the user added ("it started after the 14:00 deploy"); redacted like everything else. */
  context?: string;
  /** Section names to include (see SECTION_ORDER); default all. Findings and coverage always are. */
  sections?: readonly string[];
  maskAccountIds?: boolean;
  maskIps?: boolean;
  /**
   * The sources' `describe` steps (`allDescribers()` in src/sources/registry.ts): the
   * configuration section. Without them the bundle has no configuration lines.
   */
  describers?: readonly EvidenceDescriber[];
}

function resolveBudget(options: BundleOptions): { name: string; tokens: number } {
  const budget = options.budget ?? 'medium';
  if (typeof budget === 'number') {
    if (!Number.isFinite(budget) || budget <= 0) throw new Error(`bundle budget must be a positive number of tokens, got ${budget}`);
    return { name: String(Math.floor(budget)), tokens: Math.floor(budget) };
  }
  const tokens = options.budgets?.[budget] ?? BUDGETS[budget];
  if (tokens === undefined) throw new Error(`unknown bundle budget "${String(budget)}" (small, medium, large or a number)`);
  return { name: budget, tokens };
}

/**
 * The text that would go to a model: sections by priority, redacted, packed to the budget,
 * hashed. Pure and deterministic: the same investigation and options give the same sha256.
 */
export function buildBundle(investigation: Investigation, options: BundleOptions = {}): BundleSummary {
  const budget = resolveBudget(options);
  const wanted = options.sections ? new Set(options.sections) : undefined;
  if (wanted) {
    const unknown = [...wanted].filter((name) => !(SECTION_ORDER as readonly string[]).includes(name));
    if (unknown.length > 0) throw new Error(`unknown bundle section(s): ${unknown.join(', ')} (known: ${SECTION_ORDER.join(', ')})`);
  }
  const redactOptions = { maskAccountIds: options.maskAccountIds ?? false, maskIps: options.maskIps ?? false };

  // Log lines are redacted before templating (a template's sample values have lost the context
  // that marks them as secrets); then each section is redacted as a whole text (a PEM block spans
  // lines) before packing, so token counts are those of the text that is sent.
  const prepare = (line: string) => redactLine(line, redactOptions);
  const templater = makeTemplater(prepare);
  // Sections asked for by name are sent as asked; otherwise a cause named with high confidence
  // focuses the bundle on what it needs (and says what was left out).
  const focus = wanted ? undefined : focusPlan(investigation);
  const leftOut = new Set<string>(focus?.leftOut.map((s) => s.name) ?? []);
  const packable: PackableSection[] = renderSections(investigation, options.context, prepare, focus, templater, options.describers)
    .filter((s) => (!wanted || wanted.has(s.name) || PROTECTED_SECTIONS.has(s.name)) && !leftOut.has(s.name))
    .map((s) => ({
      name: s.name,
      heading: s.heading,
      lines: s.lines.length > 0 ? redact(s.lines.join('\n'), redactOptions).text.split('\n') : ['(nothing collected)'],
      protected: PROTECTED_SECTIONS.has(s.name),
    }));

  const packed = packSections(packable, budget.tokens, focus?.leftOut.length ? leftOutNote(focus) : undefined);
  // Count what is in the final text: redactions inside dropped or cut lines never leave.
  const redactions = addCounts({}, countMarkers(packed.text));
  // The same templater: the logs are templated once for the text and the fingerprint.
  const incident = incidentFingerprint(investigation, {
    ...(options.context ? { context: options.context } : {}),
    ...(options.sections ? { sections: options.sections } : {}),
    budget: budget.name,
    templater,
    ...(options.describers ? { describers: options.describers } : {}),
  });
  return {
    tokens: estimateTokens(packed.text),
    rawTokens: estimateTokens(renderPlain(investigation, options.describers)),
    sections: [...packed.sections, ...(focus?.leftOut ?? []).map((s) => ({ name: s.name, tokens: 0, truncated: true, leftOut: s.reason }))],
    redactions,
    sha256: createHash('sha256').update(packed.text).digest('hex'),
    fingerprint: incident.fingerprint,
    errorCount: incident.errorCount,
    budget: budget.name,
    text: packed.text,
  };
}
