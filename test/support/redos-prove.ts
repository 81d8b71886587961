/**
 * Proves every regular expression in src/ free of super-linear backtracking with recheck (automaton
 * analysis; fuzzing where the automaton cannot decide) and records each verdict, keyed by the
 * pattern's exact text and flags, in test/architecture/redos-proofs.json. The ReDoS test accepts a
 * recorded proof and proves anything else itself; run this after changing many patterns at once:
 *
 *   npx tsx test/support/redos-prove.ts          # prove what is not recorded yet, drop stale entries
 *   npx tsx test/support/redos-prove.ts --all    # prove everything again from scratch
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { check } from 'recheck';
import { builtPatterns, PROOFS_FILE, type Proofs } from '../architecture/redos-registry.js';
import { checkedFlags, proofKey, RECHECK_OPTIONS, regexesInSrc } from './regexes.js';

const recheckVersion = (JSON.parse(readFileSync(join(import.meta.dirname, '../../node_modules/recheck/package.json'), 'utf8')) as { version: string }).version;
const all = process.argv.includes('--all');
const previous: Proofs = all ? { recheck: recheckVersion, proofs: {} } : (JSON.parse(readFileSync(PROOFS_FILE, 'utf8')) as Proofs);
const patterns = [...regexesInSrc().literals, ...(await builtPatterns())];
const next: Proofs = { recheck: recheckVersion, proofs: {} };
const todo = patterns.filter((p) => {
  const key = proofKey(p.source, p.flags);
  const known = previous.recheck === recheckVersion ? previous.proofs[key] : undefined;
  if (known) next.proofs[key] = known;
  return !known;
});
console.log(`${patterns.length} patterns, ${todo.length} to prove`);
let at = 0;
const started = Date.now();
async function worker(): Promise<void> {
  while (at < todo.length) {
    const p = todo[at++]!;
    const result = await check(p.source, checkedFlags(p.flags), RECHECK_OPTIONS);
    next.proofs[proofKey(p.source, p.flags)] = { file: p.file, pattern: p.source.slice(0, 80), status: result.status };
    if (result.status !== 'safe') console.log(`${result.status}: ${p.file} /${p.source.slice(0, 100)}/`);
  }
}
// One at a time: two fuzzing at once on a loaded machine have recorded safe patterns as vulnerable.
await worker();
next.proofs = Object.fromEntries(Object.entries(next.proofs).sort(([a], [b]) => a.localeCompare(b)));
writeFileSync(PROOFS_FILE, `${JSON.stringify(next, null, 1)}\n`);
console.log(`proved ${todo.length} in ${Math.round((Date.now() - started) / 1000)} s; ${Object.keys(next.proofs).length} recorded in ${PROOFS_FILE}`);
