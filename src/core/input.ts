import { z } from 'zod';
import type { Target, Window } from './target.js';
import { parseTargetRef } from './target-ref.js';

/**
 * Input validation shared by the CLI and Slack: the same rules, the same messages, each naming
 * what is wrong and showing what right looks like.
 */
export const MAX_WINDOW_MS = 14 * 24 * 3600_000;
const UNIT_MS = { m: 60_000, h: 3600_000, d: 24 * 3600_000 } as const;

/** AWS's ids have 10 characters, but any id API Gateway (or an emulator) accepts is taken. */
export const restApiIdSchema = z
  .string()
  .regex(/^[a-z0-9]{1,64}$/, 'an API id is lowercase letters or digits, e.g. a1b2c3d4e5');

export const stageSchema = z
  .string()
  // `$default` is the HTTP API stage that serves every request no named stage takes.
  .regex(/^(\$default|[A-Za-z0-9_-]{1,128})$/, 'a stage name is letters, digits, - or _ (up to 128), or $default, e.g. prod');

export const durationSchema = z
  .string()
  .regex(/^\d{1,5}[mhd]$/, 'a duration is a number and a unit m, h or d, e.g. 30m, 2h, 3d')
  .transform((text) => Number(text.slice(0, -1)) * UNIT_MS[text.slice(-1) as keyof typeof UNIT_MS])
  .refine((ms) => ms > 0, 'a duration must be more than zero, e.g. 30m')
  .refine((ms) => ms <= MAX_WINDOW_MS, 'the window is capped at 14d; narrow --since, e.g. 3d');

export const regionSchema = z
  .string()
  .regex(/^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d$/, 'a region looks like us-east-1 or eu-west-2');

export const accountSchema = z
  .string()
  .regex(/^(\d{12}|[A-Za-z][A-Za-z0-9_-]{0,63})$/, 'an account is a 12-digit id or a configured alias, e.g. prod');

const UNTIL_ERROR = 'an end time is ISO 8601 (2026-11-23T10:00:00Z, 2026-11-23) or relative to now (now, 2h, -90m, now-1d)';
/** ISO 8601: a calendar date, optionally a time, which then needs its zone (Z or ±hh:mm). */
const ISO_8601 = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2}))?$/;
/** Relative to now: `now`, `2h`, `-2h`, `now-2h` (how long before now the window ends). */
const RELATIVE = /^(?:now)?(?:-?(\d{1,5})([mhd]))?$/;

/** `{ at }` for an absolute time, `{ agoMs }` for one relative to now; undefined when neither. */
export function parseUntil(text: string): { at: Date } | { agoMs: number } | undefined {
  const s = text.trim();
  const relative = s === '' ? null : RELATIVE.exec(s.toLowerCase());
  if (relative) {
    if (!relative[1]) return s.toLowerCase() === 'now' ? { agoMs: 0 } : undefined;
    return { agoMs: Number(relative[1]) * UNIT_MS[relative[2] as keyof typeof UNIT_MS] };
  }
  const iso = ISO_8601.exec(s);
  if (!iso) return undefined;
  const [, y, mo, d, h = '00', mi = '00', sec = '00'] = iso;
  const at = new Date(iso[4] ? s.replace(' ', 'T') : `${s}T00:00:00Z`);
  if (Number.isNaN(at.getTime())) return undefined;
  // Reject dates that JavaScript would roll over (2026-02-30 → March 2).
  const check = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(sec)));
  if (check.getUTCFullYear() !== Number(y) || check.getUTCMonth() !== Number(mo) - 1 || check.getUTCDate() !== Number(d)) return undefined;
  if (Number(h) > 23 || Number(mi) > 59 || Number(sec) > 59) return undefined;
  return { at };
}

export const untilSchema = z
  .string()
  .transform((s, ctx) => {
    const parsed = parseUntil(s);
    if (!parsed) {
      ctx.addIssue({ code: 'custom', message: UNTIL_ERROR });
      return z.NEVER;
    }
    return parsed;
  })
  .refine((u) => !('agoMs' in u) || u.agoMs <= 366 * 24 * 3600_000, 'a relative end time goes back at most 366d');

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
  sinceMs: z.number().int().positive().max(MAX_WINDOW_MS).default(2 * 3600_000),
  until: z.date().optional(),
  /** `--until` relative to now (`2h` = two hours before now): resolved against the clock in use. */
  untilAgoMs: z.number().int().nonnegative().optional(),
  region: regionSchema.optional(),
  account: accountSchema.optional(),
});

export type TroubleshootRequest = z.infer<typeof troubleshootRequestSchema>;

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

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
  restApiId: 'rest-api-id',
  stage: 'stage',
  since: '--since',
  until: '--until',
  region: '--region',
  account: '--account',
};

/** Validates raw strings (from argv or a Slack command) into a request. */
export function validateTroubleshoot(raw: RawTroubleshootArgs): Parsed<TroubleshootRequest> {
  if (!raw.restApiId) return { ok: false, error: 'rest-api-id: missing; usage: api-gw <rest-api-id> [stage], e.g. api-gw a1b2c3d4e5 prod' };
  const ref = parseTargetRef(raw.restApiId);
  if (!ref.ok) return { ok: false, error: `${LABELS.restApiId}: ${ref.error}` };
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
      since: durationSchema.optional(),
      until: untilSchema.optional(),
      region: regionSchema.optional(),
      account: accountSchema.optional(),
    })
    .safeParse({ ...raw, ...fromUrl, ...placeholder });
  if (!fields.success) return { ok: false, error: firstIssue(fields.error, LABELS) };
  const { since, until, ...rest } = fields.data;
  const given = named.kind === 'id' ? undefined : raw.restApiId;
  const request = troubleshootRequestSchema.parse({
    ...dropUndefined(rest),
    ...(lookup ? { restApiId: lookup.value, lookup } : {}),
    ...(given ? { given: given.slice(0, 2_048) } : {}),
    ...(since ? { sinceMs: since } : {}),
    ...(until && 'at' in until ? { until: until.at } : {}),
    ...(until && 'agoMs' in until ? { untilAgoMs: until.agoMs } : {}),
  });
  return { ok: true, value: request };
}

function dropUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export function resolveWindow(request: Pick<TroubleshootRequest, 'sinceMs' | 'until' | 'untilAgoMs'>, now: Date): Window {
  const until = request.until ?? new Date(now.getTime() - (request.untilAgoMs ?? 0));
  return { since: new Date(until.getTime() - request.sinceMs), until };
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
