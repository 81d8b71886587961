/**
 * End to end: secrets planted in every source of a scenario (execution, access and Lambda logs,
 * CloudTrail request parameters, the resource policy) and in the added context never reach the
 * CLI's text output, its `--json`, the bundle file or the model prompt. The secrets are generated
 * here and substituted into test/fixtures/secrets-everywhere.yaml.
 */
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/main.js';
import { loadConfig } from '../../src/config.js';
import { FakeBedrock, sampleAnswer } from '../support/fake-bedrock.js';
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
const CONTEXT = `it broke after we rotated aws_secret_access_key=${CONTEXT_SECRET} and the deploy token ${CONTEXT_TOKEN}`;
const ALL_SECRETS = [...Object.values(PLANTED), CONTEXT_SECRET, CONTEXT_TOKEN];

/** The first 8-character run of any planted secret found in `text`. */
function leak(text: string): string | undefined {
  for (const secret of ALL_SECRETS) {
    for (let i = 0; i + 8 <= secret.length; i++) {
      const run = secret.slice(i, i + 8);
      if (text.includes(run)) return `${run} (of a ${secret.length}-character secret)`;
    }
  }
  return undefined;
}

function scenarioFile(dir: string): string {
  let text = readFileSync(join(import.meta.dirname, '../fixtures/secrets-everywhere.yaml'), 'utf8');
  // Pad the Lambda error line so the GitHub token straddles the 200-character quote clip.
  text = text.replace('{{PADDING}}', 'x'.repeat(7));
  for (const [name, value] of Object.entries(PLANTED)) text = text.replaceAll(`{{${name}}}`, value);
  expect(text).not.toContain('{{');
  const file = join(dir, 'secrets-everywhere.yaml');
  writeFileSync(file, text);
  return file;
}

function setup(modelClient?: FakeBedrock) {
  const dir = mkdtempSync(join(tmpdir(), 'firebreak-egress-'));
  const stdout: string[] = [];
  const stderr: string[] = [];
  const io: CliIo = {
    out: (t) => stdout.push(t),
    err: (t) => stderr.push(t),
    style: { color: false, width: 140 },
    config: loadConfig({ FIREBREAK_LEDGER_SNAPSHOT: join(dir, 'ledger.json'), FIREBREAK_BUNDLE_DIR: dir }),
    ...(modelClient ? { modelClient } : {}),
  };
  return { dir, io, stdout, stderr, scenario: scenarioFile(dir) };
}

const args = (scenario: string) => ['troubleshoot', 'api-gw', 'a1b2c3d4e5', '--scenario', scenario, '--user', 'alice', '--context', CONTEXT];

describe('nothing secret leaves through the CLI', () => {
  it('--json: the report (findings, quotes, coverage, bundle text) holds no planted secret', async () => {
    const { io, stdout, stderr, scenario } = setup();
    expect(await runCli([...args(scenario), '--json'], io), stderr.join('\n')).toBe(0);
    const out = stdout.join('\n');
    const report = JSON.parse(out);
    expect(report.findings.length).toBeGreaterThan(0);
    // The secrets did reach the evidence the rules quote: redacted, not absent.
    expect(out).toContain('[REDACTED:');
    expect(report.bundle.text).toContain('[REDACTED:');
    expect(leak(out)).toBeUndefined();
    expect(leak(stderr.join('\n'))).toBeUndefined();
  });

  it('text output and the bundle file hold no planted secret', async () => {
    const { dir, io, stdout, stderr, scenario } = setup();
    expect(await runCli(args(scenario), io)).toBe(0);
    expect(leak(stdout.join('\n'))).toBeUndefined();
    expect(leak(stderr.join('\n'))).toBeUndefined();
    const files = readdirSync(dir).filter((f) => f.startsWith('firebreak-bundle-'));
    expect(files).toHaveLength(1);
    const bundle = readFileSync(join(dir, files[0] as string), 'utf8');
    expect(bundle).toContain('## context');
    expect(leak(bundle)).toBeUndefined();
  });

  it('the prompt sent to the model holds no planted secret', async () => {
    const model = FakeBedrock.answering(sampleAnswer('high'), { inputTokens: 5_000, outputTokens: 400 });
    const { io, stdout, scenario } = setup(model);
    expect(await runCli([...args(scenario), '--yes'], io)).toBe(0);
    expect(model.calls).toHaveLength(1);
    expect(leak(JSON.stringify(model.calls))).toBeUndefined();
    expect(leak(stdout.join('\n'))).toBeUndefined();
  });
});
