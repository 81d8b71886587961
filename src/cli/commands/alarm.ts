import { readFile, stat } from 'node:fs/promises';
import { createFirebreak, EnvironmentError, redactDeep, redactText, ScenarioInputError, TargetResolutionError, type Firebreak } from '../../app/index.js';
import { alarmLines, utcClock, type AlarmTrigger } from '../../core/alarm.js';
import { formatDuration } from '../../core/input.js';
import type { Report } from '../../core/report.js';
import { verdictLine } from '../../core/verdict.js';
import { parseCommandArgs, UsageError } from '../args.js';
import { EXIT, type CliIo } from '../io.js';
import { createProgressReporter } from '../progress.js';
import { renderReport } from '../render.js';

export const ALARM_USAGE = `Usage: firebreak alarm <event.json>... [options]
       firebreak alarm --fire <alarm name> [--state ALARM|OK] [--at T] --scenario <name|path>

Replays CloudWatch alarm state changes through the path the bot runs when an alarm fires: the
API is found from the alarm (its ApiId/ApiName/Stage dimensions, a Lambda function behind an
API, a WAF web ACL, or alarms.mappings), the routing table picks the channel, the episode and the
storm cap decide, and the investigation runs over the window ending at the state change, rules
only (no tokens). Prints what the channel would get, and the troubleshoot command that gives the
same verdict. Several files are replayed in order, sharing one episode ledger (so a second ALARM
is a re-fire and an OK a recovery).

An event file is an EventBridge "CloudWatch Alarm State Change" event, an SNS alarm notification
(bare, as an HTTP subscription body, or Lambda's Records) or a DescribeAlarms answer; - reads stdin.

Options:
  --scenario N|PATH  answer AWS reads from a sandbox scenario (see: firebreak scenarios)
  --fire NAME        replay this alarm of the scenario (or account), read with DescribeAlarms
  --state S          with --fire: ALARM (default), OK, or a sequence such as ALARM,ALARM,OK
  --at T             with --fire: when the state changes, ISO 8601 (default: the alarm's own)
  --print-event      with --fire: print the event and stop (save it, edit it, replay it)
  --channel C        route every alarm to this channel id (default: alarms.routes)
  --profile P        AWS shared-config profile
  --json             print one JSON object per state change: outcome, channel, trigger, report

Example: firebreak alarm --fire apigw-shop-api-traffic-drop --scenario long-night`;

const OPTIONS = {
  scenario: { type: 'string' },
  fire: { type: 'string' },
  state: { type: 'string' },
  at: { type: 'string' },
  'print-event': { type: 'boolean' },
  channel: { type: 'string' },
  profile: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** EventBridge events and SNS messages are at most 256 KB; a DescribeAlarms answer is smaller. */
const MAX_EVENT_BYTES = 1024 * 1024;
/** Where the CLI routes alarms when no routing table is configured: the bot itself would post nothing. */
const STAND_IN_CHANNEL = 'C0ALARMS';

async function readEvent(path: string): Promise<unknown> {
  let text: string;
  if (path === '-') {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    text = Buffer.concat(chunks).toString('utf8');
  } else {
    const size = await stat(path).then((s) => s.size, (err: NodeJS.ErrnoException) => {
      throw new UsageError(`${path}: cannot read it (${err.code ?? err.message})`);
    });
    if (size > MAX_EVENT_BYTES) throw new UsageError(`${path}: ${Math.round(size / 1024)} KB is not an alarm event (they are at most 256 KB)`);
    text = await readFile(path, 'utf8');
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new UsageError(`${path}: not JSON (${(err as Error).message})`);
  }
}

const TERMINAL = { time: utcClock, code: (text: string) => text };

function sameAs(report: Report, scenario: string | undefined, sinceMs: number): string {
  const { target } = report;
  const words = ['firebreak troubleshoot api-gw', target.restApiId, ...(target.stage ? [target.stage] : []), `--since ${formatDuration(sinceMs)}`, `--until ${report.window.until}`];
  if (target.region) words.push(`--region ${target.region}`);
  if (target.account) words.push(`--account ${target.account}`);
  if (scenario) words.push(`--scenario ${scenario}`);
  return words.join(' ');
}

function triggerText(trigger: AlarmTrigger): string[] {
  return [...alarmLines(trigger, TERMINAL), `API found by: ${trigger.via}`, ...(trigger.route ? [`Route: ${trigger.route}`] : [])];
}

/** One state change's outcome, as the terminal shows it and as `--json` gives it. */
async function replay(app: Firebreak, input: unknown, source: string, io: CliIo, flags: { json?: boolean; scenario?: string }): Promise<{ lines: string[]; records: Record<string, unknown>[]; failed: boolean }> {
  const received = await app.alarms.receive(input);
  if (!received.ok) throw new UsageError(`${source}: ${received.error}`);
  const lines: string[] = [];
  const records: Record<string, unknown>[] = [];
  let failed = false;
  for (const outcome of received.outcomes) {
    switch (outcome.kind) {
      case 'ignored':
        lines.push(`${source}: ${outcome.alarmName} ${outcome.state}: nothing is posted (${outcome.reason})`);
        records.push({ source, alarm: outcome.alarmName, state: outcome.state, outcome: 'ignored', reason: outcome.reason });
        break;
      case 'capped': {
        const text = `${source}: ${outcome.alarmName} ALARM: not investigated: the storm cap (${outcome.cap} investigations per API per hour) is spent; the channel's notice lists ${outcome.notice.skipped.length} skipped`;
        lines.push(text);
        records.push({ source, alarm: outcome.alarmName, state: 'ALARM', outcome: 'capped', channel: outcome.episode.channel, skipped: outcome.notice.skipped });
        break;
      }
      case 'refire':
      case 'recovered':
        lines.push(`${source}: ${outcome.trigger.alarmName} ${outcome.kind === 'refire' ? 'ALARM' : 'OK'}: updates the parent of investigation ${outcome.episode.investigationId} in ${outcome.episode.channel}:`, ...triggerText(outcome.trigger).map((l) => `  ${l}`));
        records.push({ source, alarm: outcome.trigger.alarmName, state: outcome.kind === 'refire' ? 'ALARM' : 'OK', outcome: outcome.kind, channel: outcome.episode.channel, investigationId: outcome.episode.investigationId, trigger: outcome.trigger });
        break;
      case 'investigate': {
        const progress = flags.json ? undefined : createProgressReporter(io.stderr);
        let investigation;
        try {
          investigation = await app.troubleshoot(outcome.plan, progress ? { onProgress: progress.onProgress } : {});
        } finally {
          progress?.done();
        }
        const { report } = investigation;
        const verdict = verdictLine(report);
        failed ||= report.coverage.every((row) => row.status === 'error');
        lines.push(
          `${source}: ${outcome.trigger.alarmName} ALARM: a new investigation (${outcome.episode.investigationId}) in channel ${outcome.episode.channel}:`,
          ...triggerText(outcome.trigger).map((l) => `  ${l}`),
          `  Same as: ${sameAs(report, flags.scenario, app.config.alarms.since)}`,
          '',
          renderReport(report, io.style),
          '',
          `Verdict: ${verdict}`,
        );
        records.push({ source, alarm: outcome.trigger.alarmName, state: 'ALARM', outcome: 'investigate', channel: outcome.episode.channel, investigationId: outcome.episode.investigationId, trigger: outcome.trigger, verdict, report });
        break;
      }
    }
  }
  return { lines, records, failed };
}

export async function alarmCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, OPTIONS, 'firebreak alarm event.json --scenario long-night');
  if (values.help) {
    io.out(ALARM_USAGE);
    return EXIT.ok;
  }
  if (values.fire === undefined && positionals.length === 0) throw new UsageError('give an event file (or - for stdin), or --fire <alarm name>; see firebreak alarm --help');
  if (values.fire !== undefined && positionals.length > 0) throw new UsageError('give event files or --fire, not both');
  if (values.fire === undefined && (values.state || values.at || values['print-event'])) throw new UsageError('--state, --at and --print-event go with --fire');
  const states = (values.state ?? 'ALARM').toUpperCase().split(',').map((s) => s.trim());
  if (states.length > 20 || states.some((s) => s !== 'ALARM' && s !== 'OK')) throw new UsageError(`--state: expected ALARM or OK, or a sequence such as ALARM,ALARM,OK; got "${values.state}"`);
  const at = values.at === undefined ? undefined : new Date(values.at);
  if (at && (!/^\d{4}-\d{2}-\d{2}T/.test(values.at ?? '') || Number.isNaN(at.getTime()))) throw new UsageError(`--at: expected an ISO 8601 time such as 2024-05-01T11:58:00Z, got "${values.at}"`);
  if (at && states.length > 1) throw new UsageError('--at goes with one --state; a sequence moves the clock itself');
  if (values.channel !== undefined && !/^[CG][A-Z0-9]{6,}$/.test(values.channel)) throw new UsageError(`--channel: expected a Slack channel id such as C0123456789, got "${values.channel}"`);

  // Bad files are bad input: said before anything else is started.
  const files: { source: string; input: unknown }[] = [];
  for (const path of positionals) files.push({ source: path, input: await readEvent(path) });
  const configured = io.config.alarms.routes;
  const routes = values.channel ? [{ channel: values.channel }] : configured.length ? configured : [{ channel: STAND_IN_CHANNEL }];
  let standInNote = !values.channel && configured.length === 0 && !values.json;
  const app = await createFirebreak(
    { ...io.config, alarms: { ...io.config.alarms, routes } },
    { world: { ...(values.scenario ? { scenario: values.scenario } : {}), ...(values.profile ? { profile: values.profile } : {}) } },
  );
  try {
    const fire = values.fire;
    if (fire !== undefined && values['print-event']) {
      // Printed, not replayed: each event of a sequence is timed as if the ones before it happened.
      const events = [];
      for (const state of states) events.push(await app.alarms.fireEvent(fire, state as 'ALARM' | 'OK', at));
      // The alarm's own text (description, reason, tags) is the account's: redacted like any output.
      io.out(JSON.stringify(redactDeep(events.length === 1 ? events[0] : events), null, 2));
      return EXIT.ok;
    }
    // Fired events are made one at a time, each timed after what the episode has seen so far.
    const inputs: { source: string; input: () => Promise<unknown> }[] =
      fire !== undefined
        ? states.map((state) => ({ source: redactText(`--fire ${fire} (${state})`), input: () => app.alarms.fireEvent(fire, state as 'ALARM' | 'OK', at) }))
        : files.map((file) => ({ source: file.source, input: async () => file.input }));
    const records: Record<string, unknown>[] = [];
    let failed = false;
    for (const { source, input } of inputs) {
      const result = await replay(app, await input(), source, io, { ...(values.json ? { json: true } : {}), ...(values.scenario ? { scenario: values.scenario } : {}) });
      if (standInNote) {
        io.err(`firebreak: no alarms.routes configured (FIREBREAK_ALARM_ROUTES): the bot would post nothing; shown as a route to every alarm (${STAND_IN_CHANNEL}) would get it`);
        standInNote = false;
      }
      failed ||= result.failed;
      if (values.json) records.push(...result.records);
      else for (const line of result.lines) io.out(line);
    }
    if (values.json) io.out(JSON.stringify(records, null, 2));
    return failed ? EXIT.failed : EXIT.ok;
  } catch (err) {
    if (err instanceof ScenarioInputError || err instanceof TargetResolutionError) throw new UsageError(err.message);
    if (err instanceof EnvironmentError) {
      io.err(`firebreak: ${redactText(err.message)}`);
      return EXIT.failed;
    }
    throw err;
  } finally {
    await app.close();
  }
}
