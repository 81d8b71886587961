import { performance } from 'node:perf_hooks';
import { pino } from 'pino';
import { DEMO_SCENARIO } from '../src/cli/commands/demo.js';
import { loadConfig } from '../src/config.js';
import { FakeBedrock } from '../test/support/fake-bedrock.js';
import { startSlackApp } from '../src/slack/app.js';
import type { SlackJob } from '../src/slack/jobs/types.js';
import { createSlackServices } from '../src/slack/services-factory.js';
import { startFakeSlack } from '../test/support/fake-slack.js';
import { commandBody, signedRequest } from '../test/support/sign.js';

const SECRET = 'bench-signing-secret-not-real';
const COMMANDS = 200;
const CONCURRENCY = 20;
const TABLE_RUNS = 5;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

async function setup(dispatch?: (job: SlackJob) => Promise<void>) {
  const slack = await startFakeSlack();
  const config = loadConfig(
    {},
    {
      scenario: DEMO_SCENARIO,
      logLevel: 'silent',
      'slack.botToken': 'xoxb-bench-not-a-real-token',
      'slack.signingSecret': SECRET,
      'slack.slackApiUrl': slack.apiUrl,
      'models.enabled': true,
    },
  );
  const services = await createSlackServices(config, { modelClient: FakeBedrock.answering(), logger: pino({ level: 'silent' }) });
  const running = await startSlackApp(config, services, { host: '127.0.0.1', port: 0, timer: false, ...(dispatch ? { dispatch: (job) => dispatch(job) } : {}) });
  const env = await services.app.world();
  const d = env.defaults;
  const text = `api-gw ${d?.restApiId ?? 'a1b2c3d4e5'}${d?.stage ? ` ${d.stage}` : ''}`;
  let seq = 0;
  const send = async (): Promise<number> => {
    const body = commandBody({ command: '/troubleshoot', text, user_id: 'U0BENCH', channel_id: 'C0BENCH', trigger_id: `t${++seq}`, response_url: slack.responseUrl(`b${seq}`) });
    const signed = signedRequest(SECRET, body);
    const started = performance.now();
    const res = await fetch(`http://127.0.0.1:${running.port}/slack/events`, { method: 'POST', headers: signed.headers, body });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`command answered ${res.status}`);
    return performance.now() - started;
  };
  return {
    slack,
    send,
    async close() {
      await running.stop();
      await services.app.close();
      await slack.close();
    },
  };
}

/**
 * Slack allows 3 s for the ack. Measured through Bolt's HTTP receiver on loopback with signed
 * requests: 200 `/troubleshoot api-gw` commands, 20 in flight at a time. The jobs are handed off
 * (as the Lambda front does) so the figure is the ack path itself: signature, parsing, validation
 * (the delivery claim is written beside the ack, not before it). Then the time from a command to
 * the coverage table in the thread, with the real in-process work. Closing waits for every
 * listener and job still running, so the process exits by itself.
 */
export async function benchSlack(): Promise<string[]> {
  const lines: string[] = [];
  const handedOff: SlackJob[] = [];
  const front = await setup(async (job) => {
    handedOff.push(job);
  });
  try {
    // Warm-up, not counted: auth.test, the ledger opening, and one round at the concurrency measured (JIT).
    await front.send();
    await Promise.all(Array.from({ length: CONCURRENCY }, () => front.send()));
    const latencies: number[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < COMMANDS) {
          next++;
          latencies.push(await front.send());
        }
      }),
    );
    latencies.sort((a, b) => a - b);
    lines.push(
      `slack ack: ${COMMANDS} /troubleshoot commands, ${CONCURRENCY} at a time, HTTP receiver on loopback: p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms, max ${latencies.at(-1)?.toFixed(1)} ms (Slack allows 3000 ms; ${handedOff.length} jobs handed off)`,
    );
  } finally {
    await front.close();
  }

  const full = await setup();
  try {
    const times: number[] = [];
    for (let run = 0; run < TABLE_RUNS; run++) {
      const coverageBefore = full.slack.callsTo('chat.postMessage').filter((c) => String(c.args.text).startsWith('Coverage:')).length;
      const started = performance.now();
      await full.send();
      await full.slack.waitFor(() => full.slack.callsTo('chat.postMessage').filter((c) => String(c.args.text).startsWith('Coverage:')).length > coverageBefore, 60_000);
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    lines.push(
      `slack command → coverage table in thread, scenario ${DEMO_SCENARIO}, ${TABLE_RUNS} runs: median ${percentile(times, 50).toFixed(0)} ms, max ${times.at(-1)?.toFixed(0)} ms`,
    );
    // Let the last run finish its thread before the fake Slack goes away.
    await full.slack.waitFor(() => full.slack.callsTo('chat.postMessage').filter((c) => String(c.args.text).includes('Analyze (')).length >= TABLE_RUNS, 60_000);
  } finally {
    await full.close();
  }
  return lines;
}
