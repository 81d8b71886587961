import type { ModelUsage } from './usage.js';

export type ModelFailureKind = 'throttled' | 'unavailable' | 'denied' | 'invalid_request' | 'not_found' | 'unknown';

/** The call to the model failed (after retries where retrying made sense). */
export class ModelCallError extends Error {
  override name = 'ModelCallError';
  constructor(
    readonly kind: ModelFailureKind,
    message: string,
    readonly attempts: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The model answered, but not with the structured answer (malformed, filtered, no tool call). */
export class ModelOutputError extends Error {
  override name = 'ModelOutputError';
  constructor(
    message: string,
    readonly stopReason: string | undefined,
    /** What the call consumed anyway, for the spend record. */
    readonly usage: ModelUsage,
  ) {
    super(message);
  }
}
