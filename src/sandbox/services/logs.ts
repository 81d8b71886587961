import { awsError } from '../aws-error.js';
import { compileFilterPattern } from '../filter-pattern.js';
import { estimatedEvents, eventIdOf, ingestionTimeOf, scanGroup, scanGroupBackward, type StoredEvent, type StoredGroup } from '../log-store.js';
import { invalidTokenErrors, pageOf } from '../paging.js';
import { malformed, parseQuery } from '../insights/parse.js';
import { QueryRun, type QueryStatistics } from '../insights/run.js';
import { recordedIndex, type RecordedFilterPage, type RecordedInsightsQuery } from '../recorded.js';
import type { Scenario } from '../scenario.js';
import { str, strings, type Handler, type ServiceContext, type ServiceHandlers } from './context.js';

/**
 * FilterLogEvents pages end at 10,000 events or 1 MB, whichever comes first (reference §1.1);
 * DescribeLogGroups returns up to 50. Tokens name a position in time, not an offset in a list,
 * so a page of a window with millions of events costs one slice of it.
 */
const FILTER_MAX = 10_000;
const FILTER_MAX_BYTES = 1_048_576;
/** Per event on the wire, besides its message (the PutLogEvents accounting). */
const EVENT_OVERHEAD_BYTES = 26;
const DESCRIBE_MAX = 50;
/** Logs Insights limits (reference §2.1). */
const MAX_QUERY_GROUPS = 50;
const MAX_CONCURRENT_QUERIES = 30;

const groupMissing = () => awsError('ResourceNotFoundException', 'The specified log group does not exist.', 400);

function groupArn(ctx: ServiceContext, name: string): string {
  return `arn:aws:logs:${ctx.region}:${ctx.accountId}:log-group:${name}`;
}

/** A name or an ARN (with or without the trailing `:*`) → the name. */
function nameOf(identifier: string): string | undefined {
  return identifier.startsWith('arn:') ? identifier.replace(/:\*$/, '').split(':log-group:')[1] : identifier;
}

/** `logGroupIdentifier` may be a name or an ARN (with or without the trailing `:*`). */
function groupNameFrom(input: Record<string, unknown>): string | undefined {
  const identifier = str(input.logGroupIdentifier);
  if (identifier) return nameOf(identifier);
  return str(input.logGroupName);
}

function findGroup(input: Record<string, unknown>, ctx: ServiceContext): StoredGroup {
  const name = groupNameFrom(input);
  const group = name === undefined ? undefined : ctx.logs().get(name);
  if (!group) throw groupMissing();
  return group;
}

interface Position {
  /** Resume at this timestamp... */
  t: number;
  /** ...after this many matching events of that millisecond. */
  k: number;
  /** Newest first: the direction the first request chose (`startFromHead: false`). */
  back?: boolean;
}

function encodePosition(scope: string, position: Position): string {
  return Buffer.from(JSON.stringify({ s: scope, ...position })).toString('base64url');
}

function decodePosition(token: unknown, scope: string): Position {
  try {
    const parsed = JSON.parse(Buffer.from(String(token), 'base64url').toString('utf8')) as { s?: unknown; t?: unknown; k?: unknown; back?: unknown };
    if (parsed.s === scope && typeof parsed.t === 'number' && typeof parsed.k === 'number' && parsed.k >= 0) {
      return { t: parsed.t, k: parsed.k, ...(parsed.back === true ? { back: true } : {}) };
    }
  } catch {
    // Falls through to the invalid-token error.
  }
  throw invalidTokenErrors.logs();
}

// ---------------------------------------------------------------- recorded answers (a recording's replay)

/** What a recording put in place of an event it did not keep: counted, never classified as anything. */
export const LEFT_OUT_MESSAGE = '[firebreak recording: event left out]';

interface RecordedLogs {
  page: (accountId: string, input: unknown) => RecordedFilterPage | undefined;
  query: (accountId: string, input: unknown) => RecordedInsightsQuery | undefined;
}

const recordedLogs = new WeakMap<Scenario, RecordedLogs>();

function recordedOf(scenario: Scenario): RecordedLogs {
  let found = recordedLogs.get(scenario);
  if (!found) {
    found = { page: recordedIndex(scenario.recorded?.filterLogEvents ?? []), query: recordedIndex(scenario.recorded?.insights ?? []) };
    recordedLogs.set(scenario, found);
  }
  return found;
}

/** A recorded page, part by part: the group's own events by position, the left-out ones as placeholders. */
function recordedPage(page: RecordedFilterPage, input: Record<string, unknown>, ctx: ServiceContext): Record<string, unknown> {
  const name = groupNameFrom(input);
  const declared = (ctx.account.logs?.groups ?? []).find((g) => g.logGroupName === name)?.events ?? [];
  const events: Record<string, unknown>[] = [];
  for (const part of page.answer.events) {
    if (Array.isArray(part)) {
      const [first, last] = part;
      for (let i = first; i <= last; i++) {
        const event = declared[i];
        if (!event) throw awsError('InternalFailure', `recorded page of ${name ?? '?'} names event ${i}, which the group does not have`, 500);
        events.push({ logStreamName: event.logStreamName ?? 'recording', timestamp: event.timestamp, message: event.message, ingestionTime: event.timestamp, eventId: `recorded-${i}` });
      }
      continue;
    }
    const step = part.leftOut > 1 ? (part.until - part.from) / (part.leftOut - 1) : 0;
    for (let i = 0; i < part.leftOut; i++) {
      const timestamp = i === part.leftOut - 1 ? part.until : Math.round(part.from + step * i);
      events.push({ logStreamName: 'recording', timestamp, message: LEFT_OUT_MESSAGE, ingestionTime: timestamp, eventId: `left-out-${part.from}-${i}` });
    }
  }
  return { events, searchedLogStreams: [], ...(page.answer.nextToken ? { nextToken: page.answer.nextToken } : {}) };
}
/** `startFromHead: false` is accepted only for windows starting on or after this (reference §1.1). */
const NEWEST_FIRST_SINCE = Date.UTC(2024, 0, 1);

const filterLogEvents: Handler = (input, ctx) => {
  const page = recordedOf(ctx.scenario).page(ctx.accountId, input);
  if (page) return recordedPage(page, input, ctx);
  const group = findGroup(input, ctx);
  const start = typeof input.startTime === 'number' ? input.startTime : Number.NEGATIVE_INFINITY;
  const end = typeof input.endTime === 'number' ? input.endTime : Number.POSITIVE_INFINITY;
  const streams = strings(input.logStreamNames);
  const prefix = str(input.logStreamNamePrefix);
  if (streams && prefix !== undefined) throw awsError('InvalidParameterException', 'logStreamNames and logStreamNamePrefix are mutually exclusive', 400);
  const matches = compileFilterPattern(str(input.filterPattern));
  const scope = `logs:FilterLogEvents:${group.logGroupName}:${start}:${end}:${str(input.filterPattern) ?? ''}:${(streams ?? []).join(',')}:${prefix ?? ''}`;
  // The first request sets the direction; a token keeps it. Some emulators ignore the parameter
  // and answer oldest first (moto does): a scenario can say so.
  const newestFirst = input.nextToken === undefined && input.startFromHead === false && !ctx.scenario.logsFilter?.ignoreStartFromHead;
  if (newestFirst && !(start >= NEWEST_FIRST_SINCE)) {
    throw awsError('InvalidParameterException', 'startFromHead=false is supported only when startTime is on or after 2024-01-01T00:00:00Z', 400);
  }
  const resume: Position = input.nextToken ? decodePosition(input.nextToken, scope) : newestFirst ? { t: end, k: 0, back: true } : { t: start, k: 0 };
  const back = resume.back === true;
  const asked = typeof input.limit === 'number' && input.limit > 0 ? input.limit : FILTER_MAX;
  const maxEvents = Math.max(1, Math.min(asked, FILTER_MAX, ctx.scenario.pageSize ?? Number.POSITIVE_INFINITY));
  const events: Record<string, unknown>[] = [];
  let bytes = 0;
  let skip = resume.k;
  let lastTime = Number.NaN;
  let atLastTime = 0;
  let next: Position | undefined;
  // endTime is inclusive: events at exactly endTime are returned.
  const slices = back ? scanGroupBackward(group, start, resume.t === Number.POSITIVE_INFINITY ? resume.t : resume.t + 1) : scanGroup(group, resume.t, end === Number.POSITIVE_INFINITY ? end : end + 1);
  scan: for (const slice of slices) {
    for (const event of slice) {
      if (streams && !streams.includes(event.logStreamName)) continue;
      if (prefix !== undefined && !event.logStreamName.startsWith(prefix)) continue;
      if (!matches(event.message)) continue;
      // What earlier pages already returned at the resume millisecond.
      if (skip > 0 && event.timestamp === resume.t) {
        skip--;
        continue;
      }
      const size = Buffer.byteLength(event.message) + EVENT_OVERHEAD_BYTES;
      if (events.length >= maxEvents || (events.length > 0 && bytes + size > FILTER_MAX_BYTES)) {
        next = { t: event.timestamp, k: event.timestamp === lastTime ? atLastTime : 0, ...(back ? { back } : {}) };
        break scan;
      }
      events.push(wireEvent(event));
      bytes += size;
      if (event.timestamp === lastTime) atLastTime++;
      else {
        lastTime = event.timestamp;
        atLastTime = (event.timestamp === resume.t ? resume.k : 0) + 1;
      }
    }
  }
  return { events, searchedLogStreams: [], ...(next ? { nextToken: encodePosition(scope, next) } : {}) };
};

function wireEvent(event: StoredEvent): Record<string, unknown> {
  return {
    logStreamName: event.logStreamName,
    timestamp: event.timestamp,
    message: event.message,
    ingestionTime: ingestionTimeOf(event),
    eventId: eventIdOf(event),
  };
}

const describeLogGroups: Handler = (input, ctx) => {
  const prefix = str(input.logGroupNamePrefix);
  const pattern = str(input.logGroupNamePattern);
  const identifiers = strings(input.logGroupIdentifiers);
  const groups = [...ctx.logs().values()]
    .filter((g) => prefix === undefined || g.logGroupName.startsWith(prefix))
    .filter((g) => pattern === undefined || g.logGroupName.toLowerCase().includes(pattern.toLowerCase()))
    .filter((g) => !identifiers || identifiers.some((id) => id === g.logGroupName || id.replace(/:\*$/, '') === groupArn(ctx, g.logGroupName)))
    .sort((a, b) => a.logGroupName.localeCompare(b.logGroupName))
    .map((g) => ({
      logGroupName: g.logGroupName,
      creationTime: g.creationTime,
      arn: `${groupArn(ctx, g.logGroupName)}:*`,
      logGroupArn: groupArn(ctx, g.logGroupName),
      // Generated traffic is never expanded to be measured: about 150 bytes an event.
      storedBytes: g.events.reduce((sum, e) => sum + e.message.length, 0) + (estimatedEvents(g) - g.events.length) * 150,
      metricFilterCount: 0,
      ...(g.retentionInDays !== undefined ? { retentionInDays: g.retentionInDays } : {}),
    }));
  const page = pageOf(groups, {
    token: input.nextToken,
    limit: input.limit,
    serviceMax: DESCRIBE_MAX,
    scenarioPageSize: ctx.scenario.pageSize,
    scope: `logs:DescribeLogGroups:${prefix ?? ''}:${pattern ?? ''}`,
    invalidToken: invalidTokenErrors.logs,
  });
  return { logGroups: page.items, ...(page.next ? { nextToken: page.next } : {}) };
};

// ---------------------------------------------------------------- Logs Insights

type QueryStatus = 'Scheduled' | 'Running' | 'Complete' | 'Failed' | 'Cancelled' | 'Timeout';

interface StoredQuery {
  id: string;
  groups: StoredGroup[];
  from: number;
  to: number;
  run: QueryRun;
  status: QueryStatus;
  polls: number;
  executed: boolean;
  rows?: ReturnType<QueryRun['finish']>;
  /** A recording's answers to this query, given back poll by poll. */
  recorded?: RecordedInsightsQuery;
}

/** Queries of one transport, by id; each account's log store holds its own. */
const registries = new WeakMap<object, Map<string, StoredQuery>>();

function queriesOf(ctx: ServiceContext): Map<string, StoredQuery> {
  const store = ctx.logs();
  let registry = registries.get(store);
  if (!registry) {
    registry = new Map();
    registries.set(store, registry);
  }
  return registry;
}

function queryGroups(input: Record<string, unknown>, ctx: ServiceContext): StoredGroup[] {
  const single = str(input.logGroupName);
  const names = strings(input.logGroupNames);
  const identifiers = strings(input.logGroupIdentifiers);
  const given = [single !== undefined, names !== undefined, identifiers !== undefined].filter(Boolean).length;
  if (given !== 1) throw awsError('InvalidParameterException', 'Specify exactly one of logGroupName, logGroupNames or logGroupIdentifiers', 400);
  const list = single !== undefined ? [single] : (names ?? (identifiers ?? []).map((id) => nameOf(id) ?? id));
  if (list.length === 0 || list.length > MAX_QUERY_GROUPS) throw awsError('InvalidParameterException', `A query can use from 1 to ${MAX_QUERY_GROUPS} log groups`, 400);
  return list.map((name) => {
    const group = ctx.logs().get(name);
    if (!group) throw awsError('ResourceNotFoundException', `Log group ${name} does not exist`, 400);
    return group;
  });
}

const startQuery: Handler = (input, ctx) => {
  const recorded = recordedOf(ctx.scenario).query(ctx.accountId, input);
  if (recorded) {
    const registry = queriesOf(ctx);
    const id = `${String(registry.size + 1).padStart(8, '0')}-reco-4rde-8que-${ctx.accountId}`;
    registry.set(id, { id, groups: [], from: 0, to: 0, run: new QueryRun([], undefined), status: 'Scheduled', polls: 0, executed: true, recorded });
    return { queryId: id };
  }
  const groups = queryGroups(input, ctx);
  const queryString = str(input.queryString);
  if (!queryString) throw malformed('queryString is required');
  if (typeof input.startTime !== 'number' || typeof input.endTime !== 'number') throw awsError('InvalidParameterException', 'startTime and endTime are required (epoch seconds)', 400);
  if (input.endTime < input.startTime) throw awsError('InvalidParameterException', 'endTime must not be before startTime', 400);
  const commands = parseQuery(queryString);
  const registry = queriesOf(ctx);
  const running = [...registry.values()].filter((q) => q.status === 'Scheduled' || q.status === 'Running').length;
  if (running >= MAX_CONCURRENT_QUERIES) throw awsError('LimitExceededException', `Account maximum query concurrency limit of [${MAX_CONCURRENT_QUERIES}] reached.`, 400);
  const id = `${String(registry.size + 1).padStart(8, '0')}-sand-4box-8que-${ctx.accountId}`;
  registry.set(id, {
    id,
    groups,
    // Both ends are inclusive seconds.
    from: input.startTime * 1000,
    to: input.endTime * 1000 + 1000,
    run: new QueryRun(commands, typeof input.limit === 'number' ? input.limit : undefined, ctx.scenario.logsInsights?.answer),
    status: 'Scheduled',
    polls: 0,
    executed: false,
  });
  return { queryId: id };
};

const groupsKey = (q: StoredQuery) => q.groups.map((g) => g.logGroupName).join('\u0000');

/** Runs every query still waiting on the same log groups in one pass over the union of their windows. */
function execute(query: StoredQuery, registry: Map<string, StoredQuery>): void {
  const key = groupsKey(query);
  const batch = [...registry.values()].filter((q) => !q.executed && q.status !== 'Cancelled' && groupsKey(q) === key);
  const from = Math.min(...batch.map((q) => q.from));
  const to = Math.max(...batch.map((q) => q.to));
  for (const group of query.groups) {
    const log = group.logGroupName;
    for (const slice of scanGroup(group, from, to)) {
      for (const event of slice) {
        for (const q of batch) if (event.timestamp >= q.from && event.timestamp < q.to) q.run.feed(event, log);
      }
    }
  }
  for (const q of batch) {
    q.executed = true;
    q.run.scanned(q.groups.length);
    q.rows = q.run.finish();
  }
}

function partial(statistics: QueryStatistics, share: number): QueryStatistics {
  return {
    recordsMatched: Math.floor(statistics.recordsMatched * share),
    recordsScanned: Math.floor(statistics.recordsScanned * share),
    bytesScanned: Math.floor(statistics.bytesScanned * share),
    logGroupsScanned: statistics.logGroupsScanned,
  };
}

const getQueryResults: Handler = (input, ctx) => {
  const registry = queriesOf(ctx);
  const query = registry.get(str(input.queryId) ?? '');
  if (!query) throw awsError('ResourceNotFoundException', 'Query does not exist.', 400);
  if (query.recorded) return recordedPoll(query, query.recorded);
  const behaviour = ctx.scenario.logsInsights;
  const runningPolls = behaviour?.runningPolls ?? 1;
  if (query.status === 'Scheduled' || query.status === 'Running') {
    if (!query.executed) execute(query, registry);
    query.polls++;
    // With more than one poll to wait, the first answer is Scheduled (queued), then Running.
    if (query.polls > runningPolls) query.status = behaviour?.outcome ?? 'Complete';
    else query.status = query.polls === 1 && runningPolls > 1 ? 'Scheduled' : 'Running';
  }
  const statistics = query.status === 'Running' ? partial(query.run.statistics, query.polls / (runningPolls + 1)) : query.run.statistics;
  const rows = query.status === 'Complete' ? (query.rows ?? []) : [];
  return { status: query.status, results: rows, statistics: { ...statistics } };
};

/** The recorded answers in order, then the last one again (a query stopped while Running stays Running). */
function recordedPoll(query: StoredQuery, recorded: RecordedInsightsQuery): Record<string, unknown> {
  const answer = recorded.polls[query.polls] ?? recorded.answer;
  query.polls++;
  if (query.status !== 'Cancelled') query.status = answer.status as QueryStatus;
  const last = answer === recorded.answer;
  return {
    status: query.status === 'Cancelled' ? 'Cancelled' : answer.status,
    statistics: { ...(answer.statistics ?? {}) },
    results: last && answer.status === 'Complete' ? structuredClone(recorded.answer.results) : [],
  };
}

const stopQuery: Handler = (input, ctx) => {
  const query = queriesOf(ctx).get(str(input.queryId) ?? '');
  if (!query) throw awsError('ResourceNotFoundException', 'Query does not exist.', 400);
  if (query.status !== 'Scheduled' && query.status !== 'Running') return { success: false };
  query.status = 'Cancelled';
  return { success: true };
};

export const logsHandlers: ServiceHandlers = {
  FilterLogEvents: filterLogEvents,
  DescribeLogGroups: describeLogGroups,
  StartQuery: startQuery,
  GetQueryResults: getQueryResults,
  StopQuery: stopQuery,
};
