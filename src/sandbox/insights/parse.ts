import { awsError } from '../aws-error.js';

/**
 * A parser for the part of CloudWatch Logs Insights QL that firebreak sends (reference §3):
 * `fields`, `display`, `filter`, `parse`, `stats` (count, count_distinct, sum, avg, min, max, pct,
 * by fields and `bin()`), `sort`, `limit` and `pattern`. Anything else is refused the way
 * CloudWatch refuses a bad query (MalformedQueryException), never silently ignored.
 */
export type Operand =
  | { kind: 'field'; name: string }
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number }
  | { kind: 'regex'; regex: RegExp }
  | { kind: 'call'; name: string; args: Operand[] };

export type Condition =
  | { kind: 'and' | 'or'; left: Condition; right: Condition }
  | { kind: 'not'; operand: Condition }
  | { kind: 'compare'; op: '=' | '!=' | '<' | '<=' | '>' | '>='; left: Operand; right: Operand }
  | { kind: 'like'; left: Operand; pattern: RegExp | string }
  | { kind: 'in'; left: Operand; values: Operand[]; negated: boolean }
  | { kind: 'truthy'; operand: Operand };

export interface Aggregate {
  fn: 'count' | 'count_distinct' | 'sum' | 'avg' | 'min' | 'max' | 'pct' | 'earliest' | 'latest';
  field?: string;
  percentile?: number;
  column: string;
}

export interface GroupKey {
  field?: string;
  binMs?: number;
  column: string;
}

export type Command =
  | { kind: 'fields'; fields: { name: string; column: string }[]; display: boolean }
  | { kind: 'filter'; condition: Condition }
  | { kind: 'parse'; field: string; regex: RegExp; names: string[] }
  | { kind: 'stats'; aggregates: Aggregate[]; by: GroupKey[] }
  | { kind: 'sort'; keys: { column: string; desc: boolean }[] }
  | { kind: 'limit'; count: number }
  | { kind: 'pattern'; field: string };

export const malformed = (message: string) => awsError('MalformedQueryException', message, 400);

type Token =
  | { t: 'str'; v: string }
  | { t: 'num'; v: number }
  | { t: 're'; v: RegExp; source: string }
  | { t: 'id'; v: string }
  | { t: 'op'; v: string };

/**
 * One RegExp object per pattern text, so queries sharing a pass over a group test the same filter
 * once per event (run.ts keys its memo on the object, not on the pattern's text).
 */
const interned = new Map<string, RegExp>();

function toRegex(body: string): RegExp {
  const known = interned.get(body);
  if (known) return known;
  const regex = compileRegex(body);
  if (interned.size < 1_000) interned.set(body, regex);
  return regex;
}

function compileRegex(body: string): RegExp {
  let flags = '';
  let source = body;
  if (source.startsWith('(?i)')) {
    flags = 'i';
    source = source.slice(4);
  }
  try {
    return new RegExp(source, flags);
  } catch (err) {
    throw malformed(`invalid regular expression /${body}/: ${(err as Error).message}`);
  }
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '"' || c === "'") {
      let j = i + 1;
      let value = '';
      while (j < text.length && text[j] !== c) {
        if (text[j] === '\\' && j + 1 < text.length) {
          value += text[j + 1];
          j += 2;
        } else value += text[j++];
      }
      if (j >= text.length) throw malformed(`unterminated string at ${i}`);
      tokens.push({ t: 'str', v: value });
      i = j + 1;
      continue;
    }
    if (c === '/') {
      let j = i + 1;
      while (j < text.length && text[j] !== '/') j += text[j] === '\\' ? 2 : 1;
      if (j >= text.length) throw malformed(`unterminated regular expression at ${i}`);
      const body = text.slice(i + 1, j);
      tokens.push({ t: 're', v: toRegex(body), source: body });
      i = j + 1;
      continue;
    }
    if (c === '`') {
      const j = text.indexOf('`', i + 1);
      if (j < 0) throw malformed(`unterminated backtick at ${i}`);
      tokens.push({ t: 'id', v: text.slice(i + 1, j) });
      i = j + 1;
      continue;
    }
    const op = /^(=~|!=|<=|>=|=|<|>|\(|\)|\[|\]|,|\*)/.exec(text.slice(i));
    if (op) {
      tokens.push({ t: 'op', v: op[1] as string });
      i += (op[1] as string).length;
      continue;
    }
    const period = /^\d+(ms|min|s|m|h|d)\b/.exec(text.slice(i));
    if (period) {
      tokens.push({ t: 'id', v: period[0] });
      i += period[0].length;
      continue;
    }
    const num = /^-?\d+(\.\d+)?(?![A-Za-z_@])/.exec(text.slice(i));
    if (num) {
      tokens.push({ t: 'num', v: Number(num[0]) });
      i += num[0].length;
      continue;
    }
    const id = /^[@A-Za-z_][\w.@$-]*/.exec(text.slice(i));
    if (id) {
      tokens.push({ t: 'id', v: id[0] });
      i += id[0].length;
      continue;
    }
    throw malformed(`unexpected character '${c}' at ${i}`);
  }
  return tokens;
}

class Tokens {
  private index = 0;
  constructor(private readonly list: Token[]) {}
  peek(offset = 0): Token | undefined {
    return this.list[this.index + offset];
  }
  next(): Token {
    const token = this.list[this.index++];
    if (!token) throw malformed('unexpected end of query');
    return token;
  }
  done(): boolean {
    return this.index >= this.list.length;
  }
  isOp(v: string): boolean {
    const token = this.peek();
    return token?.t === 'op' && token.v === v;
  }
  isWord(v: string): boolean {
    const token = this.peek();
    return token?.t === 'id' && token.v.toLowerCase() === v;
  }
  expectOp(v: string): void {
    const token = this.next();
    if (token.t !== 'op' || token.v !== v) throw malformed(`expected '${v}'`);
  }
  identifier(): string {
    const token = this.next();
    if (token.t !== 'id') throw malformed('expected a field name');
    return token.v;
  }
}

/** Splits on `|` outside strings, regexes and backticks; drops `#` comments. */
function splitCommands(query: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quote: string | undefined;
  for (let i = 0; i < query.length; i++) {
    const c = query[i] as string;
    if (quote) {
      current += c;
      if (c === '\\' && quote !== '`') current += query[++i] ?? '';
      else if (c === quote) quote = undefined;
      continue;
    }
    if (c === '#') {
      while (i < query.length && query[i] !== '\n') i++;
      continue;
    }
    if (c === '"' || c === "'" || c === '/' || c === '`') quote = c;
    if (c === '|') {
      parts.push(current);
      current = '';
    } else current += c;
  }
  parts.push(current);
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}

function operand(tokens: Tokens): Operand {
  const token = tokens.next();
  if (token.t === 'str') return { kind: 'string', value: token.v };
  if (token.t === 'num') return { kind: 'number', value: token.v };
  if (token.t === 're') return { kind: 'regex', regex: token.v };
  if (token.t === 'id') {
    if (tokens.isOp('(')) {
      tokens.next();
      const args: Operand[] = [];
      while (!tokens.isOp(')')) {
        args.push(operand(tokens));
        if (tokens.isOp(',')) tokens.next();
      }
      tokens.next();
      return { kind: 'call', name: token.v.toLowerCase(), args };
    }
    return { kind: 'field', name: token.v };
  }
  throw malformed(`unexpected '${token.v}'`);
}

function comparison(tokens: Tokens): Condition {
  const left = operand(tokens);
  const next = tokens.peek();
  if (!next) return { kind: 'truthy', operand: left };
  if (next.t === 'id' && next.v.toLowerCase() === 'like') {
    tokens.next();
    const pattern = tokens.next();
    if (pattern.t === 're') return { kind: 'like', left, pattern: pattern.v };
    if (pattern.t === 'str') return { kind: 'like', left, pattern: pattern.v };
    throw malformed('like needs a "string" or a /regex/');
  }
  if (next.t === 'op' && next.v === '=~') {
    tokens.next();
    const pattern = tokens.next();
    if (pattern.t !== 're') throw malformed('=~ needs a /regex/');
    return { kind: 'like', left, pattern: pattern.v };
  }
  const negatedIn = tokens.isWord('not') && tokens.peek(1)?.t === 'id' && (tokens.peek(1) as { v: string }).v.toLowerCase() === 'in';
  if (negatedIn || tokens.isWord('in')) {
    if (negatedIn) tokens.next();
    tokens.next();
    tokens.expectOp('[');
    const values: Operand[] = [];
    while (!tokens.isOp(']')) {
      values.push(operand(tokens));
      if (tokens.isOp(',')) tokens.next();
    }
    tokens.next();
    return { kind: 'in', left, values, negated: negatedIn };
  }
  if (next.t === 'op' && ['=', '!=', '<', '<=', '>', '>='].includes(next.v)) {
    tokens.next();
    return { kind: 'compare', op: next.v as '=', left, right: operand(tokens) };
  }
  return { kind: 'truthy', operand: left };
}

function unary(tokens: Tokens): Condition {
  if (tokens.isWord('not')) {
    tokens.next();
    return { kind: 'not', operand: unary(tokens) };
  }
  if (tokens.isOp('(')) {
    tokens.next();
    const inner = disjunction(tokens);
    tokens.expectOp(')');
    return inner;
  }
  return comparison(tokens);
}

function conjunction(tokens: Tokens): Condition {
  let left = unary(tokens);
  while (tokens.isWord('and')) {
    tokens.next();
    left = { kind: 'and', left, right: unary(tokens) };
  }
  return left;
}

function disjunction(tokens: Tokens): Condition {
  let left = conjunction(tokens);
  while (tokens.isWord('or')) {
    tokens.next();
    left = { kind: 'or', left, right: conjunction(tokens) };
  }
  return left;
}

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, min: 60_000, h: 3_600_000, d: 86_400_000 };

function binMs(spec: string): number {
  const match = /^(\d+)(ms|s|m|min|h|d)$/.exec(spec);
  if (!match) throw malformed(`bin() needs a period such as 5m, not ${spec}`);
  return Number(match[1]) * (UNITS[match[2] as string] as number);
}

/** The text of tokens as the column name Insights would give an unaliased expression. */
function aggregate(tokens: Tokens): Aggregate {
  const name = tokens.identifier().toLowerCase();
  tokens.expectOp('(');
  let field: string | undefined;
  let percentile: number | undefined;
  const argText: string[] = [];
  if (tokens.isOp('*')) {
    tokens.next();
    argText.push('*');
  } else if (!tokens.isOp(')')) {
    field = tokens.identifier();
    argText.push(field);
    if (tokens.isOp(',')) {
      tokens.next();
      const p = tokens.next();
      if (p.t !== 'num') throw malformed('pct() needs a number');
      percentile = p.v;
      argText.push(String(p.v));
    }
  }
  tokens.expectOp(')');
  const fns = ['count', 'count_distinct', 'sum', 'avg', 'min', 'max', 'pct', 'earliest', 'latest'];
  if (!fns.includes(name)) throw malformed(`unsupported stats function ${name}()`);
  if (name === 'pct' && (field === undefined || percentile === undefined)) throw malformed('pct() needs a field and a percentile');
  if (name !== 'count' && field === undefined) throw malformed(`${name}() needs a field`);
  let column = `${name}(${argText.join(', ')})`;
  if (tokens.isWord('as')) {
    tokens.next();
    column = tokens.identifier();
  }
  return { fn: name as Aggregate['fn'], ...(field !== undefined ? { field } : {}), ...(percentile !== undefined ? { percentile } : {}), column };
}

function groupKey(tokens: Tokens): GroupKey {
  const name = tokens.identifier();
  let key: GroupKey;
  if (name.toLowerCase() === 'bin' && tokens.isOp('(')) {
    tokens.next();
    const period = tokens.next();
    const text = period.t === 'id' ? period.v : period.t === 'num' ? String(period.v) : '';
    tokens.expectOp(')');
    key = { binMs: binMs(text), column: `bin(${text})` };
  } else key = { field: name, column: name };
  if (tokens.isWord('as')) {
    tokens.next();
    key.column = tokens.identifier();
  }
  return key;
}

/** `"(*) *"` → a regex with one lazy group per star (the last one greedy). */
function globRegex(glob: string): { regex: RegExp; stars: number } {
  const pieces = glob.split('*');
  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const source = pieces.map((piece, index) => escape(piece) + (index < pieces.length - 1 ? (index === pieces.length - 2 ? '(.*)' : '(.*?)') : '')).join('');
  return { regex: new RegExp(source), stars: pieces.length - 1 };
}

function parseCommand(text: string): Command {
  const keyword = /^\S+/.exec(text)?.[0]?.toLowerCase() ?? '';
  const tokens = new Tokens(tokenize(text.slice(keyword.length)));
  switch (keyword) {
    case 'fields':
    case 'display': {
      const fields: { name: string; column: string }[] = [];
      while (!tokens.done()) {
        const name = tokens.identifier();
        let column = name;
        if (tokens.isWord('as')) {
          tokens.next();
          column = tokens.identifier();
        }
        fields.push({ name, column });
        if (tokens.isOp(',')) tokens.next();
      }
      return { kind: 'fields', fields, display: keyword === 'display' };
    }
    case 'filter': {
      const condition = disjunction(tokens);
      if (!tokens.done()) throw malformed(`unexpected text after the filter: ${text}`);
      return { kind: 'filter', condition };
    }
    case 'parse': {
      const field = tokens.identifier();
      const pattern = tokens.next();
      if (pattern.t === 're') {
        const names = [...pattern.source.matchAll(/\(\?<([A-Za-z_]\w*)>/g)].map((m) => m[1] as string);
        if (names.length === 0) throw malformed('parse with a regex needs named groups (?<name>...)');
        return { kind: 'parse', field, regex: pattern.v, names };
      }
      if (pattern.t !== 'str') throw malformed('parse needs a "glob" or a /regex/');
      const { regex, stars } = globRegex(pattern.v);
      if (!tokens.isWord('as')) throw malformed('parse with a glob needs "as" and the field names');
      tokens.next();
      const names: string[] = [];
      while (!tokens.done()) {
        names.push(tokens.identifier());
        if (tokens.isOp(',')) tokens.next();
      }
      if (names.length !== stars) throw malformed(`parse: ${stars} wildcard(s) but ${names.length} name(s)`);
      return { kind: 'parse', field, regex, names };
    }
    case 'stats': {
      const aggregates: Aggregate[] = [];
      const by: GroupKey[] = [];
      while (!tokens.done() && !tokens.isWord('by')) {
        aggregates.push(aggregate(tokens));
        if (tokens.isOp(',')) tokens.next();
      }
      if (tokens.isWord('by')) {
        tokens.next();
        while (!tokens.done()) {
          by.push(groupKey(tokens));
          if (tokens.isOp(',')) tokens.next();
        }
      }
      if (aggregates.length === 0) throw malformed('stats needs at least one function');
      return { kind: 'stats', aggregates, by };
    }
    case 'sort': {
      const keys: { column: string; desc: boolean }[] = [];
      while (!tokens.done()) {
        const token = tokens.next();
        const column = token.t === 'id' ? token.v : '';
        if (!column) throw malformed('sort needs field names');
        let desc = false;
        if (tokens.isWord('desc') || tokens.isWord('asc')) desc = tokens.identifier().toLowerCase() === 'desc';
        keys.push({ column, desc });
        if (tokens.isOp(',')) tokens.next();
      }
      return { kind: 'sort', keys };
    }
    case 'limit': {
      const count = tokens.next();
      if (count.t !== 'num' || !Number.isInteger(count.v) || count.v < 1 || count.v > 10_000) throw malformed('limit needs a whole number from 1 to 10000');
      return { kind: 'limit', count: count.v };
    }
    case 'pattern':
      return { kind: 'pattern', field: tokens.identifier() };
    default:
      throw malformed(`unsupported command "${keyword}" (the sandbox interprets fields, display, filter, parse, stats, sort, limit, pattern)`);
  }
}

export function parseQuery(query: string): Command[] {
  const commands = splitCommands(query).map(parseCommand);
  if (commands.length === 0) throw malformed('empty query');
  const aggregations = commands.filter((c) => c.kind === 'stats' || c.kind === 'pattern');
  if (aggregations.length > 1) throw malformed('only one stats or pattern command per query');
  return commands;
}
