import type { Config } from '../config.js';
import type { BundleSummary } from '../core/report.js';
import { estimateInputTokens } from '../model/bedrock.js';
import { estimateCostUsd, shortModelName } from '../model/prices.js';

/** One name for the choice a person makes: the small model first, the larger on request. */
export type ModelSize = 'small' | 'large';

/** What a person sees before approving: the same figures in Slack and the terminal. */
export interface Estimate {
  size: ModelSize;
  modelId: string;
  /** Display name, e.g. `Claude Haiku 4.5`. */
  model: string;
  /** Where Bedrock is called. */
  region: string;
  inputTokens: number;
  maxTokens: number;
  /** What the quota reserves: input + maxTokens. */
  reservedTokens: number;
  /** Upper bound: as if the whole maxTokens were written. */
  costUsd: number;
}

export function estimateFor(bundle: Pick<BundleSummary, 'text'>, size: ModelSize, config: Config): Estimate {
  const modelId = size === 'large' ? config.models.large : config.models.small;
  const maxTokens = config.models.maxTokens;
  const inputTokens = estimateInputTokens(bundle.text);
  return {
    size,
    modelId,
    model: shortModelName(modelId),
    region: config.models.region ?? config.aws.region,
    inputTokens,
    maxTokens,
    reservedTokens: inputTokens + maxTokens,
    costUsd: estimateCostUsd({ inputTokens, outputTokens: maxTokens }, modelId),
  };
}
