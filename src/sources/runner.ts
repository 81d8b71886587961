import { setMaxListeners } from 'node:events';
import { callScope, type CallRecord, type CallScope } from '../aws/call-context.js';
import type { AwsClients, ClientFactory } from '../aws/clients.js';
import { classifyError, DeadlineError, hintFor } from '../aws/errors.js';
import type { CoverageRow } from '../core/coverage.js';
import type { Evidence, SourceId } from '../core/evidence.js';
import type { Target, Window } from '../core/target.js';
import { DEFAULT_LIMITS, type DnsResolver, type Source, type SourceContext, type SourceLimits, type SourceOutcome } from './types.js';

export type ProgressEvent =
  | { type: 'started'; total: number }
  | { type: 'source-started'; source: SourceId; title: string }
  | { type: 'source-finished'; row: CoverageRow; done: number; total: number };

export interface RunnerOptions {
  sources: readonly Source[];
  target: Target;
  window: Window;
  aws: AwsClients;
  factory: ClientFactory;
  dns: DnsResolver;
  /** Sources running at once. AWS reads are I/O bound; the limit protects API rate limits. */
  concurrency?: number;
  sourceTimeoutMs?: number;
  /** For the whole investigation; unfinished sources report `timeout`, finished ones are kept. */
  deadlineMs?: number;
  limits?: Partial<SourceLimits>;
  onProgress?: (event: ProgressEvent) => void;
  /** Every AWS call with its start and end (benchmarks and the call-budget test measure the critical path). */
  onCall?: (record: CallRecord) => void;
  /** Reads made before the sources ran (the API-kind probe), by key (`ctx.prefetched`). */
  prefetched?: ReadonlyMap<string, Promise<unknown>>;
}

export interface RunResult {
  /** In the sources' fixed order. */
  coverage: CoverageRow[];
  evidence: Evidence;
  durationMs: number;
}

export const RUNNER_DEFAULTS = { concurrency: 8, sourceTimeoutMs: 20_000, deadlineMs: 60_000 };

function timeoutSignal(ms: number, parent: AbortSignal, label: string): { signal: AbortSignal; clear(): void } {
  const controller = new AbortController();
  // Every in-flight AWS call of the source listens for its deadline; dozens at once are normal.
  setMaxListeners(0, controller.signal);
  const timer = setTimeout(() => controller.abort(`${label} after ${ms} ms`), ms);
  const onParent = () => controller.abort(parent.reason);
  if (parent.aborted) onParent();
  else parent.addEventListener('abort', onParent, { once: true });
  return {
    signal: controller.signal,
    clear() {
      clearTimeout(timer);
      parent.removeEventListener('abort', onParent);
    },
  };
}

/** Resolves when the signal aborts: a source that ignores its signal cannot hold the run hostage. */
function whenAborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    const fail = () => reject(new DeadlineError(String(signal.reason ?? 'deadline exceeded')));
    if (signal.aborted) fail();
    else signal.addEventListener('abort', fail, { once: true });
  });
}

/**
 * After its deadline a source gets this long to return what it has already read (paginated
 * sources catch the DeadlineError and return partial results) before it is cut off.
 */
const PARTIAL_GRACE_MS = 200;

function afterGrace(signal: AbortSignal, graceMs: number): Promise<never> {
  return whenAborted(signal).catch(async (err: unknown) => {
    await new Promise((resolve) => setTimeout(resolve, graceMs));
    throw err;
  });
}

/**
 * Runs sources as a dependency graph: each starts as soon as everything it depends on (or runs
 * after) has finished, up to `concurrency` at once, so the wall time approaches the critical path.
 */
export async function runSources(options: RunnerOptions): Promise<RunResult> {
  const started = Date.now();
  const { sources, onProgress } = options;
  const concurrency = options.concurrency ?? RUNNER_DEFAULTS.concurrency;
  const sourceTimeoutMs = options.sourceTimeoutMs ?? RUNNER_DEFAULTS.sourceTimeoutMs;
  // A Logs Insights query may run for most of its source's time: a longer source timeout (a busy
  // account, the at-scale bench) gives the query longer too, unless a budget was set for it.
  const limits: SourceLimits = {
    ...DEFAULT_LIMITS,
    insightsTimeoutMs: Math.max(DEFAULT_LIMITS.insightsTimeoutMs, Math.floor(sourceTimeoutMs * 0.75)),
    ...options.limits,
  };
  const known = new Set(sources.map((s) => s.id));
  const rows = new Map<SourceId, CoverageRow>();
  const evidence: Evidence = {};
  const overall = new AbortController();
  setMaxListeners(0, overall.signal);
  const overallTimer = setTimeout(
    () => overall.abort(`overall deadline of ${options.deadlineMs ?? RUNNER_DEFAULTS.deadlineMs} ms`),
    options.deadlineMs ?? RUNNER_DEFAULTS.deadlineMs,
  );

  onProgress?.({ type: 'started', total: sources.length });

  const prerequisites = (s: Source) => [...s.dependsOn, ...(s.after ?? [])].filter((id) => known.has(id));

  const targetSources = new Set(sources.filter((s) => s.readsTarget).map((s) => s.id));
  /** The row saying the target does not exist, once a target-reading source has said so. */
  const missingTarget = () =>
    [...targetSources].map((id) => rows.get(id)).find((row) => row?.error?.kind === 'not_found');

  // A source that joins another waits for its row; while it waits it does not hold a place.
  const done = new Map<SourceId, { promise: Promise<void>; resolve: () => void }>();
  const doneSignal = (id: SourceId) => {
    let entry = done.get(id);
    if (!entry) {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => (resolve = r));
      entry = { promise, resolve };
      done.set(id, entry);
    }
    return entry;
  };
  const waiting = new Set<SourceId>();
  let wakeUp = () => {};

  const finish = (source: Source, row: CoverageRow) => {
    rows.set(source.id, row);
    doneSignal(source.id).resolve();
    onProgress?.({ type: 'source-finished', row, done: rows.size, total: sources.length });
  };

  for (const source of sources) {
    for (const id of source.joins ?? []) {
      const joined = sources.find((s) => s.id === id);
      if (joined && (prerequisites(joined).includes(source.id) || joined.joins?.includes(source.id))) {
        throw new Error(`${source.id} joins ${id}, which waits for ${source.id}: they would wait for each other`);
      }
    }
  }

  const baseRow = (source: Source, scope: CallScope | undefined, t0: number): CoverageRow => ({
    source: source.id,
    title: source.title,
    status: 'ok',
    account: options.aws.accountId,
    region: options.aws.region,
    durationMs: Date.now() - t0,
    calls: scope?.calls ?? [],
  });

  const runOne = async (source: Source): Promise<void> => {
    const t0 = Date.now();
    const failedDependency =
      missingTarget() ??
      source.dependsOn.map((id) => rows.get(id)).find((row) => row && (row.status === 'error' || row.error));
    if (failedDependency) {
      const error = {
        kind: 'dependency_failed' as const,
        message: `needs ${failedDependency.source}, which failed (${failedDependency.error?.kind ?? 'error'})`,
        dependency: failedDependency.source,
      };
      finish(source, { ...baseRow(source, undefined, t0), status: 'error', error, hint: hintFor(error, source.title) });
      return;
    }
    onProgress?.({ type: 'source-started', source: source.id, title: source.title });
    const deadline = timeoutSignal(sourceTimeoutMs, overall.signal, `${source.id} timed out`);
    const scope: CallScope = { sourceId: source.id, calls: [], signal: deadline.signal, ...(options.onCall ? { trace: options.onCall } : {}) };
    const ctx: SourceContext = {
      target: options.target,
      window: options.window,
      aws: options.aws,
      factory: options.factory,
      dns: options.dns,
      evidence,
      coverage: (id) => rows.get(id),
      signal: deadline.signal,
      limits,
      joined: async (id) => {
        if (!known.has(id) || rows.has(id) || !(source.joins ?? []).includes(id)) return;
        waiting.add(source.id);
        wakeUp();
        try {
          await doneSignal(id).promise;
        } finally {
          waiting.delete(source.id);
        }
      },
      prefetched: <T>(key: string) => options.prefetched?.get(key) as Promise<T> | undefined,
    };
    try {
      const outcome: SourceOutcome<SourceId> = await callScope.run(scope, () =>
        Promise.race([source.run(ctx), afterGrace(deadline.signal, PARTIAL_GRACE_MS)]),
      );
      if (outcome.evidence !== undefined) (evidence as Record<string, unknown>)[source.id] = outcome.evidence;
      const { evidence: _kept, ...fields } = outcome;
      let row: CoverageRow = { ...baseRow(source, scope, t0), ...fields };
      if (deadline.signal.aborted && row.status !== 'error') {
        // It stopped at its deadline and returned what it had read: keep that, but say so.
        const error = { kind: 'timeout' as const, message: `${String(deadline.signal.reason)}; partial results kept` };
        row = { ...row, status: 'error', error, reason: `partial: ${row.reason ?? `${row.count ?? 0} items`}` };
      }
      if (row.error && !row.hint) row.hint = hintFor(row.error, source.title);
      finish(source, row);
    } catch (err) {
      const error = classifyError(err);
      if (err instanceof DeadlineError) error.kind = 'timeout';
      finish(source, { ...baseRow(source, scope, t0), status: 'error', error, hint: hintFor(error, source.title) });
    } finally {
      deadline.clear();
    }
  };

  const pending = new Set(sources);
  const running = new Set<Promise<void>>();
  const overallAborted = whenAborted(overall.signal).catch(() => undefined);
  try {
    while (pending.size > 0 || running.size > 0) {
      if (overall.signal.aborted) break;
      for (const source of [...pending]) {
        if (running.size - waiting.size >= concurrency) break;
        if (prerequisites(source).every((id) => rows.has(id))) {
          pending.delete(source);
          const task: Promise<void> = runOne(source).finally(() => running.delete(task));
          running.add(task);
        }
      }
      if (running.size === 0) {
        // Only a dependency cycle (or a missing prerequisite) leaves work that can never start.
        for (const source of pending) {
          const error = { kind: 'dependency_failed' as const, message: 'dependency cycle between sources' };
          finish(source, { ...baseRow(source, undefined, Date.now()), status: 'error', error });
        }
        pending.clear();
        break;
      }
      // Wakes when a source finishes, when one starts waiting on a join (its place is free), or at the deadline.
      await new Promise<void>((resolve) => {
        wakeUp = resolve;
        void Promise.race([...running, overallAborted]).then(() => resolve());
      });
    }
    if (overall.signal.aborted) {
      await Promise.allSettled([...running]);
      for (const source of pending) {
        const error = { kind: 'timeout' as const, message: `not started before the ${String(overall.signal.reason)}` };
        finish(source, { ...baseRow(source, undefined, Date.now()), status: 'error', error, hint: hintFor(error, source.title) });
      }
    }
  } finally {
    clearTimeout(overallTimer);
  }

  return {
    coverage: sources.map((s) => rows.get(s.id)).filter((r): r is CoverageRow => Boolean(r)),
    evidence,
    durationMs: Date.now() - started,
  };
}
