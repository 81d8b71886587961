/**
 * Secrets planted in every source of a scenario (execution, access and Lambda logs, CloudTrail
 * request parameters, the resource policy) and in the added context, generated at test time and
 * substituted into test/fixtures/secrets-everywhere.yaml: the CLI's and Slack's egress tests use
 * the same ones.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { Gen } from '../bundle/secret-corpus.js';

const g = new Gen(20_261_130);
const PLANTED: Record<string, string> = {
  POLICY_API_KEY: g.alnum(40),
  ACCESS_PASSWORD: g.urlPassword(),
  JWT: g.jwt(),
  HEADER_API_KEY: g.alnum(40),
  BODY_PASSPHRASE: g.passphrase(),
  DB_PASSWORD: g.urlPassword(),
  GITHUB_TOKEN: `ghp_${g.alnum(36)}`,
  DD_API_KEY: g.hex(32),
  STRIPE_KEY: `sk_live_${g.alnum(24)}`,
  CT_ACCESS_KEY_ID: g.akid('ASIA'),
  CT_DB_PASSWORD: g.password().replace(/'/g, ''),
  CT_SLACK_TOKEN: `xoxb-${g.chars('0123456789', 12)}-${g.chars('0123456789', 13)}-${g.alnum(24)}`,
};
const CONTEXT_SECRET = g.awsSecret();
const CONTEXT_TOKEN = `glpat-${g.b64url(20)}`;
export const CONTEXT = `it broke after we rotated aws_secret_access_key=${CONTEXT_SECRET} and the deploy token ${CONTEXT_TOKEN}`;
const ALL_SECRETS = [...Object.values(PLANTED), CONTEXT_SECRET, CONTEXT_TOKEN];

/** The first 8-character run of any planted secret found in `text`. */
export function leak(text: string): string | undefined {
  for (const secret of ALL_SECRETS) {
    for (let i = 0; i + 8 <= secret.length; i++) {
      const run = secret.slice(i, i + 8);
      if (text.includes(run)) return `${run} (of a ${secret.length}-character secret)`;
    }
  }
  return undefined;
}

export function scenarioFile(dir: string): string {
  let text = readFileSync(join(import.meta.dirname, '../fixtures/secrets-everywhere.yaml'), 'utf8');
  // Pad the Lambda error line so the GitHub token straddles the 200-character quote clip.
  text = text.replace('{{PADDING}}', 'x'.repeat(7));
  for (const [name, value] of Object.entries(PLANTED)) text = text.replaceAll(`{{${name}}}`, value);
  expect(text).not.toContain('{{');
  const file = join(dir, 'secrets-everywhere.yaml');
  writeFileSync(file, text);
  return file;
}

