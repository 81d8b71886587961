import type { CapturedCall, RecordedLogEvent, ScenarioPath, ScenarioWriter } from '../../core/recording.js';

/**
 * The scenario a recording builds, as plain data (the `ScenarioWriter` the sources' record steps
 * write into). It knows the scenario format's containers and nothing about any source: accounts
 * and their sections, log groups and their kept events, the answers replayed verbatim
 * (`recorded:`), DNS records and what was left out. `build()` gives the scenario object.
 */
type Json = Record<string, unknown>;

interface StoredEvent extends RecordedLogEvent {
  /** Order of first sight: events of one millisecond keep it. */
  seen: number;
}

interface GroupDraft {
  events: Map<string, StoredEvent>;
  /** FilterLogEvents calls on this group, in the order they were made. */
  calls: CapturedCall[];
}

/** Pagination keys: opaque tokens the recording replaces with its own short ones. */
const TOKEN_KEYS = new Set(['nextToken', 'NextToken', 'position', 'Marker', 'NextMarker']);

const eventKey = (e: RecordedLogEvent) => `${e.timestamp}\u0000${e.logStreamName ?? ''}\u0000${e.message}`;

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date);
}

/** Dates become ISO strings, `undefined` disappears: what YAML and JSON can hold. */
export function plain(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(plain);
  if (value instanceof Uint8Array) return Buffer.from(value).toString('utf8');
  if (isObject(value)) {
    const out: Json = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = plain(v);
    return out;
  }
  return value;
}

function matches(item: unknown, selector: Readonly<Record<string, string>>): boolean {
  return isObject(item) && Object.entries(selector).every(([k, v]) => item[k] === v);
}

/** Later answers fill in what earlier ones lacked; a nested object merges, anything else is replaced. */
function merge(into: Json, fields: Json): void {
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    const existing = into[key];
    if (isObject(existing) && isObject(value)) merge(existing, value);
    else into[key] = plain(value);
  }
}

export class ScenarioDocument implements ScenarioWriter {
  private readonly top: Json = {};
  private readonly accounts = new Map<string, Json>();
  private readonly groups = new Map<string, Map<string, GroupDraft>>();
  private readonly insights: Json[] = [];
  private readonly answers = new Map<string, Json>();
  private readonly records: Record<string, Json> = {};
  private readonly notes: string[] = [];
  private readonly tokens = new Map<string, string>();
  private seen = 0;

  /** Accounts in the order given first: the home account leads. */
  account(accountId: string): Json {
    let account = this.accounts.get(accountId);
    if (!account) {
      account = { accountId };
      this.accounts.set(accountId, account);
    }
    return account;
  }

  put(accountId: string | undefined, path: ScenarioPath, fields: Json): void {
    let node: Json = accountId === undefined ? this.top : this.account(accountId);
    path.forEach((segment, index) => {
      if (typeof segment !== 'string') return;
      const selector = path[index + 1];
      if (selector !== undefined && typeof selector !== 'string') {
        const list = (Array.isArray(node[segment]) ? node[segment] : (node[segment] = [])) as unknown[];
        let item = list.find((candidate) => matches(candidate, selector)) as Json | undefined;
        if (!item) {
          item = { ...selector };
          list.push(item);
        }
        node = item;
      } else {
        const next = node[segment];
        node = (isObject(next) ? next : (node[segment] = {})) as Json;
      }
    });
    merge(node, fields);
  }

  private group(accountId: string, name: string): GroupDraft {
    let byName = this.groups.get(accountId);
    if (!byName) {
      byName = new Map();
      this.groups.set(accountId, byName);
    }
    let group = byName.get(name);
    if (!group) {
      group = { events: new Map(), calls: [] };
      byName.set(name, group);
    }
    return group;
  }

  logEvents(accountId: string, logGroupName: string, events: readonly RecordedLogEvent[]): void {
    const group = this.group(accountId, logGroupName);
    for (const event of events) {
      const key = eventKey(event);
      if (!group.events.has(key)) group.events.set(key, { ...event, seen: this.seen++ });
    }
  }

  filterLogEvents(call: CapturedCall): void {
    const name = String(call.input.logGroupName ?? call.input.logGroupIdentifier ?? '');
    if (!name) return;
    this.group(call.accountId, name.replace(/:\*$/, '').replace(/^arn:[^:]*:logs:[^:]*:\d*:log-group:/, '')).calls.push(call);
  }

  insightsQuery(start: CapturedCall, polls: readonly CapturedCall[], stopped: boolean): void {
    const answered = polls.filter((p) => p.output);
    const last = answered[answered.length - 1]?.output;
    this.insights.push({
      account: start.accountId,
      request: plain(this.request(start.input)),
      // Every GetQueryResults answer before the last (Scheduled, Running: their statistics), then the last in full.
      polls: answered.slice(0, -1).map((p) => plain({ status: p.output?.status, statistics: p.output?.statistics })),
      answer: plain({ status: last?.status ?? 'Running', statistics: last?.statistics, results: last?.results ?? [] }),
      ...(stopped ? { stopped: true } : {}),
    });
  }

  answer(call: CapturedCall): void {
    if (!call.output) return;
    const entry = { operation: `${call.service}:${call.operation}`, account: call.accountId, request: plain(this.request(call.input)), answer: plain(this.tokenized(call.output)) };
    this.answers.set(JSON.stringify([entry.operation, entry.account, entry.request]), entry);
  }

  dns(name: string, answer: { cname?: string[]; a?: string[]; cnameError?: string; aError?: string }): void {
    const record = (this.records[name] ??= {});
    merge(record, answer);
  }

  leftOut(note: string): void {
    if (!this.notes.includes(note)) this.notes.push(note);
  }

  get leftOutNotes(): readonly string[] {
    return this.notes;
  }

  /** A short stand-in for an opaque pagination token (the same token, the same stand-in). */
  private token(value: string): string {
    let short = this.tokens.get(value);
    if (!short) {
      short = `t${this.tokens.size + 1}`;
      this.tokens.set(value, short);
    }
    return short;
  }

  private tokenized(value: Json): Json {
    const out: Json = {};
    for (const [key, v] of Object.entries(value)) out[key] = TOKEN_KEYS.has(key) && typeof v === 'string' && v !== '' ? this.token(v) : v;
    return out;
  }

  /** A request as the replay will make it: tokens replaced, empty fields dropped. */
  private request(input: Json): Json {
    return this.tokenized(input);
  }

  /** A request as a fault matches it: plain data, tokens as the recording names them. */
  requestOf(input: Json): Json {
    return plain(this.request(input)) as Json;
  }

  /**
   * A group's kept events in time order, and its FilterLogEvents answers as parts: runs of kept
   * events by position (`[first, last]`) and counts of the events left out (`{leftOut, from, until}`).
   */
  private logsOf(accountId: string, account: Json, byName: Map<string, GroupDraft>, pages: Json[]): void {
    for (const [logGroupName, group] of byName) {
      const events = [...group.events.values()].sort((a, b) => a.timestamp - b.timestamp || a.seen - b.seen);
      const position = new Map(events.map((e, index) => [eventKey(e), index]));
      this.put(accountId, ['logs', 'groups', { logGroupName }], {});
      const target = ((account.logs as Json).groups as Json[]).find((g) => g.logGroupName === logGroupName) as Json;
      target.events = events.map((e) => ({ timestamp: e.timestamp, message: e.message, ...(e.logStreamName ? { logStreamName: e.logStreamName } : {}) }));
      for (const call of group.calls) {
        if (!call.output) continue;
        const parts: unknown[] = [];
        let left: { n: number; from: number; until: number } | undefined;
        const flush = () => {
          if (left) parts.push({ leftOut: left.n, from: left.from, until: left.until });
          left = undefined;
        };
        for (const raw of (call.output.events as Json[] | undefined) ?? []) {
          const event = { timestamp: Number(raw.timestamp ?? 0), message: String(raw.message ?? '').replace(/\n$/, ''), ...(raw.logStreamName ? { logStreamName: String(raw.logStreamName) } : {}) };
          const at = position.get(eventKey(event));
          if (at === undefined) {
            if (left) {
              left.n++;
              left.until = event.timestamp;
            } else left = { n: 1, from: event.timestamp, until: event.timestamp };
            continue;
          }
          flush();
          const previous = parts[parts.length - 1];
          if (Array.isArray(previous) && previous[1] === at - 1) previous[1] = at;
          else parts.push([at, at]);
        }
        flush();
        const next = typeof call.output.nextToken === 'string' ? this.token(call.output.nextToken) : undefined;
        pages.push({ account: accountId, request: plain(this.request(call.input)), answer: { events: parts, ...(next ? { nextToken: next } : {}) } });
      }
    }
  }

  /** The scenario object (before egress and anonymising), with everything written so far. */
  build(head: Json): Json {
    const pages: Json[] = [];
    for (const [accountId, byName] of this.groups) this.logsOf(accountId, this.account(accountId), byName, pages);
    const recorded: Json = {
      ...(this.notes.length ? { leftOut: [...this.notes] } : {}),
      ...(pages.length ? { filterLogEvents: pages } : {}),
      ...(this.insights.length ? { insights: this.insights } : {}),
      ...(this.answers.size ? { answers: [...this.answers.values()] } : {}),
    };
    return {
      ...head,
      accounts: [...this.accounts.values()],
      ...(Object.keys(this.records).length ? { dns: { records: this.records } } : {}),
      ...this.top,
      recorded: { ...(head.recorded as Json | undefined), ...recorded },
    };
  }
}
