import { trimEndWhile, trimStartWhile } from '../../core/trim.js';
import type { StoredEvent } from '../log-store.js';
import type { Aggregate, Command, Condition, GroupKey, Operand } from './parse.js';

/**
 * Runs a parsed Logs Insights query over events fed one at a time in time order, so several
 * queries can share one pass over a log group. Values come back as strings, rows as
 * `{field, value}` lists, and statistics as GetQueryResults reports them.
 */
export interface ResultField {
  field: string;
  value: string;
}

export interface QueryStatistics {
  recordsMatched: number;
  recordsScanned: number;
  bytesScanned: number;
  logGroupsScanned: number;
}

type Value = string | number | undefined;

/** `2024-05-01 11:59:59.123`, the way Insights prints @timestamp and bin(). */
export function insightsTime(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
}

function flatten(value: unknown, prefix: string, out: Record<string, string>): void {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    for (const [key, v] of Object.entries(value as Record<string, unknown>)) flatten(v, prefix ? `${prefix}.${key}` : key, out);
  } else if (prefix) out[prefix] = typeof value === 'string' ? value : JSON.stringify(value);
}

/** One event as Insights sees it: system fields, fields discovered in JSON, and fields parsed by the query. */
class Row {
  parsed: Record<string, Value> | undefined;
  private json: Record<string, string> | null | undefined;
  constructor(
    public event: StoredEvent,
    public log: string,
  ) {}
  /** One Row per query, pointed at each event in turn: millions of events, no garbage per event. */
  reset(event: StoredEvent, log: string): void {
    this.event = event;
    this.log = log;
    this.parsed = undefined;
    this.json = undefined;
  }
  get(name: string): Value {
    if (this.parsed && name in this.parsed) return this.parsed[name];
    switch (name) {
      case '@timestamp':
        return this.event.timestamp;
      case '@message':
        return this.event.message;
      case '@logStream':
        return this.event.logStreamName;
      case '@log':
        return this.log;
      case '@ingestionTime':
        return this.event.timestamp + 250;
    }
    if (this.json === undefined) {
      this.json = null;
      const message = this.event.message;
      if (message.startsWith('{')) {
        try {
          const fields: Record<string, string> = {};
          flatten(JSON.parse(message), '', fields);
          this.json = fields;
        } catch {
          // Not JSON after all: no discovered fields.
        }
      }
    }
    return this.json ? this.json[name] : undefined;
  }
  set(name: string, value: Value): void {
    this.parsed ??= {};
    this.parsed[name] = value;
  }
}

function numeric(value: Value): number | undefined {
  if (typeof value === 'number') return value;
  if (value === undefined || value.trim() === '') return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
}

function evaluate(operand: Operand, row: Row): Value {
  switch (operand.kind) {
    case 'field':
      return row.get(operand.name);
    case 'string':
      return operand.value;
    case 'number':
      return operand.value;
    case 'regex':
      return operand.regex.source;
    case 'call': {
      const args = operand.args.map((a) => evaluate(a, row));
      const text = (v: Value) => (v === undefined ? '' : String(v));
      switch (operand.name) {
        case 'ispresent':
          return args[0] !== undefined ? 1 : 0;
        case 'isempty':
          return args[0] === undefined || text(args[0]) === '' ? 1 : 0;
        case 'strcontains':
          return text(args[0]).includes(text(args[1])) ? 1 : 0;
        case 'tolower':
          return text(args[0]).toLowerCase();
        case 'toupper':
          return text(args[0]).toUpperCase();
        case 'strlen':
          return text(args[0]).length;
        default:
          return undefined;
      }
    }
  }
}

function compare(op: string, left: Value, right: Value): boolean {
  if (left === undefined || right === undefined) return op === '!=' ? left !== right : false;
  const a = numeric(left);
  const b = numeric(right);
  const bothNumbers = a !== undefined && b !== undefined;
  const l = bothNumbers ? a : String(left);
  const r = bothNumbers ? b : String(right);
  switch (op) {
    case '=':
      return l === r;
    case '!=':
      return l !== r;
    case '<':
      return l < r;
    case '<=':
      return l <= r;
    case '>':
      return l > r;
    default:
      return l >= r;
  }
}

let memoEvent: StoredEvent | undefined;
/** Keyed by the (interned) RegExp object: no key string is built per event. */
const memo = new Map<RegExp, boolean>();

function test(condition: Condition, row: Row): boolean {
  switch (condition.kind) {
    case 'and':
      return test(condition.left, row) && test(condition.right, row);
    case 'or':
      return test(condition.left, row) || test(condition.right, row);
    case 'not':
      return !test(condition.operand, row);
    case 'compare':
      return compare(condition.op, evaluate(condition.left, row), evaluate(condition.right, row));
    case 'like': {
      // Queries sharing a pass often filter on the same regex over @message: test it once per event.
      const shared = condition.left.kind === 'field' && condition.left.name === '@message' && typeof condition.pattern !== 'string' && !row.parsed?.['@message'];
      const key = condition.pattern as RegExp;
      if (shared) {
        if (memoEvent !== row.event) {
          memoEvent = row.event;
          memo.clear();
        }
        const known = memo.get(key);
        if (known !== undefined) return known;
      }
      const value = evaluate(condition.left, row);
      if (value === undefined) return false;
      const text = String(value);
      const hit = typeof condition.pattern === 'string' ? text.includes(condition.pattern) : condition.pattern.test(text);
      if (shared) memo.set(key, hit);
      return hit;
    }
    case 'in': {
      const value = evaluate(condition.left, row);
      const hit = value !== undefined && condition.values.some((v) => String(evaluate(v, row)) === String(value));
      return condition.negated ? !hit : hit;
    }
    case 'truthy': {
      const value = evaluate(condition.operand, row);
      return value !== undefined && value !== 0 && value !== '';
    }
  }
}

interface Accumulator {
  count: number;
  sum: number;
  min: number;
  max: number;
  values: number[];
  distinct: Set<string>;
  earliest?: { t: number; v: string };
  latest?: { t: number; v: string };
}

const newAccumulator = (): Accumulator => ({ count: 0, sum: 0, min: Number.POSITIVE_INFINITY, max: Number.NEGATIVE_INFINITY, values: [], distinct: new Set() });

function accumulate(acc: Accumulator, aggregate: Aggregate, row: Row): void {
  if (aggregate.fn === 'count' && aggregate.field === undefined) {
    acc.count++;
    return;
  }
  const value = row.get(aggregate.field as string);
  if (value === undefined || value === '') return;
  acc.count++;
  switch (aggregate.fn) {
    case 'count_distinct':
      acc.distinct.add(String(value));
      return;
    case 'earliest':
    case 'latest': {
      const t = row.event.timestamp;
      if (!acc.earliest || t < acc.earliest.t) acc.earliest = { t, v: String(value) };
      if (!acc.latest || t >= acc.latest.t) acc.latest = { t, v: String(value) };
      return;
    }
    case 'count':
      return;
  }
  const n = numeric(value);
  if (n === undefined) {
    acc.count--;
    return;
  }
  acc.sum += n;
  acc.min = Math.min(acc.min, n);
  acc.max = Math.max(acc.max, n);
  if (aggregate.fn === 'pct') acc.values.push(n);
}

function formatNumber(n: number): string {
  return Number.isInteger(n) ? String(n) : String(Math.round(n * 1000) / 1000);
}

function result(acc: Accumulator, aggregate: Aggregate): string {
  switch (aggregate.fn) {
    case 'count':
      return String(acc.count);
    case 'count_distinct':
      return String(acc.distinct.size);
    case 'sum':
      return formatNumber(acc.sum);
    case 'avg':
      return acc.count ? formatNumber(acc.sum / acc.count) : '';
    case 'min':
      return acc.count ? formatNumber(acc.min) : '';
    case 'max':
      return acc.count ? formatNumber(acc.max) : '';
    case 'earliest':
      return acc.earliest?.v ?? '';
    case 'latest':
      return acc.latest?.v ?? '';
    case 'pct': {
      if (acc.values.length === 0) return '';
      const sorted = Float64Array.from(acc.values).sort();
      const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(((aggregate.percentile ?? 50) / 100) * sorted.length) - 1));
      return formatNumber(sorted[rank] as number);
    }
  }
}

/** A token's middle as `<*>`, its opening and closing punctuation kept: `(id=42),` → `(<*>),`. */
function masked(token: string): string {
  const body = trimStartWhile(token, (c) => '("\'[{'.includes(c));
  const open = token.slice(0, token.length - body.length);
  const close = body.slice(trimEndWhile(body, (c) => ')"\']},;:.'.includes(c)).length);
  return `${open}<*>${close}`;
}

/** Variable parts of a line (anything with a digit: ids, times, counts, addresses) become `<*>`. */
export function patternOf(text: string): string {
  return text
    .split(/(\s+)/)
    .map((token) => (/\d/.test(token) ? masked(token) : token))
    .join('');
}

function severityOf(pattern: string): string {
  if (/error|fail|exception|timed out|denied|not authorized|unauthori[sz]ed|exceeded|status: 5\d\d/i.test(pattern)) return 'Error';
  if (/warn|throttl|limit/i.test(pattern)) return 'Warning';
  return 'Info';
}

type Output = Record<string, string>;

function sortRows(rows: Output[], keys: { column: string; desc: boolean }[]): Output[] {
  return rows.sort((a, b) => {
    for (const key of keys) {
      const x = a[key.column];
      const y = b[key.column];
      if (x === y) continue;
      if (x === undefined) return 1;
      if (y === undefined) return -1;
      const nx = numeric(x);
      const ny = numeric(y);
      const order = nx !== undefined && ny !== undefined ? nx - ny : x < y ? -1 : 1;
      return key.desc ? -order : order;
    }
    return 0;
  });
}

const DEFAULT_LIMIT = 10_000;

/** One query's state while events stream through it. */
export class QueryRun {
  private readonly before: Command[];
  private readonly aggregation: Command | undefined;
  private readonly after: Command[];
  private readonly limit: number;
  readonly statistics: QueryStatistics = { recordsMatched: 0, recordsScanned: 0, bytesScanned: 0, logGroupsScanned: 0 };
  private readonly groups = new Map<string, { keys: Output; accumulators: Accumulator[] }>();
  private readonly patterns = new Map<string, number>();
  private patternInput = 0;
  private rows: Output[] = [];
  private ringStart = 0;
  private readonly newestOnly: boolean;
  private projection: { name: string; column: string }[] | undefined;
  private readonly row = new Row({ timestamp: 0, message: '', logStreamName: '', order: 0 }, '');

  /**
   * `answer` is how a Complete answer comes back: `stats` as Logs Insights computes it, `events`
   * as moto answers an aggregation (the matching events, without the columns asked for), `text`
   * with words where the aggregated numbers belong.
   */
  constructor(
    commands: Command[],
    limit: number | undefined,
    private readonly answer: 'stats' | 'events' | 'text' = 'stats',
  ) {
    if (answer === 'events') commands = commands.filter((c) => c.kind !== 'stats' && c.kind !== 'pattern');
    const at = commands.findIndex((c) => c.kind === 'stats' || c.kind === 'pattern');
    this.before = at < 0 ? commands.filter((c) => c.kind !== 'sort' && c.kind !== 'limit') : commands.slice(0, at);
    this.aggregation = at < 0 ? undefined : commands[at];
    this.after = at < 0 ? commands.filter((c) => c.kind === 'sort' || c.kind === 'limit') : commands.slice(at + 1);
    const limits = [limit ?? DEFAULT_LIMIT, ...this.after.flatMap((c) => (c.kind === 'limit' ? [c.count] : []))];
    this.limit = Math.min(DEFAULT_LIMIT, ...limits);
    const sort = this.after.find((c) => c.kind === 'sort');
    // Events arrive oldest first: "newest N" needs only a ring of N rows.
    this.newestOnly = !this.aggregation && (!sort || (sort.kind === 'sort' && sort.keys.length === 1 && sort.keys[0]?.column === '@timestamp' && sort.keys[0].desc));
    for (const c of this.before) if (c.kind === 'fields') this.projection = c.fields;
  }

  scanned(groups: number): void {
    this.statistics.logGroupsScanned = groups;
  }

  feed(event: StoredEvent, log: string): void {
    this.statistics.recordsScanned++;
    this.statistics.bytesScanned += event.message.length + 26;
    const row = this.row;
    row.reset(event, log);
    for (const command of this.before) {
      if (command.kind === 'filter') {
        if (!test(command.condition, row)) return;
      } else if (command.kind === 'parse') {
        const value = row.get(command.field);
        const match = value === undefined ? null : command.regex.exec(String(value));
        if (match) {
          command.names.forEach((name, index) => row.set(name, match.groups?.[name] ?? match[index + 1]));
        }
      } else if (command.kind === 'fields') {
        for (const f of command.fields) if (f.column !== f.name) row.set(f.column, row.get(f.name));
      }
    }
    this.statistics.recordsMatched++;
    const aggregation = this.aggregation;
    if (aggregation?.kind === 'stats') this.addStats(aggregation.aggregates, aggregation.by, row);
    else if (aggregation?.kind === 'pattern') this.addPattern(aggregation.field, row);
    else this.addRow(row);
  }

  private addStats(aggregates: Aggregate[], by: GroupKey[], row: Row): void {
    // Keyed by the bin's number; the time is formatted once per group, not once per event.
    let id = '';
    for (const key of by) {
      id += key.binMs !== undefined ? `${Math.floor(row.event.timestamp / key.binMs)}\u0000` : `${String(row.get(key.field as string) ?? '')}\u0000`;
    }
    let group = this.groups.get(id);
    if (!group) {
      const keys: Output = {};
      for (const key of by) {
        keys[key.column] = key.binMs !== undefined ? insightsTime(Math.floor(row.event.timestamp / key.binMs) * key.binMs) : String(row.get(key.field as string) ?? '');
      }
      group = { keys, accumulators: aggregates.map(newAccumulator) };
      this.groups.set(id, group);
    }
    aggregates.forEach((aggregate, index) => accumulate(group.accumulators[index] as Accumulator, aggregate, row));
  }

  private addPattern(field: string, row: Row): void {
    const value = row.get(field);
    if (value === undefined) return;
    this.patternInput++;
    const pattern = patternOf(String(value));
    this.patterns.set(pattern, (this.patterns.get(pattern) ?? 0) + 1);
  }

  private addRow(row: Row): void {
    const out: Output = {};
    const fields = this.projection ?? [
      { name: '@timestamp', column: '@timestamp' },
      { name: '@message', column: '@message' },
    ];
    for (const f of fields) {
      const value = row.get(f.column);
      if (value !== undefined) out[f.column] = f.name === '@timestamp' || f.column === '@timestamp' ? insightsTime(row.event.timestamp) : String(value);
    }
    out['@ptr'] = Buffer.from(`${row.log}|${row.event.timestamp}|${row.event.order}`).toString('base64');
    if (this.newestOnly) {
      if (this.rows.length < this.limit) this.rows.push(out);
      else {
        this.rows[this.ringStart] = out;
        this.ringStart = (this.ringStart + 1) % this.limit;
      }
    } else this.rows.push(out);
  }

  /** The result rows, as GetQueryResults returns them. */
  finish(): ResultField[][] {
    let rows: Output[];
    if (this.aggregation?.kind === 'stats') {
      const { aggregates } = this.aggregation;
      rows = [...this.groups.values()].map((g) => {
        const out: Output = { ...g.keys };
        aggregates.forEach((aggregate, index) => {
          const value = result(g.accumulators[index] as Accumulator, aggregate);
          out[aggregate.column] = this.answer === 'text' && value !== '' ? `about ${value}` : value;
        });
        return out;
      });
    } else if (this.aggregation?.kind === 'pattern') {
      rows = [...this.patterns.entries()]
        .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
        .map(([pattern, count]) => ({
          '@pattern': pattern,
          '@sampleCount': String(count),
          '@ratio': (count / Math.max(1, this.patternInput)).toFixed(2),
          '@severityLabel': severityOf(pattern),
        }));
    } else if (this.newestOnly) {
      rows = [...this.rows.slice(this.ringStart), ...this.rows.slice(0, this.ringStart)].reverse();
    } else rows = this.rows;
    for (const command of this.after) {
      if (command.kind === 'sort') rows = sortRows(rows, command.keys);
      else if (command.kind === 'filter') rows = rows.filter((r) => test(command.condition, new RowOfOutput(r) as unknown as Row));
      else if (command.kind === 'fields') rows = rows.map((r) => Object.fromEntries(command.fields.map((f) => [f.column, r[f.name] ?? ''])));
    }
    return rows.slice(0, this.limit).map((r) => Object.entries(r).map(([field, value]) => ({ field, value })));
  }
}

/** Lets a filter after stats read the aggregated columns. */
class RowOfOutput {
  readonly event = { timestamp: 0, message: '', logStreamName: '', order: 0 };
  constructor(private readonly output: Output) {}
  get(name: string): Value {
    return this.output[name];
  }
}
