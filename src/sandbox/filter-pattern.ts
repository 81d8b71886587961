/**
 * CloudWatch Logs filter patterns for unstructured log events, as FilterLogEvents applies them:
 * terms are case-sensitive substrings; `a b` needs both, `?a ?b` needs either, `-a` excludes,
 * `"a phrase"` matches the phrase with its spaces. JSON (`{ $.x = 1 }`) and space-delimited
 * (`[ip, ...]`) patterns are not modelled, and say so instead of matching nothing.
 */
export type LogMatcher = (message: string) => boolean;

export class UnsupportedFilterPatternError extends Error {
  override name = 'SandboxUnsupportedFilterPattern';
}

interface Term {
  text: string;
  mode: 'required' | 'optional' | 'excluded';
}

const TOKEN = /([?-]?)(?:"((?:[^"\\]|\\.)*)"|(\S+))/g;

function parseTerms(pattern: string): Term[] {
  const terms: Term[] = [];
  for (const match of pattern.matchAll(TOKEN)) {
    const [, prefix, quoted, bare] = match;
    const text = quoted !== undefined ? quoted.replace(/\\(.)/g, '$1') : (bare ?? '');
    if (text === '') continue;
    terms.push({ text, mode: prefix === '?' ? 'optional' : prefix === '-' ? 'excluded' : 'required' });
  }
  return terms;
}

export function compileFilterPattern(pattern: string | undefined): LogMatcher {
  const trimmed = (pattern ?? '').trim();
  if (trimmed === '') return () => true;
  if (trimmed.startsWith('{') || trimmed.startsWith('[') || trimmed.startsWith('%')) {
    throw new UnsupportedFilterPatternError(`the sandbox models only term and phrase filter patterns, not: ${trimmed}`);
  }
  const terms = parseTerms(trimmed);
  const required = terms.filter((t) => t.mode === 'required').map((t) => t.text);
  const optional = terms.filter((t) => t.mode === 'optional').map((t) => t.text);
  const excluded = terms.filter((t) => t.mode === 'excluded').map((t) => t.text);
  // One alternation finds any optional term in a single pass over the message.
  const anyOptional = optional.length ? new RegExp(optional.map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')) : undefined;
  return (message) =>
    required.every((t) => message.includes(t)) && (anyOptional === undefined || anyOptional.test(message)) && !excluded.some((t) => message.includes(t));
}
