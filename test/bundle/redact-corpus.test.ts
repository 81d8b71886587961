/**
 * The redactor against a corpus of realistic lines (CloudTrail JSON, API Gateway header dumps and
 * bodies, Lambda events and env dumps, shell traces, connection strings, cookies, configs, chat and
 * incident webhooks, credential files, protocol transcripts, code, encoded values) whose secrets
 * are generated at test time, planted in every place a line reaches the bot (a log line, a Lambda
 * error record one and two levels deep, an access log record, a CloudTrail event, a configuration
 * value, the added context, a feedback note), and against harmless lines that look like secrets.
 */
import { describe, expect, it } from 'vitest';
import { redact } from '../../src/bundle/redact.js';
import { fullyDecoded } from '../../src/bundle/secrets/decode.js';
import { FAMILY_TEMPLATES, LOOKALIKE_FIXED, LOOKALIKE_TEMPLATES, PLANTINGS } from './secret-corpus-families.js';
import { corpus, HARMLESS_FIXED, HARMLESS_TEMPLATES, SECRET_TEMPLATES, type SecretLine } from './secret-corpus.js';

const SECRETS = [...corpus(SECRET_TEMPLATES, 2, 1000), ...corpus(FAMILY_TEMPLATES, 2, 5_000_000)];
const HARMLESS = [...corpus(HARMLESS_TEMPLATES, 2, 2000), ...HARMLESS_FIXED, ...corpus(LOOKALIKE_TEMPLATES, 2, 9_000_000), ...LOOKALIKE_FIXED];
/** The families issue 27 names: each must be in the corpus. */
const ISSUE_27_FAMILIES = [
  'webhook-discord', 'webhook-teams', 'webhook-telegram', 'incident-key', 'json-patch', 'netrc', 'ldap', 'stdin-password', 'fish-set', 'tool-auth',
  'auth-plain', 'basic-auth-code', 'go-dsn', 'oracle', 'odbc', 'url-encoded', 'json-escaped', 'saml', 'vendor-scheme', 'token-token', 'sdk-uuid', 'bot-token',
  'cloudtrail-create',
];

/** The first run of 8 or more characters of a secret that is still in the text, as it is or decoded (or the whole, if shorter). */
function survivor(text: string, secret: string): string | undefined {
  const decoded = fullyDecoded(text);
  const holds = (run: string) => text.includes(run) || decoded.includes(run);
  if (secret.length < 8) return holds(secret) ? secret : undefined;
  for (let i = 0; i + 8 <= secret.length; i++) {
    const run = secret.slice(i, i + 8);
    if (holds(run)) return run;
  }
  return undefined;
}

function leaks(line: SecretLine, planted: string, where: string): string[] {
  const out = redact(planted).text;
  return line.secrets.flatMap((s) => {
    const run = survivor(out, s);
    return run ? [`${line.family} in ${where}: "${run}" of a secret survives in: ${out.slice(0, 400)}`] : [];
  });
}

describe('redaction corpus', () => {
  it('has at least 300 secret lines in at least 25 families (every family of issue 27) and 200 harmless look-alikes', () => {
    const families = new Set(SECRETS.map((l) => l.family));
    expect(SECRETS.length).toBeGreaterThanOrEqual(300);
    expect(families.size).toBeGreaterThanOrEqual(25);
    for (const family of ISSUE_27_FAMILIES) expect(families, family).toContain(family);
    expect(HARMLESS.length).toBeGreaterThanOrEqual(200);
  });

  it('lets no secret (nor any 8 characters of one) survive, as a line', () => {
    const leaked = SECRETS.flatMap((l) => leaks(l, l.text, 'the line'));
    expect(leaked, `${leaked.length} leaks of ${SECRETS.length} lines`).toEqual([]);
  });

  it.each(Object.keys(PLANTINGS))('lets no secret survive when the line is planted in: %s', (where) => {
    const plant = PLANTINGS[where] as (text: string) => string;
    const leaked = SECRETS.flatMap((l) => leaks(l, plant(l.text), where));
    expect(leaked, `${leaked.length} leaks of ${SECRETS.length} lines`).toEqual([]);
  });

  it('changes none of the harmless lines, as lines or inside a JSON log record', () => {
    const changed = HARMLESS.flatMap((l) => {
      const nested = JSON.stringify({ message: l.text });
      return [
        ...(redact(l.text).text !== l.text ? [`${l.family}: ${redact(l.text).text}`] : []),
        ...(redact(nested).text !== nested ? [`${l.family} (nested): ${redact(nested).text}`] : []),
      ];
    });
    expect(changed, changed.join('\n')).toEqual([]);
  });

  it('redacting twice changes nothing more', () => {
    for (const line of SECRETS) {
      for (const text of [line.text, (PLANTINGS['lambda-error-2'] as (t: string) => string)(line.text)]) {
        const once = redact(text).text;
        expect(redact(once).text).toBe(once);
      }
    }
  });
});
