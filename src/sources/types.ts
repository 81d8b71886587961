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
  /**
   * Waits until a source this one `joins` has finished, so its evidence is in `evidence` (at once
   * when that source is not part of the investigation). Reads that do not need it run before.
   */
  joined(id: SourceId): Promise<void>;
  /** A read made before the sources ran (the API-kind probe), by key, for the source it belongs to. */
  prefetched<T>(key: string): Promise<T> | undefined;
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
  /**
   * Sources whose evidence it uses only at its end: it starts at once, reads side by side with
   * them and waits for them (`ctx.joined`) before it assembles its answer.
   */
  joins?: SourceId[];
  /** Its AWS round trips that wait on each other: checked by a test against the recorded calls. */
  calls: CallBudget;
  run(ctx: SourceContext): Promise<SourceOutcome<K>>;
  /** The configuration lines its evidence contributes to the bundle (none when absent). */
  describe?: Describer<K>;
  /** How what it read is written into a recorded scenario (`--record`); absent: it reads nothing to replay. */
  record?(read: SourceRead<K>, writer: ScenarioWriter): void;
}

/**
 * How many AWS round trips of a source wait on each other. Every sequential call costs a round
 * trip on the critical path (50–300 ms against AWS), so each one beyond the first says why.
 * Further pages of a list and repeated polls of a Logs Insights query are counted apart: the data
 * and the service decide those.
 */
export interface CallBudget {
  /** The most rounds the source makes one after another (pages and polls not counted). */
  chain: number;
  /** Why each round after the first has to wait for the one before it. */
  why?: string;
  /**
   * The fewest rounds the data itself requires (the bench's minimal chain): `chain` when absent;
   * a function of the source's own coverage row when it depends on the data (a window larger than
   * one page needs a count).
   */
  needs?: number | ((row: CoverageRow) => number);
  /**
   * Sources it runs `after` whose answers its own reads need (not mere enrichment): the bench's
   * minimal chain runs through them as through `dependsOn`.
   */
  readsAfter?: SourceId[];
}

export function defineSource<K extends SourceId>(source: Source<K>): Source<K> {
  return source;
}
