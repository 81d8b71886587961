/**
 * What the ReDoS test needs besides the source: where proofs are recorded, the patterns src/
 * builds from constants (proved like literals), the run-time constructions it cannot prove and
 * why each is registered, and the patterns in files other branches are rewriting right now.
 */
import { join } from 'node:path';
import type { FoundRegex } from '../support/regexes.js';

export const PROOFS_FILE = join(import.meta.dirname, 'redos-proofs.json');

export interface Proofs {
  recheck: string;
  proofs: Record<string, { file: string; pattern: string; status: string }>;
}

/** Patterns built at run time from constants in src/: each is proved like a literal. */
export async function builtPatterns(): Promise<FoundRegex[]> {
  const [{ MASK_SOURCES }, { PROBE_SOURCE }, { IDENTIFIER_SOURCE }, { TIME_FORMATS }] = await Promise.all([
    import('../../src/bundle/template.js'),
    import('../../src/rules/counting/scanners.js'),
    import('../../src/slack/blocks/code-spans.js'),
    import('../../src/core/extract-target.js'),
  ]);
  return [
    ...MASK_SOURCES.map((source) => ({ file: 'bundle/template.ts (MASK_SOURCES)', source, flags: 'g' })),
    { file: 'rules/counting/scanners.ts (PROBE_SOURCE)', source: PROBE_SOURCE, flags: 'i' },
    { file: 'slack/blocks/code-spans.ts (IDENTIFIER_SOURCE)', source: IDENTIFIER_SOURCE, flags: 'g' },
    ...TIME_FORMATS.map(({ pattern }) => ({ file: 'core/extract-target.ts (TIME_FORMATS)', source: pattern.source, flags: pattern.flags })),
  ];
}

/**
 * Every `new RegExp(…)` in src/, by file and the start of its text, with what makes it acceptable:
 * built from constants proved in `builtPatterns`, or linear by construction (the reason says why).
 * A construction missing here fails the test: prove it (build it from constants exported for
 * `builtPatterns`) or replace it with a matcher that needs no regex.
 */
export const CONSTRUCTIONS: { file: string; startsWith: string; why: string }[] = [
  {
    file: 'app/recording/anonymize.ts',
    startsWith: 'new RegExp(`(?<![A-Za-z0-9])(?:${ordered.map(escape)',
    why: 'an alternation of escaped literal ids between one-character lookarounds: no quantifier at all, so each position costs at most the alternation\'s length',
  },
  { file: 'bundle/template.ts', startsWith: 'new RegExp(MASKS.map(', why: 'an alternation of MASK_SOURCES, each proved (builtPatterns)' },
  {
    file: 'rules/execution-log-classifier.ts',
    startsWith: 'new RegExp(ANY_SIGNATURE_SOURCE',
    why: "an alternation of the signatures, each a literal proved here; recheck's fuzzer is not deterministic on the whole 40-way alternation (safe in one run, a polynomial 'attack' in the next that V8 matches in linear time: 640 KB in under 20 ms, measured by hand)",
  },
  { file: 'rules/counting/scanners.ts', startsWith: 'new RegExp(PROBE_SOURCE', why: 'proved (builtPatterns)' },
  { file: 'slack/blocks/code-spans.ts', startsWith: 'new RegExp(IDENTIFIER_SOURCE', why: 'proved (builtPatterns)' },
  {
    file: 'rules/counting/routes.ts',
    startsWith: 'new RegExp(`^${path.split(',
    why: "linear: anchored, escaped literal segments, `[^/]+` for a path parameter (it cannot cross the '/' that ends it), `.+` only for a greedy `{name+}`, which API Gateway allows only as the last segment",
  },
  {
    file: 'sources/logs/access-format.ts',
    startsWith: 'new RegExp(pattern)',
    why: 'linear: anchored; each variable is a class that stops at the first character of the literal after it (valueGroup), only the last takes `.*`',
  },
  {
    file: 'sources/logs/window-counts.ts',
    startsWith: 'new RegExp(`"([^"]+)"',
    why: 'linear: `"[^"]+"` starts at a quote and stops at the next one (each stretch between two quotes is read by one start), then fixed text around one escaped variable name',
  },
  { file: 'sandbox/filter-pattern.ts', startsWith: 'new RegExp(optional', why: 'linear: an alternation of escaped literal terms (each position tries each term once)' },
  {
    file: 'sandbox/insights/parse.ts',
    startsWith: 'new RegExp(source, flags)',
    why: "the sandbox's Logs Insights interpreter compiles the query's own regex: firebreak's own queries (src/sources/logs), each a literal proved above; sandbox only",
  },
  {
    file: 'sandbox/insights/parse.ts',
    startsWith: 'new RegExp(source)',
    why: "an Insights `like` glob of firebreak's own queries (one or two `*`), as Insights runs it; sandbox only",
  },
  { file: 'sandbox/services/ec2.ts', startsWith: 'new RegExp(`^${escaped}$`', why: "an EC2 filter value's wildcards, from firebreak's own Describe* calls (one `*` at most); sandbox only" },
  { file: 'core/extract-target.ts', startsWith: 'new RegExp(`\\\\b${WEEKDAY}', why: 'proved (builtPatterns: TIME_FORMATS)' },
];

/**
 * Literal patterns recheck finds super-linear, left as they are for a reason given with each; the
 * test prints them.
 */
export const PENDING: { file: string; source: string }[] = [
  // The templater's mixed-token mask: each start in a long run of letters re-reads the run (its
  // lookaheads), quadratic within the 1,000-character cap templateLines applies; fixing it changes
  // every template (a golden re-record), left for a change of its own.
  { file: 'bundle/template.ts (MASK_SOURCES)', source: String.raw`\b(?:(?=[A-Za-z+_-]*\d)(?=[0-9+_-]*[A-Za-z])[A-Za-z0-9+_-]{12,}={0,2}|[A-Za-z0-9+_-]{10,}={1,2}(?![A-Za-z0-9]))` },
];
