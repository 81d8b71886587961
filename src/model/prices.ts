/**
 * Model ids and on-demand prices, as dated defaults that configuration can override.
 *
 * Prices are USD per million tokens for the `global.` inference profile. The official Bedrock
 * pricing page was not available when these were compiled (2026-11-23); they are cross-checked
 * from Anthropic's price list and dated secondary sources (see
 * shared/reference/bedrock-cost-controls.md §2). Check them against the live page before relying
 * on them for billing.
 */
// Prices as of 2026-11-23.

export const MODEL_IDS = {
  haiku45: 'us.anthropic.claude-haiku-4-5-20251001-v1:0',
  sonnet45: 'us.anthropic.claude-sonnet-4-5-20250929-v1:0',
  novaLite: 'us.amazon.nova-lite-v1:0',
  novaMicro: 'us.amazon.nova-micro-v1:0',
} as const;

export interface ModelPrice {
  /** USD per million tokens. */
  input: number;
  output: number;
  cacheRead: number;
  /** 5-minute cache write. */
  cacheWrite: number;
}

export interface ModelInfo {
  /** Base model id, without an inference-profile prefix. */
  baseId: string;
  label: string;
  /** Price through the `global.` profile. */
  price: ModelPrice;
  /** Extra charged through geo (`us.`, `eu.`...) profiles and in-region ids: Claude 4.5+ pays 10%. */
  geoPremium: number;
  /** Shortest prefix a cachePoint caches for this model; shorter prefixes are silently not cached. */
  minCacheTokens: number;
  /** Largest output the model allows, to keep `maxTokens` valid. */
  maxOutputTokens: number;
}

export const MODELS: readonly ModelInfo[] = [
  {
    baseId: 'anthropic.claude-haiku-4-5-20251001-v1:0',
    label: 'Claude Haiku 4.5',
    price: { input: 1.0, output: 5.0, cacheRead: 0.1, cacheWrite: 1.25 },
    geoPremium: 0.1,
    minCacheTokens: 4_096,
    maxOutputTokens: 64_000,
  },
  {
    baseId: 'anthropic.claude-sonnet-4-5-20250929-v1:0',
    label: 'Claude Sonnet 4.5',
    price: { input: 3.0, output: 15.0, cacheRead: 0.3, cacheWrite: 3.75 },
    geoPremium: 0.1,
    minCacheTokens: 1_024,
    maxOutputTokens: 64_000,
  },
  {
    baseId: 'anthropic.claude-sonnet-4-20250514-v1:0',
    label: 'Claude Sonnet 4',
    price: { input: 3.0, output: 15.0, cacheRead: 0.3, cacheWrite: 3.75 },
    geoPremium: 0,
    minCacheTokens: 1_024,
    maxOutputTokens: 64_000,
  },
  {
    baseId: 'amazon.nova-pro-v1:0',
    label: 'Amazon Nova Pro',
    price: { input: 0.8, output: 3.2, cacheRead: 0.2, cacheWrite: 0.8 },
    geoPremium: 0,
    minCacheTokens: 1_000,
    maxOutputTokens: 10_000,
  },
  {
    baseId: 'amazon.nova-lite-v1:0',
    label: 'Amazon Nova Lite',
    price: { input: 0.06, output: 0.24, cacheRead: 0.015, cacheWrite: 0.06 },
    geoPremium: 0,
    minCacheTokens: 1_000,
    maxOutputTokens: 10_000,
  },
  {
    baseId: 'amazon.nova-micro-v1:0',
    label: 'Amazon Nova Micro',
    price: { input: 0.035, output: 0.14, cacheRead: 0.009, cacheWrite: 0.035 },
    geoPremium: 0,
    minCacheTokens: 1_000,
    maxOutputTokens: 10_000,
  },
];

/**
 * Inference-profile prefixes (`global.` and the geo ones). The one list: the IAM policy builder in
 * `infra/lib/bedrock-arns.ts` uses it too, so what we price and what we authorise agree.
 */
export const PROFILE_PREFIX = /^(global|us|us-gov|eu|apac|jp|au|ca)\./;

/** Strips an inference-profile prefix and an ARN, leaving the base model id. */
export function baseModelId(modelId: string): string {
  const fromArn = modelId.includes('/') ? (modelId.split('/').pop() ?? modelId) : modelId;
  return fromArn.replace(PROFILE_PREFIX, '');
}

/** A readable model name for labels: the known label, else the base id without its version suffix. */
export function shortModelName(modelId: string): string {
  return modelInfo(modelId)?.label ?? baseModelId(modelId).replace(/-v\d+:\d+$/, '');
}

export function modelInfo(modelId: string): ModelInfo | undefined {
  const base = baseModelId(modelId);
  return MODELS.find((model) => model.baseId === base);
}

/** The most expensive default: an unknown model is priced high, never as free. */
const FALLBACK_PRICE: ModelPrice = { input: 3.3, output: 16.5, cacheRead: 0.33, cacheWrite: 4.125 };

/**
 * Price per million tokens for `modelId` as called: `overrides` (from configuration, keyed by the
 * exact id or the base id) win; otherwise the dated default, with the geo premium unless the id
 * is a `global.` profile.
 */
export function priceFor(modelId: string, overrides: Record<string, ModelPrice> = {}): ModelPrice {
  const override = overrides[modelId] ?? overrides[baseModelId(modelId)];
  if (override) return override;
  const info = modelInfo(modelId);
  if (!info) return FALLBACK_PRICE;
  const factor = modelId.startsWith('global.') ? 1 : 1 + info.geoPremium;
  return {
    input: info.price.input * factor,
    output: info.price.output * factor,
    cacheRead: info.price.cacheRead * factor,
    cacheWrite: info.price.cacheWrite * factor,
  };
}

export interface UsageTokens {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens?: number;
  cacheWriteTokens?: number;
}

/** Cost in USD, rounded to a millionth of a dollar. */
export function estimateCostUsd(usage: UsageTokens, modelId: string, overrides?: Record<string, ModelPrice>): number {
  const price = priceFor(modelId, overrides);
  const micro =
    usage.inputTokens * price.input +
    usage.outputTokens * price.output +
    (usage.cacheReadTokens ?? 0) * price.cacheRead +
    (usage.cacheWriteTokens ?? 0) * price.cacheWrite;
  return Math.round(micro) / 1_000_000;
}

/** Minimum cacheable prefix; unknown models get the largest known minimum (never a false cache). */
export function minCacheTokens(modelId: string): number {
  return modelInfo(modelId)?.minCacheTokens ?? 4_096;
}
