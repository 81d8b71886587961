/**
 * Log templating: the Drain idea (mask the variable parts of a line, group lines by what is
 * left) with the masking done by one precompiled regular expression and the grouping by an exact
 * map over masked lines. For API Gateway, Lambda and access logs the masks carry nearly all the
 * variability, so an exact map is as accurate as a parse tree and much cheaper.
 *
 * Per template it keeps the count, first and last time, and up to three distinct values per
 * variable position (which user, which host, which status: the parts a reader asks about). A
 * template that looks like an error also keeps its first line verbatim.
 */

export interface TemplatableLine {
  /** Epoch milliseconds. */
  timestamp: number;
  message: string;
}

export interface LogTemplate {
  /** The line with variable parts replaced by placeholders such as `<uuid>` or `<num>`. */
  template: string;
  count: number;
  /** Epoch milliseconds of the earliest and latest line. */
  first: number;
  last: number;
  /** Variable position (0-based, in template order) → up to `maxSamples` distinct values. */
  samples: Record<number, string[]>;
  /** Whether the template reads like an error (ERROR, Exception, failed, status 5xx …). */
  error: boolean;
  /** For error templates: the first line seen, verbatim. */
  example?: string;
}

export interface TemplateResult {
  /** Most frequent first; ties by first appearance. */
  templates: LogTemplate[];
  /** Error templates' verbatim examples, one per distinct message after masking, capped. */
  errors: { message: string; timestamp: number; count: number }[];
  totalLines: number;
  /** Lines counted into templates beyond `maxTemplates` (grouped under `OTHER_TEMPLATE`). */
  overflowLines: number;
}

export interface TemplateOptions {
  /** Distinct values kept per variable position. */
  maxSamples?: number;
  /** Distinct templates kept; further new shapes are counted together as OTHER_TEMPLATE. */
  maxTemplates?: number;
  /** Verbatim error lines kept. */
  maxErrors?: number;
  /** Characters of a line that are templated; the rest is replaced by `…` (bodies can be huge). */
  maxLineLength?: number;
}

export const OTHER_TEMPLATE = '<other lines>';

/*
 * One alternation, tried left to right at each position. Each alternative has one capture group
 * naming its placeholder (the index in PLACEHOLDERS). Order matters: longer, more specific shapes
 * come first (a timestamp before its numbers, an ARN before the account id inside it).
 */
const MASKS: { placeholder: string | null; pattern: string }[] = [
  // Execution-log prefix: "(<requestId>) " — a UUID or an extended request id such as PDS1PEC4oAMFpyA=.
  { placeholder: '<reqid>', pattern: String.raw`^\([A-Za-z0-9+/=_-]{3,64}\)` },
  // HTTP status codes are kept literally: 200 and 502 must not share a template.
  { placeholder: null, pattern: String.raw`\b[Ss]tatus(?:[Cc]ode)?"?(?::|=|:")? ?[1-5]\d\d\b` },
  // ISO 8601 / RFC 3339 timestamps, CLF times (10/Oct/2024:13:55:36 +0000), "Tue Oct 01 12:00:00 UTC
  // 2024", HTTP dates, SigV4 dates (20240501T100000Z) and bare dates.
  // (One entry per form, each proved linear on its own: test/architecture/redos.test.ts. A word
  // boundary before or after a word character is written as a lookaround, which says the same.)
  { placeholder: '<ts>', pattern: String.raw`\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?` },
  { placeholder: '<ts>', pattern: String.raw`\d{2}/[A-Z][a-z]{2}/\d{4}:\d{2}:\d{2}:\d{2}(?: [+-]\d{4})?` },
  { placeholder: '<ts>', pattern: String.raw`(?<![A-Za-z0-9_])[A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]\d \d{2}:\d{2}:\d{2} [A-Z]{3,4} \d{4}(?![A-Za-z0-9_])` },
  { placeholder: '<ts>', pattern: String.raw`(?<![A-Za-z0-9_])[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT(?![A-Za-z0-9_])` },
  { placeholder: '<ts>', pattern: String.raw`(?<![A-Za-z0-9_])\d{8}T\d{6}Z(?![A-Za-z0-9_])` },
  { placeholder: '<ts>', pattern: String.raw`(?<![A-Za-z0-9_])\d{4}-\d{2}-\d{2}(?![A-Za-z0-9_])` },
  // ARNs, whole: the samples keep the actual values.
  { placeholder: '<arn>', pattern: String.raw`(?<![A-Za-z0-9_])arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:\d{0,12}:[^\s,;"'\]\)}]+` },
  { placeholder: '<uuid>', pattern: String.raw`(?<![A-Za-z0-9_])[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}(?![A-Za-z0-9_])` },
  // X-Ray trace ids: 1-5759e988-bd862e3fe1be46a994272793.
  { placeholder: '<trace>', pattern: String.raw`(?<![A-Za-z0-9_])1-[0-9a-f]{8}-[0-9a-f]{24}(?![A-Za-z0-9_])` },
  // EC2-style resource ids: vpce-, sg-, eni-, subnet-, vpc-, i- …
  { placeholder: '<id>', pattern: String.raw`\b(?:vpce|sg|eni|subnet|vpc|i|rtb|igw|nat|acl|fl|pl)-[0-9a-f]{8,17}\b` },
  { placeholder: '<ip>', pattern: String.raw`\b\d{1,3}(?:\.\d{1,3}){3}(?:/\d{1,2})?\b` },
  { placeholder: '<ip>', pattern: String.raw`\b(?:[0-9a-fA-F]{1,4}:){4,7}[0-9a-fA-F]{1,4}\b` },
  { placeholder: '<hex>', pattern: String.raw`\b0x[0-9a-fA-F]+\b|\b[0-9a-f]{16,}\b` },
  // Mixed letter-and-digit tokens of 12+ characters, and base64 with padding (extended request
  // ids, keys). No slash: it would swallow URL paths.
  {
    placeholder: '<id>',
    pattern: String.raw`\b(?:(?=[A-Za-z+_-]*\d)(?=[0-9+_-]*[A-Za-z])[A-Za-z0-9+_-]{12,}={0,2}|[A-Za-z0-9+_-]{10,}={1,2}(?![A-Za-z0-9]))`,
  },
  // Quoted values after a separator: "key":"value", key="value".
  { placeholder: '"<str>"', pattern: String.raw`(?<=[:=] ?)"(?:[^"\\]|\\.){0,400}"` },
  { placeholder: '<num>', pattern: String.raw`(?<![A-Za-z0-9_.-])-?\d+(?:\.\d+)?(?![A-Za-z0-9_])` },
];

/** Each mask's pattern, for the ReDoS proof (test/architecture/redos.test.ts): the alternation below is built from them. */
export const MASK_SOURCES: readonly string[] = MASKS.map((m) => m.pattern);
const MASK_REGEX = new RegExp(MASKS.map((m) => `(${m.pattern})`).join('|'), 'g');
const PLACEHOLDERS = MASKS.map((m) => m.placeholder);

/** Words that mark a line as an error (checked once per template, not per line). */
const ERROR_REGEX =
  /\b(?:ERROR|FATAL|CRITICAL|Exception|[Ee]rror|[Ff]ailed|[Ff]ailure|[Tt]imed? ?out|[Dd]enied|[Ff]orbidden|[Uu]nauthorized|not authorized|[Tt]hrottl\w*|[Rr]ate [Ee]xceeded|[Ii]nvalid|errorMessage|errorType|[Ss]tatus(?:[Cc]ode)?"?(?::|=|:")? ?[45]\d\d)\b|\w(?:Exception|Error)\b/;

export function isErrorText(text: string): boolean {
  return ERROR_REGEX.test(text);
}

interface TemplateState {
  template: string;
  count: number;
  first: number;
  last: number;
  order: number;
  samples: string[][];
  error: boolean;
  example?: string;
}

/**
 * Mask one line. Returns the template; the variable values are left in `values` (reused by the
 * caller to avoid one array per line).
 */
export function maskLine(line: string, values: string[] = []): string {
  values.length = 0;
  return line.replace(MASK_REGEX, maskReplacer(values));
}

function maskReplacer(values: string[]): (match: string, ...groups: unknown[]) => string {
  return (match: string, ...groups: unknown[]): string => {
    for (let i = 0; i < PLACEHOLDERS.length; i++) {
      if (groups[i] !== undefined) {
        const placeholder = PLACEHOLDERS[i];
        if (placeholder === null || placeholder === undefined) return match;
        // Quotes and the request id's parentheses are syntax, not part of the value.
        values.push(placeholder === '"<str>"' || placeholder === '<reqid>' ? match.slice(1, -1) : match);
        return placeholder;
      }
    }
    return match;
  };
}

/** Group lines into templates in one pass. */
export function templateLines(lines: readonly TemplatableLine[], options: TemplateOptions = {}): TemplateResult {
  const maxSamples = options.maxSamples ?? 3;
  const maxTemplates = options.maxTemplates ?? 1_000;
  const maxErrors = options.maxErrors ?? 50;
  const maxLineLength = options.maxLineLength ?? 1_000;

  const byTemplate = new Map<string, TemplateState>();
  const values: string[] = [];
  const replace = maskReplacer(values);
  let overflowLines = 0;

  for (const line of lines) {
    let message = line.message;
    if (message.length > maxLineLength) message = `${message.slice(0, maxLineLength)}…`;
    if (message.endsWith('\n')) message = message.trimEnd();
    values.length = 0;
    let key = message.replace(MASK_REGEX, replace);
    let state = byTemplate.get(key);
    if (!state) {
      if (byTemplate.size >= maxTemplates) {
        overflowLines++;
        key = OTHER_TEMPLATE;
        values.length = 0;
        state = byTemplate.get(key);
      }
      if (!state) {
        const error = key !== OTHER_TEMPLATE && isErrorText(key);
        state = {
          template: key,
          count: 0,
          first: line.timestamp,
          last: line.timestamp,
          order: byTemplate.size,
          samples: [],
          error,
          ...(error ? { example: message } : {}),
        };
        byTemplate.set(key, state);
      }
    }
    state.count++;
    if (line.timestamp < state.first) state.first = line.timestamp;
    if (line.timestamp > state.last) state.last = line.timestamp;
    for (let i = 0; i < values.length; i++) {
      let kept = state.samples[i];
      if (!kept) kept = state.samples[i] = [];
      if (kept.length < maxSamples) {
        const value = values[i] as string;
        if (!kept.includes(value)) kept.push(value);
      }
    }
  }

  const states = [...byTemplate.values()].sort((a, b) => b.count - a.count || a.order - b.order);
  const templates = states.map(toTemplate);
  const errors = states
    .filter((s) => s.example !== undefined)
    .sort((a, b) => a.first - b.first || a.order - b.order)
    .slice(0, maxErrors)
    .map((s) => ({ message: s.example as string, timestamp: s.first, count: s.count }));
  return { templates, errors, totalLines: lines.length, overflowLines };
}

function toTemplate(state: TemplateState): LogTemplate {
  const samples: Record<number, string[]> = {};
  state.samples.forEach((values, position) => {
    samples[position] = values;
  });
  return {
    template: state.template,
    count: state.count,
    first: state.first,
    last: state.last,
    samples,
    error: state.error,
    ...(state.example !== undefined ? { example: state.example } : {}),
  };
}
