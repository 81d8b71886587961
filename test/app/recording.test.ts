import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import type { CliIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/main.js';
import { loadConfig } from '../../src/config.js';
import { BUILT_IN_DIR } from '../../src/sandbox/load.js';
import { outcome, roundTrip } from '../support/recording.js';
import { leak, scenarioFile } from '../support/secrets-everywhere.js';
import { TEST_SOURCE_ID, testSource } from '../support/test-source/index.js';

const findingsOf = (report: Parameters<typeof outcome>[0]) => outcome(report).findings;

describe('a recording is an egress', () => {
  it('no planted secret is in the recording, and it replays to the same findings', { timeout: 120_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'firebreak-recording-secrets-'));
    const { original, recording, replay } = await roundTrip(scenarioFile(dir));
    expect(recording.text).toContain('[REDACTED:');
    expect(leak(recording.text)).toBeUndefined();
    // The same coverage and findings; the fingerprint may move, since a redacted line reads back as itself.
    expect(outcome(replay.report).coverage).toEqual(outcome(original.report).coverage);
    expect(findingsOf(replay.report)).toEqual(findingsOf(original.report));
  });
});

describe('--anonymize', () => {
  const SCENARIO = 'xacct-home-endpoint-recreated-no-role';
  it('leaves no real account or resource id in the file and the findings unchanged', { timeout: 120_000 }, async () => {
    const { original, recording, replay } = await roundTrip(SCENARIO, { anonymize: true });
    const source = parseYaml(readFileSync(join(BUILT_IN_DIR, `${SCENARIO}.yaml`), 'utf8')) as { apiId: string; accounts: { accountId: string }[] };
    const real = [
      source.apiId,
      ...source.accounts.map((a) => a.accountId),
      ...new Set(readFileSync(join(BUILT_IN_DIR, `${SCENARIO}.yaml`), 'utf8').match(/\b(?:vpce|vpc|sg|subnet|eni)-0[0-9a-z]{5,17}\b/g) ?? []),
    ];
    expect(real.length).toBeGreaterThan(4);
    for (const id of real) expect(recording.text, id).not.toContain(id);
    // Nor inside opaque values (an Insights @ptr is base64 of the log group's name).
    for (const ptr of recording.text.match(/[A-Za-z0-9+/]{40,}={0,2}/g) ?? []) expect(Buffer.from(ptr, 'base64').toString('latin1')).not.toContain(source.apiId);
    expect(recording.anonymized).toBeGreaterThan(real.length - 1);
    expect(replay.report.target.restApiId).not.toBe(source.apiId);
    expect(findingsOf(replay.report)).toEqual(findingsOf(original.report));
    expect(replay.report.coverage.map((r) => r.status)).toEqual(original.report.coverage.map((r) => r.status));
  });
});

describe('a source records and describes itself', () => {
  it('a test-only source added from its own folder is recorded, replayed and described', { timeout: 120_000 }, async () => {
    const { original, recording, replay } = await roundTrip('healthy', { extraSources: [testSource] });
    const row = (r: typeof original) => r.report.coverage.find((c) => c.source === TEST_SOURCE_ID);
    expect(row(original)?.status).toBe('ok');
    expect(row(replay)).toMatchObject({ status: 'ok', count: row(original)?.count });
    expect(recording.text).toContain('apigateway:GetRestApis');
    expect(replay.report.bundle?.text).toContain('test-only source: APIs');
    expect(outcome(replay.report)).toEqual(outcome(original.report));
  });
});

describe('the CLI', () => {
  function io() {
    const dir = mkdtempSync(join(tmpdir(), 'firebreak-recording-cli-'));
    const stdout: string[] = [];
    const stderr: string[] = [];
    const cli: CliIo = { out: (t) => stdout.push(t), err: (t) => stderr.push(t), style: { color: false, width: 120 }, config: loadConfig({ FIREBREAK_LEDGER_SNAPSHOT: join(dir, 'ledger.json') }) };
    return { dir, cli, stdout, stderr };
  }

  it('--record writes a scenario that --scenario replays to the same findings', { timeout: 120_000 }, async () => {
    const { dir, cli, stdout, stderr } = io();
    const file = join(dir, 'incident.yaml');
    expect(await runCli(['troubleshoot', 'api-gw', 'a1b2c3d4e5', '--scenario', 'long-night', '--json', '--record', file], cli), stderr.join('\n')).toBe(0);
    expect(stderr.join('\n')).toContain(`recorded to ${file}`);
    const first = JSON.parse(stdout.join('\n'));
    stdout.length = 0;
    expect(await runCli(['troubleshoot', 'api-gw', 'a1b2c3d4e5', '--scenario', file, '--json'], cli)).toBe(0);
    expect(findingsOf(JSON.parse(stdout.join('\n')))).toEqual(findingsOf(first));
  });

  it('a recording of another window than 2 h replays over its own window when none is asked', { timeout: 120_000 }, async () => {
    const { dir, cli, stdout, stderr } = io();
    const file = join(dir, 'short.json');
    expect(await runCli(['troubleshoot', 'api-gw', 'a1b2c3d4e5', '--scenario', 'long-night', '--since', '45m', '--json', '--record', file], cli), stderr.join('\n')).toBe(0);
    const first = JSON.parse(stdout.join('\n'));
    stdout.length = 0;
    expect(await runCli(['troubleshoot', 'api-gw', 'a1b2c3d4e5', '--scenario', file, '--json'], cli)).toBe(0);
    const replay = JSON.parse(stdout.join('\n'));
    expect(replay.window).toEqual(first.window);
    expect(findingsOf(replay)).toEqual(findingsOf(first));
  });

  it('refuses --anonymize without --record and a file that is not YAML or JSON', async () => {
    const { cli, stderr } = io();
    expect(await runCli(['troubleshoot', 'api-gw', 'a1b2c3d4e5', '--scenario', 'healthy', '--anonymize'], cli)).toBe(2);
    expect(stderr.join('\n')).toContain('--anonymize changes a recording');
    expect(await runCli(['troubleshoot', 'api-gw', 'a1b2c3d4e5', '--scenario', 'healthy', '--record', 'x.txt'], cli)).toBe(2);
    expect(stderr.join('\n')).toContain('--record: expected a .yaml');
  });
});
