import { describe, expect, it } from 'vitest';
import { estimateTokens, tokenWeight } from '../../src/bundle/tokens.js';

describe('estimateTokens', () => {
  it('is about chars/4 for English and heavier for ids and JSON', () => {
    const prose = 'The integration timed out because the function was throttled by its reserved concurrency.';
    expect(estimateTokens(prose)).toBeGreaterThan(prose.length / 6);
    expect(estimateTokens(prose)).toBeLessThan(prose.length / 3);
    const uuid = 'fbcaf9e5-d535-40a1-891c-7b70118cf7e8';
    expect(estimateTokens(uuid)).toBeGreaterThan(uuid.length / 3);
    expect(estimateTokens('{"a":1,"b":[2,3]}')).toBeGreaterThan(8);
  });

  it('is zero for empty text and deterministic', () => {
    expect(estimateTokens('')).toBe(0);
    expect(estimateTokens('abc 123')).toBe(estimateTokens('abc 123'));
  });

  it('is additive over lines', () => {
    const a = 'Method completed with status: 502';
    const b = '  indented {"x": 1}';
    expect(tokenWeight(`${a}\n${b}`)).toBeCloseTo(tokenWeight(a) + tokenWeight('\n') + tokenWeight(b), 9);
  });

  it('counts non-ASCII characters and surrogate pairs once', () => {
    expect(estimateTokens('日本語')).toBe(3);
    expect(estimateTokens('😀')).toBe(1);
  });
});
