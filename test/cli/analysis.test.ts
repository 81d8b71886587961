import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { runCli } from '../../src/cli/main.js';
import type { CliIo } from '../../src/cli/io.js';
import { FakeBedrock, sampleAnswer } from '../support/fake-bedrock.js';

function setup(env: Record<string, string> = {}, modelClient?: FakeBedrock) {
  const dir = mkdtempSync(join(tmpdir(), 'firebreak-cli-'));
  const stdout: string[] = [];
  const stderr: string[] = [];
  const io: CliIo = {
    out: (t) => stdout.push(t),
    err: (t) => stderr.push(t),
    style: { color: false, width: 140 },
    config: loadConfig({ FIREBREAK_LEDGER_SNAPSHOT: join(dir, 'ledger.json'), FIREBREAK_BUNDLE_DIR: dir, ...env }),
    ...(modelClient ? { modelClient } : {}),
  };
  return { dir, io, stdout, stderr };
}

const troubleshoot = ['troubleshoot', 'api-gw', 'a1b2c3d4e5', '--scenario', 'long-night', '--user', 'alice'];

describe('CLI analysis step', () => {
  it('without Bedrock, sends nothing and writes the redacted bundle to a file', async () => {
    const { dir, io, stdout } = setup();
    expect(await runCli(troubleshoot, io)).toBe(0);
    const text = stdout.join('\n');
    expect(text).toMatch(/Bundle: ~[\d,]+ tokens \(medium budget\) from ~[\d,]+ collected/);
    // The priced approval step is shown anyway: model, tokens, price, quota left, what would be sent.
    expect(text).toMatch(/Approval \(what the Analyze button in Slack shows/);
    expect(text).toMatch(/Analysis: Claude Haiku 4\.5 \(us-east-1\), ~[\d.k]+ tokens in \+ up to [\d.k]+ out, at most \$[\d.]+/);
    expect(text).toMatch(/quota left for alice: 200k of 200k tokens today, resets \S+ \(this analysis reserves up to [\d.k]+\)/);
    expect(text).toMatch(/would send: the instructions and the bundle \(findings ~\d+/);
    expect(text).toContain('No model is configured, so nothing was sent. One setting turns Bedrock on: FIREBREAK_BEDROCK_ENABLED=true');
    const files = readdirSync(dir).filter((f) => f.startsWith('firebreak-bundle-a1b2c3d4e5-') && f.endsWith('.txt'));
    expect(files).toHaveLength(1);
    expect(readFileSync(join(dir, files[0]!), 'utf8')).toContain('## findings');
    // The picture of the incident beside the bundle, and a sparkline in the text.
    const chart = files[0]!.replace(/\.txt$/, '-traffic.png');
    expect(readFileSync(join(dir, chart)).subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(text).toContain(`the traffic chart beside it: ${join(dir, chart)}`);
    expect(text).toMatch(/^traffic 10:00–12:00 UTC {2}requests [▁▂▃▄▅▆▇█]+ {2}5xx [▁▂▃▄▅▆▇█]+ .* requests · 2xx–3xx/m);
  });

  it('without a terminal and without --yes, asks for nothing and sends nothing', async () => {
    const model = FakeBedrock.answering();
    const { io, stdout } = setup({}, model);
    expect(await runCli(troubleshoot, io)).toBe(0);
    expect(stdout.join('\n')).toContain('Run again with --yes');
    expect(model.calls).toHaveLength(0);
  });

  it('with --yes, analyses with the small model, shows the answer and charges the quota', async () => {
    const model = FakeBedrock.answering(sampleAnswer('high'), { inputTokens: 5_000, outputTokens: 400 });
    const { io, stdout } = setup({}, model);
    expect(await runCli([...troubleshoot, '--yes', '--context', 'started after the 09:00 deploy; token Bearer abcdefghijklmnopqrstuvwxyz123456'], io)).toBe(0);
    expect(model.calls).toHaveLength(1);
    expect(model.calls[0]?.modelId).toContain('haiku');
    const sent = JSON.stringify(model.calls[0]);
    expect(sent).toContain('started after the 09:00 deploy');
    expect(sent).not.toContain('abcdefghijklmnopqrstuvwxyz123456');
    const text = stdout.join('\n');
    expect(text).toMatch(/Root cause \(high confidence\)/);
    expect(text).toMatch(/5,400 tokens · \$[\d.]+ · [\d,]+ of 200,000 tokens left today/);

    const usage = setup({ FIREBREAK_LEDGER_SNAPSHOT: io.config.ledger.snapshotPath! });
    expect(await runCli(['usage', '--user', 'alice'], usage.io)).toBe(0);
    expect(usage.stdout.join('\n')).toMatch(/alice: 5,400 of 200,000 tokens used today/);
  });

  it('refuses over quota with used, limit and reset, and charges nothing', async () => {
    const model = FakeBedrock.answering();
    const { io, stderr } = setup({ FIREBREAK_DAILY_TOKENS: '1000' }, model);
    expect(await runCli([...troubleshoot, '--yes'], io)).toBe(1);
    expect(stderr.join('\n')).toMatch(/over your daily quota: 0 of 1,000 tokens used, this needs [\d,]+; it resets at \d{4}-\d\d-\d\dT/);
    expect(model.calls).toHaveLength(0);
    expect(existsSync(io.config.ledger.snapshotPath!)).toBe(true);
  });
});

describe('firebreak spend', () => {
  it('summarises the week from the ledger after an analysis', async () => {
    const model = FakeBedrock.answering(sampleAnswer('high'), { inputTokens: 5_000, outputTokens: 400 });
    const first = setup({}, model);
    expect(await runCli([...troubleshoot, '--yes'], first.io)).toBe(0);
    const spend = setup({ FIREBREAK_LEDGER_SNAPSHOT: first.io.config.ledger.snapshotPath! });
    expect(await runCli(['spend'], spend.io)).toBe(0);
    const text = spend.stdout.join('\n');
    expect(text).toMatch(/Spend for \d{4}-W\d\d \(UTC\): \$[\d.]+ \(new this week\), 5\.4k tokens in 1 model call/);
    expect(text).toMatch(/alice\s+\$[\d.]+/);
    expect(text).toContain('Tokens avoided by pruning');
  });

  it('rejects a malformed week with one clear line', async () => {
    const { io, stderr } = setup();
    expect(await runCli(['spend', '--week', '2026-48'], io)).toBe(2);
    expect(stderr[0]).toMatch(/--week: expected an ISO week like \d{4}-W\d\d/);
  });
});

describe('CLI analysis on a terminal', () => {
  it('asks for context and approval, then sends the bundle with the context redacted inside it', async () => {
    const model = FakeBedrock.answering(sampleAnswer('medium'), { inputTokens: 4_000, outputTokens: 300 });
    const { io, stdout } = setup({}, model);
    const questions: string[] = [];
    const answers = ['deploy at 09:00, password=hunter22pw', 'y'];
    io.ask = async (question) => {
      questions.push(question);
      return answers.shift() ?? '';
    };
    expect(await runCli(troubleshoot, io)).toBe(0);
    expect(questions[0]).toContain('Add context');
    expect(questions[1]).toMatch(/Send it to Claude Haiku 4\.5\? \[y\/N\]/);
    expect(stdout.join('\n')).toMatch(/With your context: Analysis: Claude Haiku 4\.5 \(us-east-1\), ~[\d.]+k? tokens in/);
    expect(model.calls).toHaveLength(1);
    const sent = JSON.stringify(model.calls[0]);
    expect(sent).toContain('deploy at 09:00');
    expect(sent).not.toContain('hunter22pw');
  });

  it('sends nothing when the person says no', async () => {
    const model = FakeBedrock.answering();
    const { io, stdout } = setup({}, model);
    const answers = ['', 'n'];
    io.ask = async () => answers.shift() ?? '';
    expect(await runCli(troubleshoot, io)).toBe(0);
    expect(stdout.at(-1)).toBe('Not sent.');
    expect(model.calls).toHaveLength(0);
  });

  it('accepts a bare --week as this week', async () => {
    const { io, stdout } = setup();
    expect(await runCli(['spend', '--week'], io)).toBe(0);
    expect(stdout[0]).toMatch(/^Spend for \d{4}-W\d\d/);
  });
});

describe('CLI: the same incident later (--now, fingerprint hits, --fresh)', () => {
  const at = (now: string, user: string) => ['troubleshoot', 'api-gw', 'a1b2c3d4e5', '--scenario', 'long-night', '--now', now, '--user', user, '--yes'];

  it('reuses the answer for the scenario five minutes later, says whose and offers --fresh; spend shows the hit', async () => {
    const model = FakeBedrock.answering(sampleAnswer('high'), { inputTokens: 5_000, outputTokens: 400 });
    const first = setup({}, model);
    expect(await runCli(at('2024-05-01T12:00:00Z', 'alice'), first.io)).toBe(0);
    expect(model.calls).toHaveLength(1);

    const later = setup({ FIREBREAK_LEDGER_SNAPSHOT: first.io.config.ledger.snapshotPath! }, model);
    expect(await runCli(at('2024-05-01T12:05:00Z', 'bob'), later.io)).toBe(0);
    expect(model.calls).toHaveLength(1);
    const text = later.stdout.join('\n');
    expect(text).toMatch(/Reused answer: same evidence as (less than a minute|\d+ minutes?) ago, asked by @alice; the error count (went from \d+ to \d+|is unchanged)/);
    expect(text).toMatch(/For a fresh analysis \(~\$[\d.]+\), run again with --fresh/);
    expect(text).toContain('same-incident answer, 0 tokens, $0');

    const fresh = setup({ FIREBREAK_LEDGER_SNAPSHOT: first.io.config.ledger.snapshotPath! }, model);
    expect(await runCli([...at('2024-05-01T12:05:00Z', 'bob'), '--fresh'], fresh.io)).toBe(0);
    expect(model.calls).toHaveLength(2);
    expect(fresh.stdout.join('\n')).not.toContain('Reused answer');

    const spend = setup({ FIREBREAK_LEDGER_SNAPSHOT: first.io.config.ledger.snapshotPath! });
    expect(await runCli(['spend'], spend.io)).toBe(0);
    expect(spend.stdout.join('\n')).toMatch(/Same-incident hits \(fingerprint\): 1, saved \$[\d.]+ and ~5\.4k tokens/);
  }, 120_000);

  it('refuses --now without --scenario, or a --now that is not an ISO time, with exit 2', async () => {
    const { io, stderr } = setup();
    expect(await runCli(['troubleshoot', 'api-gw', 'a1b2c3d4e5', '--now', '2024-05-01T12:05:00Z'], io)).toBe(2);
    expect(stderr.join('\n')).toContain('--scenario');
    expect(await runCli(['troubleshoot', 'api-gw', 'a1b2c3d4e5', '--scenario', 'healthy', '--now', 'yesterday'], io)).toBe(2);
  });
});
