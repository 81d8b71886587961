import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createFirebreak } from '../../src/app/index.js';
import type { CliIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/main.js';
import { loadConfig } from '../../src/config.js';
import { startEmbeddedDynamo, type EmbeddedDynamo } from '../../src/ledger/embedded.js';
import { SANDBOX_HANDLERS } from '../../src/sandbox/transport.js';
import { FakeBedrock } from '../support/fake-bedrock.js';
import { closeAndCheck, findActionMessage, startHarness } from '../slack/harness.js';

let dynamo: EmbeddedDynamo;
beforeAll(async () => {
  dynamo = await startEmbeddedDynamo();
});
afterAll(() => dynamo.close());

/** One table on one dynalite: what two instances of the bot (or one restarted) share. */
function sharedConfig(scenario = 'long-night') {
  return loadConfig({}, { scenario, logLevel: 'silent', 'ledger.embedded': false, 'ledger.endpoint': dynamo.endpoint, 'ledger.tableName': `t-${randomUUID().slice(0, 8)}` });
}

/** Counts every AWS operation the sandbox answers, whichever client or account asked. */
function countSandboxCalls(): { count(): number; restore(): void } {
  const spies = Object.values(SANDBOX_HANDLERS).flatMap((handlers) => Object.keys(handlers).map((op) => vi.spyOn(handlers, op)));
  return { count: () => spies.reduce((sum, spy) => sum + spy.mock.calls.length, 0), restore: () => spies.forEach((spy) => spy.mockRestore()) };
}

describe('the application core', () => {
  it('rebuilds the bundle with added context on a fresh instance from the stored evidence, without reading AWS', async () => {
    const config = sharedConfig();
    const first = await createFirebreak(config);
    const { defaults } = await first.world();
    const plan = await first.plan({ restApiId: defaults!.restApiId, sinceMs: 2 * 3600_000, ...(defaults!.stage ? { stage: defaults!.stage } : {}) });
    const investigation = await first.troubleshoot(plan, { choices: { budget: 'medium' } });
    await first.keep({ id: 'inv-restart', requester: 'U0ALICE', ref: { channel: 'C1', threadTs: '1.0' }, investigation, choices: { budget: 'medium' } });
    const context = 'it started after the 14:00 deploy of orders-v2';
    const expected = await first.bundleFor(investigation, { budget: 'medium', context });
    await first.close();

    const calls = countSandboxCalls();
    try {
      const restarted = await createFirebreak(config);
      const outcome = await restarted.reviseBundle('inv-restart', { budget: 'medium', context });
      expect(outcome.status).toBe('committed');
      expect(outcome.status === 'committed' && outcome.bundle.sha256).toBe(expected.sha256);
      expect(expected.text).toContain(context);
      expect(await restarted.currentBundle('inv-restart')).toMatchObject({ revision: 1, choices: { context }, bundle: { sha256: expected.sha256 } });
      expect(calls.count()).toBe(0);
      await restarted.close();
    } finally {
      calls.restore();
    }
  }, 60_000);

  it('moves an approval once, gives it back only to its owner, and refuses context once approved', async () => {
    const app = await createFirebreak(sharedConfig('healthy'));
    const { defaults } = await app.world();
    const investigation = await app.troubleshoot(await app.plan({ restApiId: defaults!.restApiId, sinceMs: 3600_000 }));
    await app.keep({ id: 'inv-moves', requester: 'U0ALICE', ref: {}, investigation, choices: {} });
    const approval = { investigationId: 'inv-moves', approvalId: 'click-1', user: 'U0ALICE', size: 'small' as const };
    const wins = await Promise.all([app.approve(approval), app.approve({ ...approval, approvalId: 'click-2' })]);
    expect(wins.filter(Boolean)).toHaveLength(1);
    const winner = wins[0] ? 'click-1' : 'click-2';
    expect(await app.reviseBundle('inv-moves', { context: 'late' })).toEqual({ status: 'not-pending' });
    expect(await app.release({ ...approval, approvalId: winner === 'click-1' ? 'click-2' : 'click-1' })).toBe(false);
    expect(await app.release({ ...approval, approvalId: winner })).toBe(true);
    expect((await app.reviseBundle('inv-moves', { context: 'now it applies' })).status).toBe('committed');
    expect(await app.reviseBundle('never-was', {})).toEqual({ status: 'missing' });
    await app.close();
  }, 60_000);
});

describe('one estimate for every front end', () => {
  it('Slack and the CLI show the same model, region, tokens and price for the same scenario', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'firebreak-fronts-'));
    const stdout: string[] = [];
    const io: CliIo = {
      out: (t) => stdout.push(t),
      err: () => {},
      style: { color: false, width: 140 },
      config: loadConfig({ FIREBREAK_LEDGER_SNAPSHOT: '', FIREBREAK_BUNDLE_DIR: dir, FIREBREAK_BEDROCK_REGION: 'eu-central-1' }),
      modelClient: FakeBedrock.answering(),
    };
    expect(await runCli(['troubleshoot', 'api-gw', 'a1b2c3d4e5', 'prod', '—since', '2h', '--scenario', 'long-night'], io)).toBe(0);
    const cli = stdout.find((line) => line.startsWith('Analysis: '));
    const cliFigures = /^Analysis: (.+) \((.+)\), ~(\S+) tokens in \+ up to \S+ out, at most (\$\S+)$/.exec(cli ?? '');
    expect(cliFigures, cli).not.toBeNull();

    const h = await startHarness({ scenario: 'long-night', 'models.region': 'eu-central-1' });
    try {
      await h.command('api-gw a1b2c3d4e5 prod —since 2h');
      const action = await h.slack.waitFor(() => findActionMessage(h.slack), 30_000);
      // The short label and, beside it, the details: the same figures as the CLI (CountTokens in both).
      const label = /^Analyze · ~\$\d+\.\d\d \((.+) \((.+)\) · reads ~(\S+) tokens, writes up to \S+ · at most (\$\S+) · (counted by Bedrock|estimated offline)\)$/.exec(String(action.call.args.text));
      expect(label, String(action.call.args.text)).not.toBeNull();
      const [, model, region, tokens, price] = label!;
      expect([model, region, tokens, price]).toEqual([cliFigures![1], cliFigures![2], cliFigures![3], cliFigures![4]]);
      expect(cliFigures![2]).toBe('eu-central-1');
    } finally {
      await closeAndCheck(h);
    }
  }, 90_000);
});
