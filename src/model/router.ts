import type { Answer } from './answer.js';
import { MODEL_IDS } from './prices.js';

export type ModelTier = 'small' | 'large' | 'lite';

/** Same shape as the model part of `config.models`. */
export interface ModelRouting {
  small: string;
  large: string;
  /** Cheaper model used when the requester's quota cannot fit the small one. */
  lite?: string;
  /** Re-ask the large model when the small one answers with low confidence. */
  autoEscalate?: boolean;
}

export const DEFAULT_ROUTING: ModelRouting = { small: MODEL_IDS.haiku45, large: MODEL_IDS.sonnet45, autoEscalate: false };

export interface ModelChoice {
  tier: ModelTier;
  modelId: string;
}

/** Small first; the large model only when the person asked for it. */
export function chooseModel(routing: ModelRouting, requested: 'small' | 'large' = 'small'): ModelChoice {
  return requested === 'large' ? { tier: 'large', modelId: routing.large } : { tier: 'small', modelId: routing.small };
}

/** The lite fallback, when one is configured and differs from what was tried. */
export function liteModel(routing: ModelRouting, tried: ModelChoice): ModelChoice | undefined {
  if (!routing.lite || routing.lite === tried.modelId || tried.tier === 'lite') return undefined;
  return { tier: 'lite', modelId: routing.lite };
}

/** Escalate a small-model answer to the large model only if configured and it was unsure. */
export function shouldEscalate(routing: ModelRouting, choice: ModelChoice, answer: Answer, truncated: boolean): boolean {
  return Boolean(routing.autoEscalate) && choice.tier === 'small' && routing.large !== routing.small && (answer.rootCause.confidence === 'low' || truncated);
}
