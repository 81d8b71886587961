/**
 * End to end: secrets planted in every source of a scenario (execution, access and Lambda logs,
 * CloudTrail request parameters, the resource policy) and in the added context never reach the
 * CLI's text output, its `--json`, the bundle file or the model prompt; nor does a CloudWatch alarm's
 * own text (read by metrics.alarms, replayed by `firebreak alarm`). The secrets are generated
 * here and substituted into test/fixtures/secrets-everywhere.yaml.
 */
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/main.js';
import { loadConfig } from '../../src/config.js';
import { FakeBedrock, sampleAnswer } from '../support/fake-bedrock.js';
import { ALARM_NAME, CONTEXT, leak, scenarioFile } from '../support/secrets-everywhere.js';

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
    const files = readdirSync(dir).filter((f) => f.startsWith('firebreak-bundle-') && f.endsWith('.txt'));
    expect(files).toHaveLength(1);
    const bundle = readFileSync(join(dir, files[0] as string), 'utf8');
    expect(bundle).toContain('## context');
    expect(leak(bundle)).toBeUndefined();
  });

  it('an alarm whose own text carries secrets (name, description, reason, tags): the alarm replay, its --json and --print-event hold none', async () => {
    const { io, stdout, stderr, scenario } = setup();
    expect(await runCli(['alarm', '--fire', ALARM_NAME, '--scenario', scenario], io), stderr.join('\n')).toBe(0);
    const text = stdout.join('\n');
    expect(text).toContain('ALARM: a new investigation');
    expect(text).toContain('Started by alarm apigw-shop-api-5xx');
    expect(leak(text)).toBeUndefined();
    stdout.length = 0;
    expect(await runCli(['alarm', '--fire', ALARM_NAME, '--scenario', scenario, '--state', 'ALARM,OK', '--json'], io), stderr.join('\n')).toBe(0);
    const records = JSON.parse(stdout.join('\n')) as { outcome: string }[];
    expect(records.map((r) => r.outcome)).toEqual(['investigate', 'recovered']);
    expect(leak(stdout.join('\n'))).toBeUndefined();
    stdout.length = 0;
    expect(await runCli(['alarm', '--fire', ALARM_NAME, '--scenario', scenario, '--print-event'], io)).toBe(0);
    const event = JSON.parse(stdout.join('\n')) as { detail: { state: { reason: string } } };
    expect(event.detail.state.reason).toContain('[REDACTED:');
    expect(leak(stdout.join('\n'))).toBeUndefined();
    expect(leak(stderr.join('\n'))).toBeUndefined();
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
