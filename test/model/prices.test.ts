import { describe, expect, it } from 'vitest';
import { baseModelId, estimateCostUsd, minCacheTokens, priceFor } from '../../src/model/prices.js';

describe('prices', () => {
  const bundleCall = { inputTokens: 8_000, outputTokens: 800 };

  it('matches the reference worked example (8k in, 800 out)', () => {
    expect(estimateCostUsd(bundleCall, 'global.anthropic.claude-haiku-4-5-20251001-v1:0')).toBeCloseTo(0.012, 6);
    expect(estimateCostUsd(bundleCall, 'us.anthropic.claude-haiku-4-5-20251001-v1:0')).toBeCloseTo(0.0132, 6);
    expect(estimateCostUsd(bundleCall, 'global.anthropic.claude-sonnet-4-5-20250929-v1:0')).toBeCloseTo(0.036, 6);
    expect(estimateCostUsd(bundleCall, 'us.amazon.nova-lite-v1:0')).toBeCloseTo(0.000672, 6);
  });

  it('prices cache reads and writes apart from input', () => {
    const cost = estimateCostUsd({ inputTokens: 0, outputTokens: 0, cacheReadTokens: 1_000_000, cacheWriteTokens: 1_000_000 }, 'global.anthropic.claude-haiku-4-5-20251001-v1:0');
    expect(cost).toBeCloseTo(0.1 + 1.25, 6);
  });

  it('lets configuration override a price, by exact or base id', () => {
    const overrides = { 'anthropic.claude-haiku-4-5-20251001-v1:0': { input: 0.5, output: 1, cacheRead: 0, cacheWrite: 0 } };
    expect(priceFor('us.anthropic.claude-haiku-4-5-20251001-v1:0', overrides).input).toBe(0.5);
  });

  it('prices an unknown model high rather than free', () => {
    expect(priceFor('us.example.unknown-model-v1:0').output).toBeGreaterThan(10);
  });

  it('knows the minimum cacheable prefix per model', () => {
    expect(minCacheTokens('us.anthropic.claude-haiku-4-5-20251001-v1:0')).toBe(4_096);
    expect(minCacheTokens('global.anthropic.claude-sonnet-4-5-20250929-v1:0')).toBe(1_024);
  });

  it('strips profile prefixes and ARNs', () => {
    expect(baseModelId('arn:aws:bedrock:us-east-1:111122223333:inference-profile/us.amazon.nova-lite-v1:0')).toBe('amazon.nova-lite-v1:0');
  });
});
