import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { createFirebreak, type FirebreakInstance } from '../../src/app/index.js';
import type { BundleChoices } from '../../src/core/report.js';
import { loadConfig } from '../../src/config.js';
import { startEmbeddedDynamo, type EmbeddedDynamo } from '../../src/ledger/embedded.js';
import { BUILT_IN_DIR } from '../../src/sandbox/load.js';
import { FakeBedrock, sampleAnswer } from '../support/fake-bedrock.js';

/**
 * The answer cache's second step, through the application: the same scenario five minutes
 * later is a new bundle (new times, new request ids) but the same incident, and its Analyze
 * reuses the earlier answer for free; a real change to the situation never does.
 */
let dynamo: EmbeddedDynamo;
beforeAll(async () => {
  dynamo = await startEmbeddedDynamo();
});
afterAll(() => dynamo.close());

const SCENARIO = 'n2-endpoint-sg-no-443';
const T0 = new Date('2026-11-23T10:00:00Z');
const MINUTE = 60_000;
const tmp = mkdtempSync(join(tmpdir(), 'firebreak-fingerprint-'));

/** One shared table and a clock the test moves (the ledger's "now": quota, cache age). */
function world(table: string, clock: { now: Date }, client: FakeBedrock, overrides: Record<string, unknown> = {}) {
  const config = loadConfig({}, {
    logLevel: 'silent',
    'ledger.embedded': false,
    'ledger.endpoint': dynamo.endpoint,
    'ledger.tableName': table,
    'quota.dailyTokens': 100_000,
    ...overrides,
  });
  return async (scenario: string, offsetMinutes = 0): Promise<FirebreakInstance> => {
    const scenarioNow = new Date(Date.parse(String(parseYaml(readFileSync(scenarioFile(scenario), 'utf8')).now)) + offsetMinutes * MINUTE);
    return createFirebreak(config, { modelClient: client, now: () => clock.now, world: { scenario, now: scenarioNow } });
  };
}

function scenarioFile(scenario: string): string {
  return scenario.includes('/') ? scenario : join(BUILT_IN_DIR, `${scenario}.yaml`);
}

/** The built-in scenario with a change, written to a file the sandbox loads by path (same name). */
interface ScenarioYaml {
  faults?: unknown[];
  accounts: { ec2: { securityGroups: { IpPermissions: { IpRanges: { CidrIp: string }[] }[] }[] } }[];
}

function variant(name: string, change: (scenario: ScenarioYaml) => void): string {
  const scenario = parseYaml(readFileSync(join(BUILT_IN_DIR, `${SCENARIO}.yaml`), 'utf8')) as ScenarioYaml;
  change(scenario);
  const file = join(tmp, `${name}.yaml`);
  writeFileSync(file, stringifyYaml(scenario));
  return file;
}

async function investigateAndAnalyze(app: FirebreakInstance, user: string, options: { size?: 'small' | 'large'; choices?: BundleChoices } = {}) {
  const { defaults } = await app.world();
  const plan = await app.plan({ restApiId: defaults!.restApiId, sinceMs: 2 * 3600_000, ...(defaults!.stage ? { stage: defaults!.stage } : {}) });
  const investigation = await app.troubleshoot(plan, { choices: options.choices ?? {} });
  const bundle = investigation.report.bundle!;
  const result = await app.analyze({ investigationId: `inv-${randomUUID().slice(0, 8)}`, approvalId: randomUUID(), user, bundle, size: options.size ?? 'small' });
  return { bundle, result };
}

describe('the incident fingerprint through the app', () => {
  it('gives the same scenario five minutes later another bundle hash, the same fingerprint, and a free answer with its age', async () => {
    const clock = { now: T0 };
    const client = new FakeBedrock().answer(sampleAnswer(), { inputTokens: 3_000, outputTokens: 400 });
    const open = world(`t-${randomUUID().slice(0, 8)}`, clock, client);

    const alice = await open(SCENARIO);
    const first = await investigateAndAnalyze(alice, 'alice');
    expect(first.result).toMatchObject({ cacheHit: false });
    expect(first.bundle.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    await alice.close();

    clock.now = new Date(T0.getTime() + 14 * MINUTE);
    const bob = await open(SCENARIO, 5);
    const second = await investigateAndAnalyze(bob, 'bob');
    expect(second.bundle.sha256).not.toBe(first.bundle.sha256);
    expect(second.bundle.fingerprint).toBe(first.bundle.fingerprint);
    expect(second.result).toMatchObject({ cacheHit: true, cacheKind: 'fingerprint', costUsd: 0, answer: sampleAnswer() });
    expect(second.result.reused).toMatchObject({ askedBy: 'alice', ageMinutes: 14, errorCountThen: first.bundle.errorCount, errorCountNow: second.bundle.errorCount });
    expect(second.result.reused!.savedUsd).toBe(first.result.costUsd);
    // No model call and no charge to the second person.
    expect(client.calls).toHaveLength(1);
    expect((await bob.usage('bob')).used).toBe(0);
    const summary = await bob.weeklySummary(clock.now, 'UTC');
    expect(summary).toMatchObject({ calls: 1, cacheHits: 1, fingerprintHits: 1, fingerprintSavedTokens: 3_400 });
    expect(summary.fingerprintSavedUsd).toBeCloseTo(first.result.costUsd, 6);

    // Asked fresh, it calls the model whatever is cached.
    client.answer(sampleAnswer('medium'));
    const fresh = await bob.analyze({ investigationId: 'inv-fresh', approvalId: randomUUID(), user: 'bob', bundle: second.bundle, size: 'small', fresh: true });
    expect(fresh).toMatchObject({ cacheHit: false });
    expect(client.calls).toHaveLength(2);
    await bob.close();
  }, 120_000);

  it('misses for one more fault, a changed security-group rule or different added context', async () => {
    const clock = { now: T0 };
    const client = new FakeBedrock();
    for (let i = 0; i < 4; i++) client.answer(sampleAnswer());
    const open = world(`t-${randomUUID().slice(0, 8)}`, clock, client);

    const base = await open(SCENARIO);
    const first = await investigateAndAnalyze(base, 'alice');
    await base.close();
    clock.now = new Date(T0.getTime() + 5 * MINUTE);

    const throttled = variant('one-more-fault', (s) => {
      s.faults = [...(s.faults ?? []), { operation: 'cloudtrail:LookupEvents', error: 'AccessDeniedException', message: 'not authorized to perform: cloudtrail:LookupEvents' }];
    });
    // The same fault (443 still closed to the callers), another range: only a configuration line moves.
    const sgChanged = variant('sg-changed', (s) => {
      s.accounts[0]!.ec2.securityGroups[0]!.IpPermissions[0]!.IpRanges[0]!.CidrIp = '172.16.0.0/12';
    });
    for (const scenario of [throttled, sgChanged]) {
      const app = await open(scenario, 5);
      const again = await investigateAndAnalyze(app, 'bob');
      expect(again.bundle.fingerprint).not.toBe(first.bundle.fingerprint);
      expect(again.result.cacheHit).toBe(false);
      await app.close();
    }
    const withContext = await open(SCENARIO, 5);
    const context = await investigateAndAnalyze(withContext, 'bob', { choices: { context: 'only the EU clients fail' } });
    expect(context.bundle.fingerprint).not.toBe(first.bundle.fingerprint);
    expect(context.result.cacheHit).toBe(false);
    await withContext.close();
    expect(client.calls).toHaveLength(4);
  }, 180_000);

  it('misses after the freshness limit, and a small-model answer never serves a large-model request', async () => {
    const clock = { now: T0 };
    const client = new FakeBedrock();
    for (let i = 0; i < 4; i++) client.answer(sampleAnswer());
    const open = world(`t-${randomUUID().slice(0, 8)}`, clock, client, { 'cache.fingerprintFreshnessMinutes': 30 });

    const first = await open(SCENARIO);
    const small = await investigateAndAnalyze(first, 'alice', { size: 'small' });
    expect(small.result.tier).toBe('small');
    await first.close();

    clock.now = new Date(T0.getTime() + 5 * MINUTE);
    const later = await open(SCENARIO, 5);
    const large = await investigateAndAnalyze(later, 'bob', { size: 'large' });
    expect(large.bundle.fingerprint).toBe(small.bundle.fingerprint);
    expect(large.result).toMatchObject({ cacheHit: false, tier: 'large' });
    // The large model's answer serves a later small request of the same incident.
    const smallAgain = await later.analyze({ investigationId: 'inv-s', approvalId: randomUUID(), user: 'carol', bundle: large.bundle, size: 'small' });
    expect(smallAgain).toMatchObject({ cacheKind: 'fingerprint', tier: 'large' });
    await later.close();

    clock.now = new Date(T0.getTime() + 36 * MINUTE);
    const stale = await open(SCENARIO, 36);
    const third = await investigateAndAnalyze(stale, 'dave', { size: 'large' });
    expect(third.bundle.fingerprint).toBe(small.bundle.fingerprint);
    // The large answer is 31 minutes old: past the 30-minute limit.
    expect(third.result.cacheHit).toBe(false);
    await stale.close();
    expect(client.calls).toHaveLength(3);
  }, 180_000);
});
