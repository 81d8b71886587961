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

export async function runInsightsQuery(
  logs: CloudWatchLogsClient,
  logGroupNames: string[],
  window: Window,
  queryString: string,
  budget: InsightsBudget,
  limit?: number,
): Promise<InsightsOutcome> {
  const started = Date.now();
  let queryId: string | undefined;
  try {
    const out = await logs.send(
      new StartQueryCommand({
        logGroupNames,
        // Insights takes epoch seconds, both ends inclusive.
        startTime: Math.floor(window.since.getTime() / 1000),
        endTime: Math.floor((window.until.getTime() - 1) / 1000),
        queryString,
        ...(limit ? { limit } : {}),
      }),
    );
    queryId = out.queryId;
  } catch (err) {
    const error = classifyError(err);
    const refused = error.kind === 'access_denied';
    return { ok: false, refused, bytesScanned: 0, why: refused ? `refused (${error.action ?? 'logs:StartQuery'})` : `StartQuery failed (${errorName(err)})` };
  }
  if (!queryId) return { ok: false, refused: false, bytesScanned: 0, why: 'StartQuery returned no query id' };
  let wait = FIRST_POLL_MS;
  let bytesScanned = 0;
  let lastLook = false;
  for (;;) {
    if (lastLook) {
      await stop(logs, queryId);
      return { ok: false, refused: false, bytesScanned, why: `stopped after ${Math.round((Date.now() - started) / 100) / 10} s (time budget)` };
    }
    // Past the budget, one more look (a query that has just completed is not thrown away), then stop.
    lastLook = Boolean(budget.signal?.aborted) || Date.now() - started > budget.timeoutMs;
    if (!lastLook) await sleep(wait, budget.signal);
    wait = Math.min(MAX_POLL_MS, wait * 2);
    let out;
    try {
      out = await logs.send(new GetQueryResultsCommand({ queryId }));
    } catch (err) {
      await stop(logs, queryId);
      const error = classifyError(err);
      return { ok: false, refused: error.kind === 'access_denied', bytesScanned, why: `GetQueryResults failed (${errorName(err)})` };
    }
    bytesScanned = out.statistics?.bytesScanned ?? bytesScanned;
    switch (out.status) {
      case 'Complete':
        return {
          ok: true,
          rows: rowsOf(out.results),
          bytesScanned,
          recordsScanned: out.statistics?.recordsScanned ?? 0,
          recordsMatched: out.statistics?.recordsMatched ?? 0,
        };
      case 'Scheduled':
      case 'Running':
        if (bytesScanned > budget.maxBytes) {
          await stop(logs, queryId);
          return { ok: false, refused: false, bytesScanned, why: `stopped at ${formatBytes(bytesScanned)} scanned (cap ${formatBytes(budget.maxBytes)})` };
        }
        continue;
      default:
        return { ok: false, refused: false, bytesScanned, why: `query ended ${out.status ?? 'Unknown'}` };
    }
  }
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(1)} GiB`;
  if (bytes >= 1024 ** 2) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KiB`;
  return `${bytes} B`;
}
