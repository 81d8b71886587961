import type { Config } from '../config.js';
import type { BundleSummary } from '../core/report.js';
import { countInputTokens, estimateInputTokens, type ModelClient } from '../model/bedrock.js';
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
  /** `bedrock`: inputTokens is Bedrock's own count (CountTokens); `offline`: firebreak's estimate. */
  counted?: 'bedrock' | 'offline';
  /** With a Bedrock count: what the offline estimate said, to show how far off it was. */
  offlineInputTokens?: number;
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

/**
 * The estimate with Bedrock's exact input count when Bedrock is reachable (CountTokens is free),
 * else the offline one (the sandbox, the CLI without Bedrock, a failed count). Either way the
 * figures a person approves are the ones the quota reserves.
 */
export async function countedEstimateFor(bundle: Pick<BundleSummary, 'text'>, size: ModelSize, config: Config, client: ModelClient | undefined): Promise<Estimate> {
  const offline = estimateFor(bundle, size, config);
  const counted = client
    ? await countInputTokens(client, { modelId: offline.modelId, bundleText: bundle.text, maxTokens: offline.maxTokens, temperature: config.models.temperature })
    : undefined;
  if (counted === undefined) return { ...offline, counted: 'offline' };
  return {
    ...offline,
    inputTokens: counted,
    reservedTokens: counted + offline.maxTokens,
    costUsd: estimateCostUsd({ inputTokens: counted, outputTokens: offline.maxTokens }, offline.modelId),
    counted: 'bedrock',
    offlineInputTokens: offline.inputTokens,
  };
}
