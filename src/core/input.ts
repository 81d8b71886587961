import { z } from 'zod';
import type { Target, Window } from './target.js';
import { parseTargetRef } from './target-ref.js';

/**
 * Input validation shared by the CLI and Slack: the same rules, the same messages, each naming
 * what is wrong and showing what right looks like.
 */
export const MAX_WINDOW_MS = 14 * 24 * 3600_000;
/** The window when none is asked: the 2 hours before now. */
export const DEFAULT_WINDOW_MS = 2 * 3600_000;
const UNIT_MS = { m: 60_000, h: 3600_000, d: 24 * 3600_000 } as const;

/** AWS's ids have 10 characters, but any id API Gateway (or an emulator) accepts is taken. */
export const restApiIdSchema = z
  .string()
  .regex(/^[a-z0-9]{1,64}$/, 'an API id is lowercase letters or digits, e.g. a1b2c3d4e5');

export const stageSchema = z
  .string()
  // `$default` is the HTTP API stage that serves every request no named stage takes.
  .regex(/^(\$default|[A-Za-z0-9_-]{1,128})$/, 'a stage name is letters, digits, - or _ (up to 128), or $default, e.g. prod');

export const regionSchema = z
  .string()
  .regex(/^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d$/, 'a region looks like us-east-1 or eu-west-2');

export const accountSchema = z
  .string()
  .regex(/^(\d{12}|[A-Za-z][A-Za-z0-9_-]{0,63})$/, 'an account is a 12-digit id or a configured alias, e.g. prod');

const UNTIL_ERROR = 'an end time is ISO 8601 (2026-11-23T10:00:00Z, 2026-11-23) or relative to now (now, 2h, -90m, now-1d)';
const SINCE_ERROR = 'a window is a duration (30m, 2h, 3d) or its ISO 8601 start (2026-11-23T08:00:00Z)';
/** ISO 8601: a calendar date, optionally a time, which then needs its zone (Z or ±hh:mm). */
const ISO_8601 = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;
/** Relative to now: `now`, `2h`, `-2h`, `now-2h` (how long before now the window ends). */
const RELATIVE = /^(?:now)?(?:-?(\d{1,5})([mhd]))?$/;
/** Longer than any time a person types: checked before any pattern runs. */
const MAX_TIME_CHARS = 64;

/** An ISO 8601 time whose zone is missing: the one thing to add, said as such. */
export class MissingZoneError extends Error {
  override name = 'MissingZoneError';
  constructor(readonly text: string) {
    super(`${text} has no time zone: add Z (UTC) or +hh:mm, e.g. ${text}Z`);
  }
}

/** `{ at }` for an ISO 8601 date or time (a time needs its zone); undefined when it is not one. */
function parseIso(s: string): { at: Date } | undefined {
  const iso = ISO_8601.exec(s);
  if (!iso) return undefined;
  const [, y, mo, d, h = '00', mi = '00', sec = '00'] = iso;
  if (iso[4] && !iso[7]) throw new MissingZoneError(s);
  const at = new Date(iso[4] ? s.replace(' ', 'T').toUpperCase() : `${s}T00:00:00Z`);
  if (Number.isNaN(at.getTime())) return undefined;
  // Reject dates that JavaScript would roll over (2026-02-30 → March 2).
  const check = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(sec)));
  if (check.getUTCFullYear() !== Number(y) || check.getUTCMonth() !== Number(mo) - 1 || check.getUTCDate() !== Number(d)) return undefined;
  if (Number(h) > 23 || Number(mi) > 59 || Number(sec) > 59) return undefined;
  return { at };
}

/**
 * `{ at }` for an absolute time, `{ agoMs }` for one relative to now; undefined when neither.
 * Throws MissingZoneError for an ISO time without its zone, which deserves its own message.
 */
export function parseUntil(text: string): { at: Date } | { agoMs: number } | undefined {
  const s = text.trim();
  if (s.length > MAX_TIME_CHARS) return undefined;
  const relative = s === '' ? null : RELATIVE.exec(s.toLowerCase());
  if (relative) {
    if (!relative[1]) return s.toLowerCase() === 'now' ? { agoMs: 0 } : undefined;
    return { agoMs: Number(relative[1]) * UNIT_MS[relative[2] as keyof typeof UNIT_MS] };
  }
  return parseIso(s);
}

/** A zod transform for a time field: the parsed value, or one issue saying what is wrong. */
function timeField<T>(parse: (text: string) => T | undefined, error: string) {
  return (s: string, ctx: z.RefinementCtx): T => {
    try {
      const parsed = parse(s);
      if (parsed !== undefined) return parsed;
      ctx.addIssue({ code: 'custom', message: error });
    } catch (err) {
      if (!(err instanceof MissingZoneError)) throw err;
      ctx.addIssue({ code: 'custom', message: err.message });
    }
    return z.NEVER;
  };
}

export const untilSchema = z
  .string()
  .transform(timeField(parseUntil, UNTIL_ERROR))
  .refine((u) => !('agoMs' in u) || u.agoMs <= 366 * 24 * 3600_000, 'a relative end time goes back at most 366d');

/** A length of time as people type it: `30m`, `2h`, `3d`. */
const DURATION = /^\d{1,9}[mhd]$/;
const durationMs = (text: string): number => Number(text.slice(0, -1)) * UNIT_MS[text.slice(-1) as keyof typeof UNIT_MS];
const DURATION_ZERO = 'a duration must be more than zero, e.g. 30m';
const DURATION_CAP = 'the window is capped at 14d; narrow --since, e.g. 3d';

/** A window's length only (configuration: the alarms' window), in ms. */
export const durationSchema = z
  .string()
  .regex(DURATION, 'a duration is a number and a unit m, h or d, e.g. 30m, 2h, 3d')
  .transform(durationMs)
  .refine((ms) => ms > 0, DURATION_ZERO)
  .refine((ms) => ms <= MAX_WINDOW_MS, DURATION_CAP);

/** `--since`: how long before the end (`2h`), or where the window starts (an ISO 8601 time). */
export const sinceSchema = z.string().transform(
  timeField((s): { ms: number } | { at: Date } | undefined => {
    const text = s.trim();
    if (text.length > MAX_TIME_CHARS) return undefined;
    if (DURATION.test(text)) return { ms: durationMs(text) };
    return parseIso(text);
  }, SINCE_ERROR),
).superRefine((since, ctx) => {
  if (!('ms' in since)) return;
  if (since.ms <= 0) ctx.addIssue({ code: 'custom', message: DURATION_ZERO });
  else if (since.ms > MAX_WINDOW_MS) ctx.addIssue({ code: 'custom', message: DURATION_CAP });
});

/** A custom domain or an API name, which the app resolves to an id (read-only) before reading anything. */
export const targetLookupSchema = z.object({
  kind: z.enum(['domain', 'name']),
  value: z.string().min(1).max(1_024),
  /** Path segments after a domain (a URL on it): the first may be a base path. */
  path: z.array(z.string()).optional(),
});
export type TargetLookup = z.infer<typeof targetLookupSchema>;

export const troubleshootRequestSchema = z.object({
  /** The API's id; while `lookup` is set, the text the person gave, until the app resolves it. */
  restApiId: z.string().min(1).max(1_024),
  lookup: targetLookupSchema.optional(),
  /** How the person named the API when not by its id (a URL, a domain, a name): shown with the resolution. */
  given: z.string().max(2_048).optional(),
  stage: stageSchema.optional(),
  sinceMs: z.number().int().positive().max(MAX_WINDOW_MS).default(DEFAULT_WINDOW_MS),
  /** `--since` as the window's start (an ISO 8601 time); `sinceMs` is then unused. */
  since: z.date().optional(),
  until: z.date().optional(),
  /** `--until` relative to now (`2h` = two hours before now): resolved against the clock in use. */
  untilAgoMs: z.number().int().nonnegative().optional(),
  region: regionSchema.optional(),
  account: accountSchema.optional(),
});

export type TroubleshootRequest = z.infer<typeof troubleshootRequestSchema>;

/** A refusal says what is wrong and, when one applies, the one usage line that shows what right looks like. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string; usage?: string };

/** One usage line per thing a person can get wrong: an error shows the line it is about, not all of them. */
export const USAGE = {
  target: 'api-gw <api id | invoke URL | custom domain | API name | console link> [stage]',
  stage: 'api-gw <api> <stage>, or --stage <stage> (letters, digits, - or _; or $default)',
  since: '--since 30m | 2h | 3d (at most 14d), or the start: --since 2026-11-23T08:00:00Z',
  until: '--until now | 30m | 2026-11-23T10:00:00Z (ISO 8601 with Z or +hh:mm)',
  region: '--region us-east-1',
  account: '--account prod (a configured alias) or --account 123456789012',
} as const;
export type UsageTopic = keyof typeof USAGE;

/** The first issue as one line: `--since: a duration is …`. */
export function firstIssue(error: z.ZodError, labels: Record<string, string> = {}): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid input';
  const key = String(issue.path[0] ?? '');
  const label = labels[key] ?? key;
  return label ? `${label}: ${issue.message}` : issue.message;
}

export interface RawTroubleshootArgs {
  restApiId?: string;
  stage?: string;
  since?: string;
  until?: string;
  region?: string;
  account?: string;
}

const LABELS: Record<string, string> = {
  restApiId: 'api',
  stage: 'stage',
  since: '--since',
  until: '--until',
  region: '--region',
  account: '--account',
};

/** Validates raw strings (from argv or a Slack command) into a request. */
export function validateTroubleshoot(raw: RawTroubleshootArgs): Parsed<TroubleshootRequest> {
  if (!raw.restApiId) return { ok: false, error: 'api: missing; name the API, e.g. api-gw a1b2c3d4e5 prod', usage: USAGE.target };
  const ref = parseTargetRef(raw.restApiId);
  if (!ref.ok) return { ok: false, error: `${LABELS.restApiId}: ${ref.error}`, usage: USAGE.target };
  const named = ref.value;
  // A URL brings its own region and stage; what was typed explicitly wins.
  const fromUrl =
    named.kind === 'invoke-url' || named.kind === 'console-url'
      ? { restApiId: named.id, ...(named.region && !raw.region ? { region: named.region } : {}), ...(named.stage && !raw.stage ? { stage: named.stage } : {}) }
      : {};
  const lookup: TargetLookup | undefined =
    named.kind === 'domain' ? { kind: 'domain', value: named.domain, path: named.path } : named.kind === 'name' ? { kind: 'name', value: named.name } : undefined;
  // A domain or a name has no id yet: the other fields are checked here, the name by the lookup.
  const placeholder = lookup ? { restApiId: 'aaaaaaaaaa' } : {};
  const fields = z
    .object({
      restApiId: restApiIdSchema,
      stage: stageSchema.optional(),
      since: sinceSchema.optional(),
      until: untilSchema.optional(),
      region: regionSchema.optional(),
      account: accountSchema.optional(),
    })
    .safeParse({ ...raw, ...fromUrl, ...placeholder });
  if (!fields.success) {
    const key = String(fields.error.issues[0]?.path[0] ?? '');
    return { ok: false, error: firstIssue(fields.error, LABELS), usage: USAGE[(key === 'restApiId' ? 'target' : key) as UsageTopic] ?? USAGE.target };
  }
  const { since, until, ...rest } = fields.data;
  const start = since && 'at' in since ? since.at : undefined;
  if (start && until && 'at' in until) {
    const problem = spanProblem(start, until.at);
    if (problem) return { ok: false, error: problem, usage: USAGE.since };
  }
  const given = named.kind === 'id' ? undefined : raw.restApiId;
  const request = troubleshootRequestSchema.parse({
    ...dropUndefined(rest),
    ...(lookup ? { restApiId: lookup.value, lookup } : {}),
    ...(given ? { given: given.slice(0, 2_048) } : {}),
    ...(since && 'ms' in since ? { sinceMs: since.ms } : {}),
    ...(start ? { since: start } : {}),
    ...(until && 'at' in until ? { until: until.at } : {}),
    ...(until && 'agoMs' in until ? { untilAgoMs: until.agoMs } : {}),
  });
  return { ok: true, value: request };
}

function dropUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export function resolveWindow(request: Pick<TroubleshootRequest, 'sinceMs' | 'since' | 'until' | 'untilAgoMs'>, now: Date): Window {
  const until = request.until ?? new Date(now.getTime() - (request.untilAgoMs ?? 0));
  return { since: request.since ?? new Date(until.getTime() - request.sinceMs), until };
}

const iso = (d: Date) => d.toISOString().replace(/\.000Z$/, 'Z');

/** Why a window from `since` to `until` cannot be read (reversed, empty, too long), or undefined. */
function spanProblem(since: Date, until: Date): string | undefined {
  if (since.getTime() >= until.getTime()) return `the window is reversed: it starts (${iso(since)}) at or after its end (${iso(until)}); --since is the start, --until the end`;
  if (until.getTime() - since.getTime() > MAX_WINDOW_MS) return `the window ${iso(since)} → ${iso(until)} is longer than 14d, the most firebreak reads; narrow it`;
  return undefined;
}

/** Clocks disagree by a little; a window ending further in the future than this is refused. */
const FUTURE_SLACK_MS = 5 * 60_000;

/**
 * Why a resolved window cannot be investigated against the clock in use (an AWS account's now, or
 * a sandbox scenario's), or undefined: it ends in the future (nothing is there yet, and a quiet
 * future would read as a healthy API), it is reversed, or longer than the maximum.
 */
export function windowProblem(window: Window, now: Date): string | undefined {
  if (window.until.getTime() > now.getTime() + FUTURE_SLACK_MS) {
    return `the window ends in the future (${iso(window.until)}; now is ${iso(now)}): nothing has been logged there yet; end it at now or earlier`;
  }
  return spanProblem(window.since, window.until);
}

export function requestToTarget(request: TroubleshootRequest, defaultRegion: string): Target {
  return {
    kind: 'api-gw',
    restApiId: request.restApiId,
    region: request.region ?? defaultRegion,
    ...(request.stage ? { stage: request.stage } : {}),
    ...(request.account ? { account: request.account } : {}),
  };
}

export function formatDuration(ms: number): string {
  if (ms % UNIT_MS.d === 0) return `${ms / UNIT_MS.d}d`;
  if (ms % UNIT_MS.h === 0) return `${ms / UNIT_MS.h}h`;
  return `${Math.round(ms / UNIT_MS.m)}m`;
}
