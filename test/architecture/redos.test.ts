/**
 * Linear time, proved: EVERY regular expression in src/ (read from the source files, so a pattern
 * added later is checked without anyone listing it) is free of super-linear backtracking, by
 * recheck (automaton analysis, fuzzing where the automaton cannot decide). A proof recorded in
 * redos-proofs.json under the pattern's exact text and flags is accepted; any other pattern is
 * proved here (`npx tsx test/support/redos-prove.ts` records new proofs in bulk). A RegExp built
 * at run time fails the test unless registered in redos-registry.ts with what makes it acceptable.
 */
import { readFileSync } from 'node:fs';
import { checkSync } from 'recheck';
import { describe, expect, it } from 'vitest';
import { checkedFlags, proofKey, RECHECK_OPTIONS, regexesInSrc, type FoundRegex } from '../support/regexes.js';
import { builtPatterns, CONSTRUCTIONS, PENDING, PROOFS_FILE, type Proofs } from './redos-registry.js';

const { literals, constructions } = regexesInSrc();
const built = await builtPatterns();
const proofs = JSON.parse(readFileSync(PROOFS_FILE, 'utf8')) as Proofs;
const recheckVersion = (JSON.parse(readFileSync(new URL('../../node_modules/recheck/package.json', import.meta.url), 'utf8')) as { version: string }).version;
const isPending = (p: FoundRegex) => PENDING.some((e) => e.file === p.file && e.source === p.source);

/** recheck's verdict: the recorded one for this exact pattern and recheck version, else proved now. */
function verdict(p: FoundRegex): { status: string; detail?: string } {
  const recorded = proofs.recheck === recheckVersion ? proofs.proofs[proofKey(p.source, p.flags)] : undefined;
  if (recorded) return { status: recorded.status };
  const result = checkSync(p.source, checkedFlags(p.flags), RECHECK_OPTIONS);
  return { status: result.status, detail: JSON.stringify(result.status === 'vulnerable' ? { complexity: result.complexity, attack: result.attack.pattern } : result.status) };
}

describe('every regular expression in src/ is free of super-linear backtracking', () => {
  it('finds the patterns of every directory (the scan works)', () => {
    expect(literals.length).toBeGreaterThan(400);
    const dirs = new Set(literals.map((p) => p.file.split('/')[0]));
    for (const dir of ['app', 'bundle', 'core', 'rules', 'sandbox', 'slack', 'sources', 'cli']) expect(dirs, dir).toContain(dir);
    expect(built.length).toBeGreaterThan(5);
  });

  it('builds no RegExp at run time that is not registered with its reason', () => {
    const unregistered = constructions.filter((c) => !CONSTRUCTIONS.some((r) => r.file === c.file && c.text.startsWith(r.startsWith)));
    expect(unregistered).toEqual([]);
    // The redaction modules build none at all: every pattern there is a literal, proved.
    expect(constructions.filter((c) => /^bundle\/(?:secrets\/|redact|egress|clip)/.test(c.file))).toEqual([]);
  });

  it.each([...literals, ...built].filter((p) => !isPending(p)).map((p) => [`${p.file}: /${p.source.slice(0, 100)}/${p.flags}`, p] as const))('%s', (_label, p) => {
    const { status, detail } = verdict(p);
    expect(status, detail).toBe('safe');
  }, 150_000);

  it('lists the patterns left as they are, each with its reason', () => {
    const pending = [...literals, ...built].filter(isPending);
    const proved = literals.length + built.length - pending.length;
    // Printed for the merge: each goes from PENDING once it is rewritten.
    console.info(`ReDoS: ${literals.length + built.length} patterns in src/, ${proved} proved, ${pending.length} left as they are (redos-registry.ts says why):\n${pending.map((p) => `  ${p.file}: /${p.source}/`).join('\n')}`);
    expect(new Set(pending.map((p) => `${p.file} ${p.source}`)).size).toBeLessThanOrEqual(PENDING.length);
  });
});
