import { GetQueryResultsCommand, StartQueryCommand, StopQueryCommand, type CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { classifyError, errorName } from '../../aws/errors.js';
import type { Window } from '../../core/target.js';

/**
 * One CloudWatch Logs Insights query, run to the end: StartQuery, then GetQueryResults until the
 * status is terminal (reference §2.2), stopping the query (StopQuery) when it outlives its time
 * budget or scans more bytes than allowed, because a query left alone runs on and is billed.
 */
export interface InsightsBudget {
  /** Stop polling (and the query) after this long. */
  timeoutMs: number;
  /** Stop the query once it has scanned more than this. */
  maxBytes: number;
  signal?: AbortSignal;
}

export type InsightsRow = Record<string, string>;

export type InsightsOutcome =
  | { ok: true; rows: InsightsRow[]; bytesScanned: number; recordsScanned: number; recordsMatched: number }
  /** `why` is one human line: "refused (logs:StartQuery)", "timed out after 15 s", "Failed". */
  | { ok: false; why: string; refused: boolean; bytesScanned: number };

const FIRST_POLL_MS = 40;
const MAX_POLL_MS = 1_000;

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

function rowsOf(results: { field?: string; value?: string }[][] | undefined): InsightsRow[] {
  return (results ?? []).map((fields) => {
    const row: InsightsRow = {};
    for (const f of fields) if (f.field !== undefined) row[f.field] = f.value ?? '';
    return row;
  });
}

async function stop(logs: CloudWatchLogsClient, queryId: string): Promise<void> {
  // Best effort: a query that already ended answers with an error, which changes nothing.
  await logs.send(new StopQueryCommand({ queryId })).catch(() => undefined);
}

/** One query to run: its log groups, window and text (and a row limit when not the default). */
export interface InsightsQuery {
  logGroupNames: string[];
  window: Window;
  queryString: string;
  limit?: number;
}

type Running = { queryId: string; started: number; bytesScanned: number; lastLook: boolean };

async function startQuery(logs: CloudWatchLogsClient, query: InsightsQuery): Promise<Running | InsightsOutcome> {
  try {
    const out = await logs.send(
      new StartQueryCommand({
        logGroupNames: query.logGroupNames,
        // Insights takes epoch seconds, both ends inclusive.
        startTime: Math.floor(query.window.since.getTime() / 1000),
        endTime: Math.floor((query.window.until.getTime() - 1) / 1000),
        queryString: query.queryString,
        ...(query.limit ? { limit: query.limit } : {}),
      }),
    );
    if (!out.queryId) return { ok: false, refused: false, bytesScanned: 0, why: 'StartQuery returned no query id' };
    return { queryId: out.queryId, started: Date.now(), bytesScanned: 0, lastLook: false };
  } catch (err) {
    const error = classifyError(err);
    const refused = error.kind === 'access_denied';
    return { ok: false, refused, bytesScanned: 0, why: refused ? `refused (${error.action ?? 'logs:StartQuery'})` : `StartQuery failed (${errorName(err)})` };
  }
}

/** One look at a running query: its outcome when it ended (or was stopped), undefined while it runs. */
async function look(logs: CloudWatchLogsClient, query: Running, budget: InsightsBudget): Promise<InsightsOutcome | undefined> {
  if (query.lastLook) {
    await stop(logs, query.queryId);
    return { ok: false, refused: false, bytesScanned: query.bytesScanned, why: `stopped after ${Math.round((Date.now() - query.started) / 100) / 10} s (time budget)` };
  }
  // Past the budget, one more look (a query that has just completed is not thrown away), then stop.
  query.lastLook = Boolean(budget.signal?.aborted) || Date.now() - query.started > budget.timeoutMs;
  let out;
  try {
    out = await logs.send(new GetQueryResultsCommand({ queryId: query.queryId }));
  } catch (err) {
    await stop(logs, query.queryId);
    const error = classifyError(err);
    return { ok: false, refused: error.kind === 'access_denied', bytesScanned: query.bytesScanned, why: `GetQueryResults failed (${errorName(err)})` };
  }
  query.bytesScanned = out.statistics?.bytesScanned ?? query.bytesScanned;
  switch (out.status) {
    case 'Complete':
      return {
        ok: true,
        rows: rowsOf(out.results),
        bytesScanned: query.bytesScanned,
        recordsScanned: out.statistics?.recordsScanned ?? 0,
        recordsMatched: out.statistics?.recordsMatched ?? 0,
      };
    case 'Scheduled':
    case 'Running':
      if (query.bytesScanned > budget.maxBytes) {
        await stop(logs, query.queryId);
        return { ok: false, refused: false, bytesScanned: query.bytesScanned, why: `stopped at ${formatBytes(query.bytesScanned)} scanned (cap ${formatBytes(budget.maxBytes)})` };
      }
      return undefined;
    default:
      return { ok: false, refused: false, bytesScanned: query.bytesScanned, why: `query ended ${out.status ?? 'Unknown'}` };
  }
}

/**
 * Several queries, started together and polled together: every round looks at each query still
 * running at once, so the queries of an investigation cost the time of the slowest, not the sum.
 */
export async function runInsightsQueries(logs: CloudWatchLogsClient, queries: readonly InsightsQuery[], budget: InsightsBudget): Promise<InsightsOutcome[]> {
  const started = await Promise.all(queries.map((q) => startQuery(logs, q)));
  const outcomes: (InsightsOutcome | undefined)[] = started.map((s) => ('ok' in s ? s : undefined));
  let wait = FIRST_POLL_MS;
  for (;;) {
    const running = started.flatMap((s, index) => ('queryId' in s && outcomes[index] === undefined ? [{ query: s, index }] : []));
    if (running.length === 0) return outcomes as InsightsOutcome[];
    const lastLook = running.every(({ query }) => query.lastLook) || Boolean(budget.signal?.aborted);
    if (!lastLook) await sleep(wait, budget.signal);
    wait = Math.min(MAX_POLL_MS, wait * 2);
    const looked = await Promise.all(running.map(({ query }) => look(logs, query, budget)));
    running.forEach(({ index }, i) => {
      outcomes[index] = looked[i];
    });
  }
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(1)} GiB`;
  if (bytes >= 1024 ** 2) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KiB`;
  return `${bytes} B`;
}
