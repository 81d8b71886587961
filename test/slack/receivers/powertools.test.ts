import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createFirebreak, type FirebreakInstance } from '../../../src/app/index.js';
import { loadConfig } from '../../../src/config.js';
import { instrumentedFront } from '../../../src/slack/receivers/lambda.js';
import { createPowertools, powertoolsObserver, type Powertools } from '../../../src/slack/receivers/powertools.js';
import { FakeBedrock } from '../../support/fake-bedrock.js';
import { lambdaContext } from '../../support/lambda-context.js';


/** Every line Powertools writes to stdout (EMF metrics and JSON logs) while `run` runs. */
async function captureStdout(run: () => Promise<unknown>): Promise<Record<string, unknown>[]> {
  const lines: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(...String(chunk).split('\n').filter(Boolean));
    return true;
  });
  try {
    await run();
  } finally {
    spy.mockRestore();
  }
  return lines.flatMap((line) => {
    try {
      return [JSON.parse(line) as Record<string, unknown>];
    } catch {
      return [];
    }
  });
}

const emf = (lines: Record<string, unknown>[]) => lines.filter((l) => l._aws !== undefined);
const metricNames = (line: Record<string, unknown>) =>
  ((line._aws as { CloudWatchMetrics: { Metrics: { Name: string }[] }[] }).CloudWatchMetrics[0]?.Metrics ?? []).map((m) => m.Name);
const withMetric = (lines: Record<string, unknown>[], name: string) => emf(lines).filter((l) => metricNames(l).includes(name));

const frontContext = lambdaContext('Firebreak-front');

describe('the worker Lambda with Powertools, as CloudWatch receives it (its own process, stdout)', () => {
  it('prints investigations, failed sources by kind and findings by rule as EMF, and JSON logs with the Lambda context and job ids', async () => {
    const fixture = fileURLToPath(new URL('./fixtures/worker-event.ts', import.meta.url));
    const env = {
      ...process.env,
      POWERTOOLS_SERVICE_NAME: 'firebreak',
      POWERTOOLS_METRICS_NAMESPACE: 'Firebreak',
      POWERTOOLS_LOG_LEVEL: 'INFO',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    };
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', fixture], { env, timeout: 60_000 });
    const lines = stdout.split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>);

    const [investigations] = withMetric(lines, 'Investigations');
    expect(investigations).toMatchObject({ service: 'firebreak', Investigations: 1 });
    expect((investigations!._aws as { CloudWatchMetrics: { Namespace: string }[] }).CloudWatchMetrics[0]!.Namespace).toBe('Firebreak');
    const findings = withMetric(lines, 'Findings');
    expect(findings.length).toBeGreaterThan(0);
    for (const line of findings) expect(line.rule).toMatch(/^[A-Z]\d*\./);
    const failed = withMetric(lines, 'SourcesFailed');
    expect(failed.length).toBeGreaterThan(0);
    for (const line of failed) expect(line.errorKind).toMatch(/^(access_denied|throttled|timeout|not_found|dependency_failed|invalid_input|unknown)$/);

    // Every other line is a Powertools JSON log line: the Lambda context, cold start, the job.
    const logs = lines.filter((l) => l._aws === undefined);
    expect(logs.length).toBeGreaterThan(0);
    for (const log of logs) {
      expect(log).toMatchObject({ service: 'firebreak', function_request_id: 'req-0001', cold_start: expect.any(Boolean), jobId: 'job-emf-1', jobKind: 'troubleshoot', level: expect.any(String) });
    }
  }, 90_000);
});

describe('Powertools on Lambda: EMF metrics and one JSON log stream', () => {
  let tools: Powertools;
  let app: FirebreakInstance;
  const env = { ...process.env };

  beforeAll(async () => {
    process.env.POWERTOOLS_SERVICE_NAME = 'firebreak';
    process.env.POWERTOOLS_METRICS_NAMESPACE = 'Firebreak';
    process.env.POWERTOOLS_LOG_LEVEL = 'INFO';
    const config = loadConfig(
      {},
      {
        scenario: 'long-night',
        logLevel: 'info',
        'slack.botToken': 'xoxb-test-not-a-real-token',
        'slack.signingSecret': 'not-a-secret',
        'ledger.embedded': true,
        'models.enabled': true,
        'quota.perUser': { U0QUOTA: 10 },
      },
    );
    tools = createPowertools();
    const observer = powertoolsObserver(tools);
    app = await createFirebreak(config, { modelClient: FakeBedrock.answering(), observer });
  });
  afterEach(() => {
    tools.metrics.clearMetrics();
  });
  afterAll(async () => {
    process.env = env;
    await app.close();
  });

  it('a model call: bundles sent, tokens in and out, cost; a repeat is a cache hit; a quota refusal counts', async () => {
    const { defaults } = await app.world();
    const investigation = await app.troubleshoot(await app.plan({ restApiId: defaults!.restApiId, sinceMs: 3600_000 }));
    await app.keep({ id: 'inv-emf', requester: 'U0ALICE', ref: {}, investigation, choices: {} });
    await app.approve({ investigationId: 'inv-emf', approvalId: 'inv-emf:small:1', user: 'U0ALICE', size: 'small' });
    const bundle = (await app.currentBundle('inv-emf'))!.bundle;
    tools.metrics.clearMetrics();
    const first = await captureStdout(async () => {
      await app.analyze({ investigationId: 'inv-emf', approvalId: 'inv-emf:small:1', user: 'U0ALICE', bundle, size: 'small' });
      tools.metrics.publishStoredMetrics();
    });
    const [sent] = withMetric(first, 'BundlesSent');
    expect(sent).toMatchObject({ BundlesSent: 1, InputTokens: expect.any(Number), OutputTokens: expect.any(Number), CostUsd: expect.any(Number) });
    expect(sent!.InputTokens as number).toBeGreaterThan(0);

    const again = await captureStdout(async () => {
      await app.analyze({ investigationId: 'inv-emf', approvalId: 'inv-emf:small:2', user: 'U0ALICE', bundle, size: 'small' });
      tools.metrics.publishStoredMetrics();
    });
    expect(withMetric(again, 'CacheHits')[0]).toMatchObject({ CacheHits: 1 });

    // A model call the user's daily quota cannot fit is refused, and counted.
    const refused = await captureStdout(async () => {
      await expect(
        app.analyze({ investigationId: 'inv-emf', approvalId: 'inv-emf:small:3', user: 'U0QUOTA', bundle: { ...bundle, sha256: `${bundle.sha256.slice(0, -4)}beef`, text: `${bundle.text}\nnew` }, size: 'small', fresh: true }),
      ).rejects.toThrow();
      tools.metrics.publishStoredMetrics();
    });
    expect(withMetric(refused, 'QuotaRefusals')[0]).toMatchObject({ QuotaRefusals: 1 });
  }, 60_000);

  it('the front records its ack latency (what the p99 alarm reads) on every request', async () => {
    const lines = await captureStdout(async () => {
      const front = instrumentedFront(async () => async () => ({ statusCode: 200, body: '' }), tools);
      await front({} as never, frontContext as never);
    });
    const [ack] = withMetric(lines, 'AckLatency');
    expect(ack).toMatchObject({ service: 'firebreak', AckLatency: expect.any(Number) });
    const unit = (ack!._aws as { CloudWatchMetrics: { Metrics: { Name: string; Unit: string }[] }[] }).CloudWatchMetrics[0]!.Metrics[0]!.Unit;
    expect(unit).toBe('Milliseconds');
  });
});
