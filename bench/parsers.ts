import { performance } from 'node:perf_hooks';
import { pino } from 'pino';
import { parseCommandText, parseTroubleshootArgs } from '../src/app/grammar.js';
import { loadConfig } from '../src/config.js';
import { extractTarget, messageText } from '../src/core/extract-target.js';
import { startSlackApp } from '../src/slack/app.js';
import { createSlackServices } from '../src/slack/services-factory.js';
import { startFakeSlack } from '../test/support/fake-slack.js';
import { commandBody, interactionBody, signedRequest } from '../test/support/sign.js';

const MB = 1 << 20;
const RUNS = 7;
const SECRET = 'bench-signing-secret-not-real';

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

function timed(run: () => unknown): { median: number; max: number } {
  run(); // warm-up: JIT
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    run();
    times.push(performance.now() - t0);
  }
  return { median: median(times), max: Math.max(...times) };
}

/** Messages of about a megabyte that made the old parsers quadratic (issue 27), and an ordinary alarm padded to size. */
const MESSAGES: Record<string, string> = {
  'unclosed Slack links': '<https://'.repeat(MB / 9),
  'one long alphanumeric run': 'a1'.repeat(MB / 2),
  'dimension names without values': 'ApiId = '.repeat(MB / 8),
  'e-mail dates without times': 'Tuesday 5 May '.repeat(MB / 14),
  'id-shaped words': 'abc1234567 '.repeat(MB / 11),
  'distinct URLs': Array.from({ length: MB / 32 }, (_, i) => `https://h${i}.example.com/x `).join(''),
  'an alarm padded with text': `State Change Time: 2024-05-01T11:47:12.000+0000 Dimensions: ApiName = shop-api ${'lorem ipsum '.repeat(MB / 12)}`,
};

const WORDS: Record<string, string> = {
  'quoted words': `api-gw a1b2c3d4e5 ${'"a '.repeat(MB / 3)}`,
  'curly quotes': `api-gw a1b2c3d4e5 ${'\u201c'.repeat(MB)}`,
  'repeated options': `api-gw a1b2c3d4e5 ${'--stage x '.repeat(MB / 10)}`,
  'phone dashes': `api-gw a1b2c3d4e5 ${'\u2014'.repeat(MB)}`,
};

/**
 * Issue 27: the shortcut's message parser and the command parser, linear and capped: a megabyte
 * each in under 100 ms. Then the shortcut's ack through Bolt's HTTP receiver with a message at
 * Slack's own size limits (about 250,000 characters): under 1 s, while another user's command
 * is acked alongside it.
 */
export async function benchParsers(): Promise<string[]> {
  const lines = ['parsers — 1 MB inputs (median and worst of 7 runs; timings depend on the machine’s load)'];
  for (const [name, text] of Object.entries(MESSAGES)) {
    const t = timed(() => extractTarget(messageText({ text })));
    lines.push(`  shortcut message, ${name}: median ${t.median.toFixed(1)} ms, max ${t.max.toFixed(1)} ms`);
  }
  for (const [name, text] of Object.entries(WORDS)) {
    const slack = timed(() => parseCommandText(text));
    const words = text.split(' ');
    const cli = timed(() => parseTroubleshootArgs(words.slice(1)));
    lines.push(`  command words, ${name}: Slack text median ${slack.median.toFixed(1)} ms, CLI words median ${cli.median.toFixed(1)} ms (max ${Math.max(slack.max, cli.max).toFixed(1)} ms)`);
  }
  lines.push(...(await shortcutAck()));
  return lines;
}

async function shortcutAck(): Promise<string[]> {
  const slack = await startFakeSlack();
  const config = loadConfig({}, { scenario: 'long-night', logLevel: 'silent', 'slack.botToken': 'xoxb-bench-not-a-real-token', 'slack.signingSecret': SECRET, 'slack.slackApiUrl': slack.apiUrl });
  const services = await createSlackServices(config, { logger: pino({ level: 'silent' }) });
  const running = await startSlackApp(config, services, { host: '127.0.0.1', port: 0, timer: false, dispatch: async () => {} });
  const url = `http://127.0.0.1:${running.port}/slack/events`;
  const send = async (body: string) => {
    const signed = signedRequest(SECRET, body);
    const t0 = performance.now();
    const res = await fetch(url, { method: 'POST', headers: signed.headers, body });
    await res.arrayBuffer();
    return performance.now() - t0;
  };
  try {
    // Slack's limits: 40,000 characters of text, 50 blocks of 3,000, attachments: about 250,000 in all.
    const big = { type: 'message', ts: '1714564200.000100', text: `ApiId=a1b2c3d4e5 ${'x1y2z3 '.repeat(40_000 / 7)}`, attachments: Array.from({ length: 50 }, () => ({ text: '<https://'.repeat(3_000 / 9) })), blocks: Array.from({ length: 50 }, () => ({ type: 'section', text: { type: 'mrkdwn', text: 'a1'.repeat(1_500) } })) };
    const size = JSON.stringify(big).length;
    const acks: number[] = [];
    const others: number[] = [];
    for (let i = 0; i <= 5; i++) {
      const shortcut = interactionBody({ type: 'message_action', callback_id: 'firebreak_troubleshoot_this', trigger_id: `t-${i}`, action_ts: '1', message_ts: big.ts, response_url: slack.responseUrl(`s${i}`), user: { id: 'U0BENCH', username: 'bench', team_id: 'T0' }, team: { id: 'T0', domain: 'bench' }, channel: { id: 'C0BENCH', name: 'bench' }, message: big });
      const command = commandBody({ command: '/troubleshoot', text: 'help', user_id: 'U0OTHER', channel_id: 'C0BENCH', trigger_id: `c-${i}`, response_url: slack.responseUrl(`c${i}`) });
      const [ack, other] = await Promise.all([send(shortcut), send(command)]);
      // The first round warms up (auth.test, JIT).
      if (i === 0) continue;
      acks.push(ack);
      others.push(other);
    }
    // The listener goes on after the ack (opens the modal, reads the message, hands the reads to a job): let it finish.
    await slack.waitFor(() => slack.callsTo('views.open').length >= acks.length + 1, 120_000);
    return [`  shortcut at Slack's size limits (${size.toLocaleString('en-US')} characters of message): ack median ${median(acks).toFixed(0)} ms, max ${Math.max(...acks).toFixed(0)} ms; another user's command alongside: max ${Math.max(...others).toFixed(0)} ms`];
  } finally {
    await running.stop();
    await services.app.close();
    await slack.close();
  }
}
