/**
 * The one wildcard and ARN matcher, as IAM matches (every policy, permission and SCP check uses it):
 *
 * - `globMatch`: `*` is any run of characters (none included), `?` exactly one; case-sensitive unless
 *   asked. StringLike and action names (`execute-api:*`) match this way; StringLike ignores the ARN
 *   structure ("ArnLike uses the ARN structure for matching while StringLike ignores it").
 * - `arnLike`: ArnLike and ArnEquals ("behave identically"): "each of the six colon-delimited
 *   components of the ARN is checked separately" with `*` and `?`; the sixth, the resource, runs to
 *   the end, colons and all. A pattern without six components matches nothing.
 * - `resourceMatch`: the Resource / NotResource element: wildcards "within the individual segments of
 *   an ARN (the parts separated by colons)", except that "if the `*` wildcard is the last character
 *   of a resource ARN segment, it can expand to match beyond the colon boundaries"; `*` alone is
 *   every resource.
 *
 * Values may hold holes where firebreak does not know a part: `ANY_SEGMENT` (an unknown stage or
 * account: one or more characters other than `/` and `:`) and `ANY_PATH` (an unknown stage, method
 * and path: any characters other than `:`). A value with holes matches when some filling does.
 *
 * Hand-written because no library matches IAM's segment rules and holes; it simulates the pattern
 * as an automaton (pattern × value steps, no backtracking), so policy text from an account cannot
 * make it slow.
 */

/** In a value: some non-empty run of name characters (letters, digits, `-_.$~`): a stage, an account, a method. */
export const ANY_SEGMENT = '\u0001';
/** In a value: any run of characters other than `:`, possibly empty (some stage, method and path). */
export const ANY_PATH = '\u0002';

export interface GlobOptions {
  caseInsensitive?: boolean;
  /** Wildcards are plain characters (StringEquals, ArnEquals on a literal): holes still match. */
  literal?: boolean;
}

type Token = { kind: 'char'; char: string } | { kind: 'one'; colon: boolean } | { kind: 'star'; colon: boolean };

// Patterns repeat for every route, caller and function: compile each once (bounded).
const compiled = new Map<string, Token[]>();
const MAX_COMPILED = 5_000;

/** `colons`: whether `*` and `?` may match `:` ('all'), never ('none'), or only a `*` ending a segment ('segment-end'). */
function tokens(pattern: string, literal: boolean, colons: 'all' | 'segment-end'): Token[] {
  const key = `${literal ? 'L' : 'W'}${colons === 'all' ? 'a' : 's'}${pattern}`;
  const cached = compiled.get(key);
  if (cached) return cached;
  const out: Token[] = [];
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i] as string;
    if (literal || (char !== '*' && char !== '?')) out.push({ kind: 'char', char });
    else if (char === '?') out.push({ kind: 'one', colon: colons === 'all' });
    else {
      const next = pattern[i + 1];
      out.push({ kind: 'star', colon: colons === 'all' || next === undefined || next === ':' });
    }
  }
  if (compiled.size < MAX_COMPILED) compiled.set(key, out);
  return out;
}

/** States reachable without consuming a character: a `*` may match nothing. */
function close(states: Uint8Array, pattern: Token[]): Uint8Array {
  for (let i = 0; i < pattern.length; i++) if (states[i] && pattern[i]?.kind === 'star') states[i + 1] = 1;
  return states;
}

function step(states: Uint8Array, pattern: Token[], char: string): Uint8Array {
  const next = new Uint8Array(pattern.length + 1);
  for (let i = 0; i < pattern.length; i++) {
    if (!states[i]) continue;
    const token = pattern[i] as Token;
    if (token.kind === 'char') {
      if (token.char === char) next[i + 1] = 1;
    } else if (char !== ':' || token.colon) {
      if (token.kind === 'star') next[i] = 1;
      else next[i + 1] = 1;
    }
  }
  return close(next, pattern);
}

const NAME_CHARACTER = /^[\w.$~-]$/;

/** States after a hole: some run of characters of its alphabet (one or more for a segment). */
function stepHole(states: Uint8Array, pattern: Token[], hole: string): Uint8Array {
  const could = hole === ANY_SEGMENT ? (char: string) => NAME_CHARACTER.test(char) : (char: string) => char !== ':';
  // One character of the alphabet: any wildcard, or a literal the hole could be.
  const once = (from: Uint8Array): Uint8Array => {
    const next = new Uint8Array(pattern.length + 1);
    for (let i = 0; i < pattern.length; i++) {
      if (!from[i]) continue;
      const token = pattern[i] as Token;
      if (token.kind === 'star') next[i] = 1;
      else if (token.kind === 'one' || could(token.char)) next[i + 1] = 1;
    }
    return close(next, pattern);
  };
  const reached = hole === ANY_SEGMENT ? once(states) : Uint8Array.from(states);
  // At most one new state per round: the fixpoint comes within pattern.length rounds.
  for (let round = 0; round <= pattern.length; round++) {
    const more = once(reached);
    let grew = false;
    for (let i = 0; i < more.length; i++) {
      if (more[i] && !reached[i]) {
        reached[i] = 1;
        grew = true;
      }
    }
    if (!grew) break;
  }
  return reached;
}

function run(pattern: Token[], value: string): boolean {
  let states = close(Uint8Array.from({ length: pattern.length + 1 }, (_, i) => (i === 0 ? 1 : 0)), pattern);
  for (const char of value) {
    states = char === ANY_SEGMENT || char === ANY_PATH ? stepHole(states, pattern, char) : step(states, pattern, char);
    if (!states.includes(1)) return false;
  }
  return states[pattern.length] === 1;
}

const lower = (text: string, options: GlobOptions) => (options.caseInsensitive ? text.toLowerCase() : text);

/** IAM's `*` and `?` over the whole string (StringLike, action names). */
export function globMatch(pattern: string, value: string, options: GlobOptions = {}): boolean {
  return run(tokens(lower(pattern, options), options.literal ?? false, 'all'), lower(value, options));
}

/** Splits an ARN into its six components (the resource keeps its colons); undefined when it has fewer. */
export function arnComponents(arn: string): [string, string, string, string, string, string] | undefined {
  const parts: string[] = [];
  let rest = arn;
  for (let i = 0; i < 5; i++) {
    const colon = rest.indexOf(':');
    if (colon < 0) return undefined;
    parts.push(rest.slice(0, colon));
    rest = rest.slice(colon + 1);
  }
  return [...parts, rest] as [string, string, string, string, string, string];
}

/** ArnLike / ArnEquals: the six components compared one by one, each with `*` and `?`. */
export function arnLike(pattern: string, value: string): boolean {
  const p = arnComponents(pattern);
  const v = arnComponents(value);
  if (!p || !v) return false;
  return p.every((part, i) => globMatch(part, v[i] as string));
}

/** Whether a Resource (or NotResource) entry names the resource ARN `value`. */
export function resourceMatch(pattern: string, value: string): boolean {
  if (pattern === '*') return true;
  return run(tokens(pattern, false, 'segment-end'), value);
}

// ---------------------------------------------------------------- execute-api ARNs

/** What a path parameter holds in `executeApiArn`: some caller's value, which no permission names literally. */
const PATH_PARAMETER_VALUE = 'sample';

/** `arn:aws:execute-api:<region>:<account>:<apiId>`; an unknown account is a hole. */
export function executeApiPrefix(region: string, accountId: string | undefined, apiId: string): string {
  return `arn:aws:execute-api:${region}:${accountId ?? ANY_SEGMENT}:${apiId}`;
}

/**
 * The ARN API Gateway presents for one call: `<prefix>/<stage>/<METHOD>/<path>` (the path without
 * its leading slash; the root is `…/GET/`). An unknown stage is a hole (any stage the pattern
 * names); `ANY` is never sent as a verb (the request's own method is), so it stands for some
 * method. A path parameter (`{id}`, `{proxy+}`) holds a caller's value at run time: it becomes
 * an ordinary value, so only a pattern that admits every value there (a `*`) covers the method.
 */
export function executeApiArn(prefix: string, stage: string | undefined, method: string, resourcePath: string): string {
  const verb = method.toUpperCase() === 'ANY' ? ANY_SEGMENT : method.toUpperCase();
  const path = resourcePath.replace(/^\//, '').replace(/\{[^{}]*\}/g, PATH_PARAMETER_VALUE);
  return `${prefix}/${stage ?? ANY_SEGMENT}/${verb}/${path}`;
}


/** Shows a value with holes the way a person would write it: `{stage}`, `*`. */
export function describeArn(value: string): string {
  return value.replaceAll(ANY_SEGMENT, '*').replaceAll(ANY_PATH, '*');
}
