import { describe, expect, it } from 'vitest';
import { BUDGETS, packSections, truncationMarker, type PackableSection } from '../../src/bundle/pack.js';
import { estimateTokens } from '../../src/bundle/tokens.js';

function make(name: string, lineCount: number, isProtected = false): PackableSection {
  return {
    name,
    heading: `## ${name}`,
    lines: Array.from({ length: lineCount }, (_, i) => `${name} fact number ${i} with some words in it`),
    protected: isProtected,
  };
}

const SECTIONS = [make('findings', 20, true), make('coverage', 20, true), make('configuration', 100), make('log-errors', 200), make('traffic', 300)];

describe('packSections', () => {
  it('keeps everything when it fits', () => {
    const packed = packSections(SECTIONS, 1_000_000);
    expect(packed.dropped).toEqual([]);
    expect(packed.sections.every((s) => !s.truncated)).toBe(true);
    expect(packed.text).not.toContain('[truncated');
  });

  it('drops the lowest priority first, then truncates the next with a visible marker', () => {
    const full = estimateTokens(packSections(SECTIONS, 1_000_000).text);
    const budget = Math.floor(full * 0.5);
    const packed = packSections(SECTIONS, budget);
    expect(estimateTokens(packed.text)).toBeLessThanOrEqual(budget);
    expect(packed.dropped).toEqual(['traffic']);
    expect(packed.text).toContain('## omitted to fit the token budget: traffic');
    const byName = Object.fromEntries(packed.sections.map((s) => [s.name, s]));
    expect(byName.traffic).toEqual({ name: 'traffic', tokens: 0, truncated: true });
    expect(byName['log-errors']?.truncated).toBe(true);
    expect(byName.configuration?.truncated).toBe(false);
    expect(byName.findings?.truncated).toBe(false);
    expect(packed.text).toMatch(/… \[truncated: kept \d+ of 200 lines\]/);
    // Truncation cuts from the end: the first lines survive.
    expect(packed.text).toContain('log-errors fact number 0 ');
    expect(packed.text).not.toContain('log-errors fact number 199 ');
  });

  it('never drops findings or coverage, truncating them last', () => {
    const packed = packSections(SECTIONS, 150);
    expect(packed.dropped).toEqual(['configuration', 'log-errors', 'traffic']);
    expect(packed.text).toContain('## findings');
    expect(packed.text).toContain('## coverage');
    expect(estimateTokens(packed.text)).toBeLessThanOrEqual(150);
    expect(packed.sections.find((s) => s.name === 'coverage')?.truncated).toBe(true);
  });

  it('reports per-section tokens that add up to about the total', () => {
    const packed = packSections(SECTIONS, BUDGETS.small);
    const sum = packed.sections.reduce((n, s) => n + s.tokens, 0);
    const total = estimateTokens(packed.text);
    expect(total).toBeLessThanOrEqual(BUDGETS.small);
    expect(Math.abs(total - sum)).toBeLessThan(20);
  });

  it('formats the marker as documented', () => {
    expect(truncationMarker(40, 212)).toBe('… [truncated: kept 40 of 212 lines]');
  });
});
