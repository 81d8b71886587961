/**
 * Every regular expression in src/, read from the source files themselves (so a pattern added
 * later is found without anyone listing it), and every place a RegExp is BUILT at run time (which
 * no reading of the source can check). Used by the ReDoS test and by its prover.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

export const SRC = join(import.meta.dirname, '../../src');

export interface FoundRegex {
  /** Path relative to src/. */
  file: string;
  source: string;
  flags: string;
}

export interface FoundConstruction {
  file: string;
  text: string;
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? tsFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** The literals and run-time constructions of every .ts file under src/. */
export function regexesInSrc(): { literals: FoundRegex[]; constructions: FoundConstruction[] } {
  const literals: FoundRegex[] = [];
  const constructions: FoundConstruction[] = [];
  for (const path of tsFiles(SRC)) {
    const file = relative(SRC, path);
    const sf = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true);
    const visit = (node: ts.Node): void => {
      if (ts.isRegularExpressionLiteral(node)) {
        const literal = node.text;
        const close = literal.lastIndexOf('/');
        literals.push({ file, source: literal.slice(1, close), flags: literal.slice(close + 1) });
      }
      if ((ts.isNewExpression(node) || ts.isCallExpression(node)) && ts.isIdentifier(node.expression) && node.expression.text === 'RegExp') {
        constructions.push({ file, text: node.getText(sf).replace(/\s+/g, ' ').slice(0, 120) });
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return { literals, constructions };
}

/** The flags that matter to matching (g and y only say where a match starts). */
export const checkedFlags = (flags: string): string => flags.replace(/[gy]/g, '');

/** What a proof is recorded under: the exact pattern and the flags that matter. */
export function proofKey(source: string, flags: string): string {
  return createHash('sha256').update(`/${source}/${checkedFlags(flags)}`).digest('hex').slice(0, 32);
}

export const RECHECK_OPTIONS = { timeout: 120_000, randomSeed: 1 } as const;
