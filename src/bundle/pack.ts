import type { BundleSectionSummary } from '../core/report.js';
import { tokenWeight } from './tokens.js';

/** Default budgets in estimated tokens; configuration (`bundle.budgets`) may override them. */
export const BUDGETS = { small: 4_000, medium: 12_000, large: 32_000 } as const;
export type BudgetName = keyof typeof BUDGETS;

export interface PackableSection {
  name: string;
  heading: string;
  lines: readonly string[];
  /** Protected sections are never dropped, only truncated, and after every other section. */
  protected: boolean;
}

export interface PackResult {
  text: string;
  sections: BundleSectionSummary[];
  /** Sections left out entirely to fit the budget, in the order they were dropped. */
  dropped: string[];
}

export function truncationMarker(kept: number, total: number): string {
  return `… [truncated: kept ${kept} of ${total} lines]`;
}

export function omittedNote(names: readonly string[]): string {
  return `## omitted to fit the token budget: ${names.join(', ')}`;
}

const NEWLINE = tokenWeight('\n');
const SECTION_GAP = tokenWeight('\n\n');

interface State {
  section: PackableSection;
  headingWeight: number;
  /** prefix[k] = weight of the first k lines, each with its newline. */
  prefix: number[];
  kept: number;
  dropped: boolean;
}

function weightWith(state: State, kept: number): number {
  const total = state.section.lines.length;
  const marker = kept < total ? NEWLINE + tokenWeight(truncationMarker(kept, total)) : 0;
  return state.headingWeight + (state.prefix[kept] ?? 0) + marker;
}

/**
 * Fit sections (highest priority first) into `budget` estimated tokens: drop whole sections from
 * the lowest priority up, or cut the first one that can fit partly from its end (whole lines,
 * with a visible marker); protected sections are cut last and never dropped. Lines keep their
 * order, so each renderer puts its most important lines first.
 */
export function packSections(sections: readonly PackableSection[], budget: number, trailer?: string): PackResult {
  const states: State[] = sections.map((section) => {
    const prefix = [0];
    let sum = 0;
    for (const line of section.lines) {
      sum += NEWLINE + tokenWeight(line);
      prefix.push(sum);
    }
    return { section, headingWeight: tokenWeight(section.heading), prefix, kept: section.lines.length, dropped: false };
  });
  // One token of slack: the final estimate rounds the summed weight up; a trailer note always fits.
  const limit = budget - 1 - (trailer ? SECTION_GAP + tokenWeight(trailer) : 0);

  const dropped = (): State[] => states.filter((s) => s.dropped);
  const total = (): number => {
    const present = states.filter((s) => !s.dropped);
    let weight = present.reduce((sum, s) => sum + weightWith(s, s.kept), 0) + SECTION_GAP * Math.max(0, present.length - 1);
    const gone = dropped();
    if (gone.length > 0) weight += SECTION_GAP + tokenWeight(omittedNote(gone.map((s) => s.section.name)));
    return weight;
  };

  const reduceOrder = [...states.filter((s) => !s.section.protected).reverse(), ...states.filter((s) => s.section.protected).reverse()];
  for (const state of reduceOrder) {
    const current = total();
    if (current <= limit) break;
    const available = limit - (current - weightWith(state, state.kept));
    let kept = 0;
    for (let k = state.kept; k >= 0; k--) {
      if (weightWith(state, k) <= available) {
        kept = k;
        break;
      }
    }
    if (!state.section.protected && kept === 0) state.dropped = true;
    else state.kept = kept;
  }

  const parts: string[] = [];
  const summaries: BundleSectionSummary[] = [];
  for (const state of states) {
    const { section } = state;
    const truncated = state.dropped || state.kept < section.lines.length;
    if (state.dropped) {
      summaries.push({ name: section.name, tokens: 0, truncated: true });
      continue;
    }
    const lines = [section.heading, ...section.lines.slice(0, state.kept)];
    if (state.kept < section.lines.length) lines.push(truncationMarker(state.kept, section.lines.length));
    const text = lines.join('\n');
    parts.push(text);
    summaries.push({ name: section.name, tokens: Math.ceil(tokenWeight(text)), truncated });
  }
  const gone = dropped().map((s) => s.section.name);
  if (gone.length > 0) parts.push(omittedNote(gone));
  if (trailer) parts.push(trailer);
  return { text: parts.join('\n\n'), sections: summaries, dropped: gone };
}
