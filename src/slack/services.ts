import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { BundleSummary, Investigation } from '../core/report.js';
import type { Target, Window } from '../core/target.js';
import type { Environment } from '../engine.js';
import type { InvestigationStore } from '../ledger/investigations.js';
import type { QuotaState } from '../ledger/errors.js';
import type { SpendLog } from '../ledger/spend.js';
import type { AnalysisResult } from '../model/analyze.js';
import type { ProgressEvent } from '../sources/runner.js';
import type { Estimate } from './blocks/actions.js';
import type { BundleChoices, BundleRevisions } from './state/bundle-revisions.js';
import type { OnceMarkers } from './state/markers.js';

export type ModelSize = 'small' | 'large';

export interface AnalyzeRequest {
  investigationId: string;
  /** Idempotency key: the same approval never calls the model or charges twice. */
  approvalId: string;
  user: string;
  bundle: BundleSummary;
  size: ModelSize;
}

/**
 * Everything the Slack front end needs from the rest of firebreak, behind one interface so the
 * listeners stay thin and the wiring lives in one place (`createSlackServices`). Tests build it
 * with the real modules: the sandbox engine, dynalite, FakeBedrock.
 */
export interface SlackServices {
  config: Config;
  logger: Logger;
  now(): Date;
  /** AWS, or the sandbox scenario from configuration (tests, demo). Opened once. */
  environment(): Promise<Environment>;
  investigate(target: Target, window: Window, onProgress: (event: ProgressEvent) => void): Promise<Investigation>;
  buildBundle(investigation: Investigation, choices: BundleChoices): BundleSummary;
  modelEnabled: boolean;
  estimate(bundle: BundleSummary, size: ModelSize): Estimate;
  analyze(request: AnalyzeRequest): Promise<AnalysisResult>;
  investigations: InvestigationStore;
  revisions: BundleRevisions;
  quota: { usage(user: string): Promise<QuotaState> };
  spend: SpendLog;
  markers: OnceMarkers;
  /**
   * Evidence of recent investigations, in this process only (it is large and unredacted, so it is
   * never stored). Another instance rebuilding a bundle re-reads the same fixed window instead.
   */
  evidence: EvidenceCache;
  close(): Promise<void>;
}

/** A small LRU: evidence is only needed for a bundle rebuild shortly after the investigation. */
export class EvidenceCache {
  private readonly items = new Map<string, Investigation>();
  constructor(private readonly capacity = 20) {}

  get(id: string): Investigation | undefined {
    const found = this.items.get(id);
    if (found) {
      this.items.delete(id);
      this.items.set(id, found);
    }
    return found;
  }

  set(id: string, investigation: Investigation): void {
    this.items.delete(id);
    this.items.set(id, investigation);
    while (this.items.size > this.capacity) {
      const oldest = this.items.keys().next().value;
      if (oldest === undefined) break;
      this.items.delete(oldest);
    }
  }
}
