import { performance } from 'node:perf_hooks';
import { pino } from 'pino';
import { createFirebreak, listScenarios } from '../src/app/index.js';
import { loadConfig } from '../src/config.js';
import { handleWorkerEvent } from '../src/slack/receivers/worker.js';
import { createSlackServices } from '../src/slack/services-factory.js';
import { WebClient } from '@slack/web-api';
import { startFakeSlack } from '../test/support/fake-slack.js';

const LATENCY_MS = 100;
const RUNS_PER_ALARM = 5;
const CHANNEL = 'C0BENCHALARM';

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

const median = (values: number[]) => percentile([...values].sort((a, b) => a - b), 50);

/** The same alarm under another name: a new episode each run, everything else (its API, its window) the same. */
function renamed(event: Record<string, unknown>, suffix: string): Record<string, unknown> {
  const copy = structuredClone(event) as { id: string; resources: string[]; detail: { alarmName: string } };
  copy.id = `${copy.id}-${suffix}`;
  copy.detail.alarmName = `${copy.detail.alarmName}-${suffix}`;
  copy.resources = copy.resources.map((arn) => `${arn}-${suffix}`);
  return copy as unknown as Record<string, unknown>;
}

/**
 * Issue 24: from an alarm event reaching the worker to the verdict in the channel's parent
 * message, with 100 ms injected per AWS call, over every alarm of the built-in scenarios that
 * declare some: the EventBridge event is replayed through the worker's entry point (parse, find
 * the API, route, episode and cap in the ledger, then plan → troubleshoot → keep and the posts to
 * the Slack Web API stand-in). The verdict update of the parent is the flow's last call.
 */
export async function benchAlarms(): Promise<string[]> {
  const scenarios = (await listScenarios()).filter((s) => s.alarms.length > 0);
  const totals: number[] = [];
  const investigations: number[] = [];
  const lines: string[] = [];
  for (const scenario of scenarios) {
    const slack = await startFakeSlack();
    const config = loadConfig(
      {},
      {
        scenario: scenario.name,
        logLevel: 'silent',
        'slack.botToken': 'xoxb-bench-not-a-real-token',
        'slack.slackApiUrl': slack.apiUrl,
        'alarms.routes': [{ channel: CHANNEL }],
        // Every run is its own episode on the same API: the storm cap is not what is measured.
        'alarms.maxPerApiPerHour': 1_000,
      },
    );
    const app = await createFirebreak(config, { world: { scenario: scenario.name, latencyMs: LATENCY_MS } });
    const services = await createSlackServices(config, { app, logger: pino({ level: 'silent' }) });
    const client = new WebClient(config.slack.botToken, { slackApiUrl: slack.apiUrl });
    try {
      for (const alarm of scenario.alarms) {
        const event = await app.alarms.fireEvent(alarm, 'ALARM');
        const mine: number[] = [];
        for (let run = 0; run <= RUNS_PER_ALARM; run++) {
          const before = slack.callsTo('chat.postMessage').length;
          const started = performance.now();
          const result = await handleWorkerEvent(renamed(event, `bench${run}`), services, client);
          const ms = performance.now() - started;
          if (!result.ran) throw new Error(`${scenario.name}/${alarm}: the alarm posted nothing`);
          const parent = slack.callsTo('chat.postMessage').slice(before).find((c) => !c.args.thread_ts);
          const verdict = slack.callsTo('chat.update').filter((c) => c.args.ts === parent?.response?.ts).at(-1);
          if (!verdict || !/\*(critical|high|medium|low)\*|No known cause/.test(JSON.stringify(verdict.args.blocks))) throw new Error(`${scenario.name}/${alarm}: no verdict in the parent`);
          const id = /investigation `([0-9a-f]+)`/.exec(JSON.stringify(verdict.args.blocks))?.[1];
          const kept = id ? await app.lookup(id) : undefined;
          // Run 0 warms the JIT, the SDK clients and the ledger: not counted.
          if (run === 0) continue;
          mine.push(ms);
          totals.push(ms);
          if (kept?.status === 'found') investigations.push(kept.investigation.report.durationMs);
        }
        lines.push(`  ${`${scenario.name} / ${alarm}`.padEnd(58)} median ${median(mine).toFixed(0)} ms`);
      }
    } finally {
      await app.close();
      await slack.close();
    }
  }
  const sorted = [...totals].sort((a, b) => a - b);
  return [
    `alarms — alarm event → verdict in the parent message, ${LATENCY_MS} ms per AWS call, ${scenarios.length} built-in scenarios with alarms, ${RUNS_PER_ALARM} runs per alarm (${totals.length} samples)`,
    ...lines,
    `  all: median ${percentile(sorted, 50).toFixed(0)} ms, p99 ${percentile(sorted, 99).toFixed(0)} ms (p99 of ${totals.length} samples is near the maximum)`,
    `  of which the investigation itself (sources, rules, bundle): median ${median(investigations).toFixed(0)} ms; the rest is finding the API (${LATENCY_MS} ms a read), the ledger and the Slack posts`,
  ];
}
