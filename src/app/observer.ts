import type { Investigation } from '../core/report.js';
import type { AnalysisResult } from './analysis.js';

/**
 * What the application reports as it works, for metrics and traces. The app calls it and knows
 * nothing of who listens: on Lambda the receivers plug in Powertools (EMF metrics, X-Ray
 * segments); elsewhere nothing is recorded. Every method is optional and must not throw.
 */
export interface AppObserver {
  /** An investigation finished reading: its coverage (failed sources by error kind) and findings. */
  investigated?(investigation: Investigation, origin: string): void;
  /** A bundle went to the model, or the answer came from the cache. */
  analyzed?(result: AnalysisResult): void;
  /** Bedrock counted a bundle's input tokens: how far the offline estimate was (percent, signed). */
  estimateChecked?(offlineTokens: number, countedTokens: number): void;
  /** A model call was refused by the user's daily quota. */
  quotaRefused?(): void;
  /** Runs one step inside a trace segment (`aws-reads`, `bedrock`); must return what `run` returns. */
  trace?<T>(segment: 'aws-reads' | 'bedrock', run: () => Promise<T>): Promise<T>;
}

/** Calls a listener without letting it break the work it observes. */
export function notify(call: () => void): void {
  try {
    call();
  } catch {
    // An observer's failure (a metrics buffer full, say) must never fail an investigation.
  }
}
