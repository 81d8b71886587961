import type { CoverageRow } from './coverage.js';
import type { EvidenceMap, SourceId } from './evidence.js';

/**
 * Recording an investigation as a replayable scenario (docs/scenarios.md, "Recording an
 * incident"). While an investigation runs with recording on, every AWS call (and DNS lookup) is
 * captured with its input and its answer; afterwards each source's `record` step writes what it
 * read into a scenario through a `ScenarioWriter`. The writer is a plain interface: sources know
 * the scenario format's field names (AWS's own), never the file, its size or its redaction.
 */

/** One call as it happened: what was asked and what came back (or how it failed). */
export interface CapturedCall {
  /** The source that made it; absent for reads made before any source ran (the API-kind probe). */
  source?: string;
  /** `apigateway`, `logs`, … as in `aws/operations.ts`, or `dns` for a lookup. */
  service: string;
  operation: string;
  accountId: string;
  region: string;
  input: Record<string, unknown>;
  /** The answer, without the SDK's `$metadata`. */
  output?: Record<string, unknown>;
  error?: CapturedError;
  /** The call was cut by its source's deadline after this long (ms): it never answered. */
  cutAfterMs?: number;
}

export interface CapturedError {
  name: string;
  message: string;
  httpStatusCode?: number;
  /** A DNS failure's code (`ENOTFOUND`, `ESERVFAIL`…). */
  code?: string;
}

/**
 * A place in the scenario: field names, and for lists, the item to find (or add) by the values
 * that identify it, e.g. `['apigateway', 'restApis', { id: 'a1b2c3d4e5' }, 'stages', { stageName: 'prod' }]`.
 */
export type ScenarioPath = readonly (string | Readonly<Record<string, string>>)[];

/** One log event as the scenario holds it. */
export interface RecordedLogEvent {
  timestamp: number;
  message: string;
  logStreamName?: string;
}

export interface ScenarioWriter {
  /**
   * Merges `fields` into the object at `path` in an account (`accountId`), or at the scenario's top
   * level (`undefined`), creating what is missing. Writing the same answer twice changes nothing.
   */
  put(accountId: string | undefined, path: ScenarioPath, fields: Record<string, unknown>): void;
  /** Log events kept verbatim in a group (the lines the evidence holds). */
  logEvents(accountId: string, logGroupName: string, events: readonly RecordedLogEvent[]): void;
  /** A FilterLogEvents answer, replayed page for page; the events not kept verbatim are counted, not copied. */
  filterLogEvents(call: CapturedCall): void;
  /** A Logs Insights query (StartQuery, every GetQueryResults poll, a StopQuery): answered verbatim on replay. */
  insightsQuery(start: CapturedCall, polls: readonly CapturedCall[], stopped: boolean): void;
  /** Any other answer verbatim, for the same request (GetMetricData series, ListMetrics…). */
  answer(call: CapturedCall): void;
  /** A DNS answer, or a lookup's failure code (`ENOTFOUND`, `ESERVFAIL`…). */
  dns(name: string, answer: { cname?: string[]; a?: string[]; cnameError?: string; aError?: string }): void;
  /** Something the recording could not keep, in one line: said in the file and on stderr. */
  leftOut(note: string): void;
}

/** What a source's `record` step is given: what it read, what it made of it. */
export interface SourceRead<K extends SourceId = SourceId> {
  /** Its own calls, then the calls made before any source ran (they belong to whoever reads them). */
  calls: readonly CapturedCall[];
  evidence: EvidenceMap[K] | undefined;
  row: CoverageRow | undefined;
}
