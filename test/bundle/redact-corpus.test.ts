/**
 * The redactor against a corpus of realistic lines (CloudTrail JSON, API Gateway header dumps and
 * bodies, Lambda events and env dumps, shell traces, connection strings, cookies, configs) whose
 * secrets are generated at test time, and against harmless AWS lines that look like secrets.
 */
import { describe, expect, it } from 'vitest';
import { redact } from '../../src/bundle/redact.js';
import { corpus, HARMLESS_FIXED, HARMLESS_TEMPLATES, SECRET_TEMPLATES, type SecretLine } from './secret-corpus.js';

const SECRETS = corpus(SECRET_TEMPLATES, 2, 1000);
const HARMLESS = [...corpus(HARMLESS_TEMPLATES, 2, 2000), ...HARMLESS_FIXED];

/** The first run of 8 or more characters of a secret that is still in the text (or the whole, if shorter). */
function survivor(text: string, secret: string): string | undefined {
  if (secret.length < 8) return text.includes(secret) ? secret : undefined;
  for (let i = 0; i + 8 <= secret.length; i++) {
    const run = secret.slice(i, i + 8);
    if (text.includes(run)) return run;
  }
  return undefined;
}

function leaks(line: SecretLine): string[] {
  const out = redact(line.text).text;
  return line.secrets.flatMap((s) => {
    const run = survivor(out, s);
    return run ? [`${line.family}: "${run}" of a secret survives in: ${out.slice(0, 300)}`] : [];
  });
}

describe('redaction corpus', () => {
  it('has at least 150 secret lines across the families and 80 harmless look-alikes', () => {
    expect(SECRETS.length).toBeGreaterThanOrEqual(150);
    expect(new Set(SECRETS.map((l) => l.family)).size).toBeGreaterThanOrEqual(12);
    expect(HARMLESS.length).toBeGreaterThanOrEqual(80);
  });

  it('lets no secret (nor any 8 characters of one) survive', () => {
    const leaked = SECRETS.flatMap(leaks);
    expect(leaked, `${leaked.length} leaks of ${SECRETS.length} lines`).toEqual([]);
  });

  it('changes at most 1% of the harmless lines', () => {
    const changed = HARMLESS.map((l) => ({ l, out: redact(l.text).text })).filter(({ l, out }) => out !== l.text);
    const report = changed.map(({ l, out }) => `${l.family}: ${out}`);
    expect(changed.length / HARMLESS.length, report.join('\n')).toBeLessThanOrEqual(0.01);
  });

  it('redacting twice changes nothing more', () => {
    for (const line of SECRETS) {
      const once = redact(line.text).text;
      expect(redact(once).text).toBe(once);
    }
  });
});
