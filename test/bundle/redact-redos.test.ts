/**
 * Linear time, proved: every regular expression in the redaction modules is checked by recheck
 * (a ReDoS checker: automaton analysis, fuzzing where the automaton cannot decide). The patterns
 * are read from the source files themselves, so a pattern added later is checked without anyone
 * listing it; building a RegExp from a string there is refused, because it could not be checked.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkSync } from 'recheck';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../../src/bundle');
const FILES = [
  join(ROOT, 'redact.ts'),
  join(ROOT, 'clip.ts'),
  join(ROOT, 'egress.ts'),
  ...readdirSync(join(ROOT, 'secrets'))
    .filter((f) => f.endsWith('.ts'))
    .map((f) => join(ROOT, 'secrets', f)),
];

interface Found {
  file: string;
  source: string;
  flags: string;
}

function regexesIn(file: string): { found: Found[]; dynamic: string[] } {
  const text = readFileSync(file, 'utf8');
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: Found[] = [];
  const dynamic: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isRegularExpressionLiteral(node)) {
      const literal = node.text;
      const close = literal.lastIndexOf('/');
      found.push({ file, source: literal.slice(1, close), flags: literal.slice(close + 1) });
    }
    if ((ts.isNewExpression(node) || ts.isCallExpression(node)) && ts.isIdentifier(node.expression) && node.expression.text === 'RegExp') {
      dynamic.push(`${file}: ${node.getText(sf).slice(0, 80)}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return { found, dynamic };
}

const ALL = FILES.filter((f) => {
  try {
    readFileSync(f);
    return true;
  } catch {
    return false;
  }
}).map(regexesIn);
const PATTERNS = ALL.flatMap((r) => r.found);

describe('redaction patterns are free of super-linear backtracking', () => {
  it('finds the patterns (the scan works) and no pattern is built at run time', () => {
    expect(PATTERNS.length).toBeGreaterThan(40);
    expect(ALL.flatMap((r) => r.dynamic)).toEqual([]);
  });

  it.each(PATTERNS.map((p) => [`${p.file.slice(ROOT.length + 1)}: /${p.source}/${p.flags}`, p] as const))('%s', (_label, p) => {
    const result = checkSync(p.source, p.flags.replace(/[gy]/g, ''), { timeout: 60_000, randomSeed: 1 });
    expect(result.status, JSON.stringify(result.status === 'vulnerable' ? { complexity: result.complexity, attack: result.attack.pattern } : result)).toBe('safe');
  }, 90_000);
});
