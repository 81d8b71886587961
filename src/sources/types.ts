import type { AwsClients, ClientFactory } from '../aws/clients.js';
import type { CoverageError, CoverageRow, CoverageStatus, Truncation } from '../core/coverage.js';
import type { Describer } from '../core/describe.js';
import type { ScenarioWriter, SourceRead } from '../core/recording.js';
import type { Evidence, EvidenceMap, SourceId } from '../core/evidence.js';
import type { Target, Window } from '../core/target.js';

/** Resolves DNS names; production uses node:dns, the sandbox answers from the scenario. */
export interface DnsResolver {
  resolveCname(name: string): Promise<string[]>;
  resolve4(name: string): Promise<string[]>;
}

export interface SourceLimits {
  /** Items kept per source (log lines, events, records) before truncation is reported. */
  maxItems: number;
  /** Pages read per paginated call before stopping. */
  maxPages: number;
  /** How far back CloudTrail changes are read, regardless of the window. */
  changeLookbackMs: number;
  /** Count execution and access logs with Logs Insights; false reads with FilterLogEvents only. */
  logsInsights: boolean;
  /** Bytes one Logs Insights query may scan before it is stopped. */
  maxInsightsBytes: number;
  /** How long a Logs Insights query may run before it is stopped (within the source timeout). */
  insightsTimeoutMs: number;
  /** Error lines read over the whole window (every one counts in the findings). */
  maxErrorLines: number;
}

export const DEFAULT_LIMITS: SourceLimits = {
  maxItems: 5_000,
  maxPages: 20,
  changeLookbackMs: 7 * 24 * 3600_000,
  logsInsights: true,
  maxInsightsBytes: 10 * 1024 ** 3,
  insightsTimeoutMs: 15_000,
  maxErrorLines: 100_000,
};

export interface SourceContext {
  target: Target;
  window: Window;
  /** Clients for the target's account; use `factory.forAccount(id)` for other accounts. */
  aws: AwsClients;
  factory: ClientFactory;
  dns: DnsResolver;
  /** Evidence from sources that already ran (every dependency is here). */
  evidence: Readonly<Evidence>;
  /** Rows of sources that already ran. */
  coverage: (id: SourceId) => CoverageRow | undefined;
  signal: AbortSignal;
  limits: SourceLimits;
}

/** What a source returns; the runner adds timing, calls and the fixed fields of the row. */
export interface SourceOutcome<K extends SourceId> {
  status: CoverageStatus;
  evidence?: EvidenceMap[K];
  reason?: string;
  count?: number;
  truncated?: Truncation;
  hint?: string;
  error?: CoverageError;
  account?: string;
  region?: string;
}

/**
 * One data source: one module, one coverage row. A source throws for AWS errors it cannot
 * interpret; the runner classifies them. It returns `error` itself only when it knows better
 * (e.g. `not_found` for the API itself).
 */
export interface Source<K extends SourceId = SourceId> {
  id: K;
  title: string;
  /** Sources whose evidence this one needs; it runs after them and fails with them. */
  dependsOn: SourceId[];
  /** Sources whose evidence it uses when present; it runs after them but not fails with them. */
  after?: SourceId[];
  /**
   * This source reads the target itself: when it reports `not_found` there is nothing to
   * investigate, and every source not yet started is reported as depending on it.
   */
  readsTarget?: boolean;
  run(ctx: SourceContext): Promise<SourceOutcome<K>>;
  /** The configuration lines its evidence contributes to the bundle (none when absent). */
  describe?: Describer<K>;
  /** How what it read is written into a recorded scenario (`--record`); absent: it reads nothing to replay. */
  record?(read: SourceRead<K>, writer: ScenarioWriter): void;
}

export function defineSource<K extends SourceId>(source: Source<K>): Source<K> {
  return source;
}
