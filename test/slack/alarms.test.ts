import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { ALARM_HISTORY_KEY } from '../../src/core/alarm.js';
import { decisiveFinding, verdictOf } from '../../src/core/verdict.js';
import { homeView } from '../../src/slack/blocks/home.js';
import { ACTION } from '../../src/slack/blocks/ids.js';
import { summaryMessage } from '../../src/slack/blocks/summary.js';
import { homeData } from '../../src/slack/listeners/events/app-home.js';
import { handleWorkerEvent } from '../../src/slack/receivers/worker.js';
import { createSlackServices } from '../../src/slack/services-factory.js';
import type { SlackServices } from '../../src/slack/services.js';
import type { RecordedCall } from '../support/fake-slack.js';
import { apiAlarmEvent, apiAlarmSns, AWS_EXAMPLE_EVENT, SCENARIO_ACCOUNT } from '../fixtures/alarms.js';
import { BYSTANDER, closeAndCheck, findActionMessage, startHarness, textOf, type Harness } from './harness.js';

/**
 * Investigations CloudWatch alarms start, through the worker's entry point (what the EventBridge
 * rule and the SNS subscription invoke), against the fake Slack Web API: one investigation per
 * episode in the routed channel, re-fires and the recovery in its parent, nothing for an alarm no
 * API or route claims (logged), and the storm cap.
 */
const SHOP = 'C0SHOPAPI';
const ROUTES = [{ alarmNamePrefix: 'apigw-', channel: SHOP }];
const AT = new Date('2024-05-01T11:40:00Z');
const minutes = (n: number) => new Date(AT.getTime() + n * 60_000);
const shopAlarm = (alarmName: string, at: Date, state: 'ALARM' | 'OK' = 'ALARM') => apiAlarmEvent({ alarmName, dimensions: { ApiName: 'shop-api', Stage: 'prod' }, at, state });

interface Bot {
  h: Harness;
  services: SlackServices;
  logs: Record<string, unknown>[];
  fire(event: unknown): Promise<{ ran: boolean }>;
  /** Top-level messages posted in a channel (parents and notices). */
  parents(channel?: string): RecordedCall[];
}

async function startBot(overrides: Record<string, unknown> = {}): Promise<Bot> {
  const h = await startHarness({ 'alarms.routes': ROUTES, ...overrides });
  const logs: Record<string, unknown>[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void logs.push(JSON.parse(line) as Record<string, unknown>) });
  const services = await createSlackServices(h.config, { app: h.app, logger });
  const client = h.running.app.client;
  return {
    h,
    services,
    logs,
    fire: (event) => handleWorkerEvent(event, services, client),
    parents: (channel) => h.slack.callsTo('chat.postMessage').filter((c) => !c.args.thread_ts && (!channel || c.args.channel === channel)),
  };
}

/** The parent as the channel sees it now: its last update, else the post. */
function latestParent(bot: Bot, parent: RecordedCall): string {
  const ts = String(parent.response?.ts);
  const updates = bot.h.slack.callsTo('chat.update').filter((u) => u.args.ts === ts);
  return textOf(updates.at(-1) ?? parent);
}

describe('investigations started by CloudWatch alarms', () => {
  let bot: Bot | undefined;
  afterEach(async () => {
    if (bot) await closeAndCheck(bot.h);
    bot = undefined;
  });

  it("posts one investigation into the routed channel for an ALARM event in AWS's documented shape, and nothing more when it is delivered again", async () => {
    bot = await startBot();
    const event = shopAlarm('apigw-shop-api-5xx', AT);
    expect(await bot.fire(event)).toEqual({ ran: true });

    const parents = bot.parents();
    expect(parents).toHaveLength(1);
    const parent = parents[0]!;
    expect(parent.args.channel).toBe(SHOP);
    expect(textOf(parent)).toContain('Started by alarm `apigw-shop-api-5xx`');
    // The whole thread, as for a typed command: progress, coverage, findings, the action message.
    const threadTs = String(parent.response?.ts);
    const thread = bot.h.slack.callsTo('chat.postMessage').filter((c) => c.args.thread_ts === threadTs);
    expect(thread.some((c) => textOf(c).includes('Coverage:'))).toBe(true);
    const action = findActionMessage(bot.h.slack);
    expect(action?.threadTs).toBe(threadTs);
    expect(action && textOf(action.call)).toContain(ACTION.analyze);
    // The parent carries the alarm (name, threshold, since when) and the verdict, as today.
    const shown = latestParent(bot, parent);
    expect(shown).toContain('5XXError Sum &gt; 50 (1 min)');
    expect(shown).toMatch(/in ALARM since <!date\^1714563600\^\{time\}/);
    expect(shown).toContain('Analyze still needs a person');
    expect(shown).not.toContain('<@alarm:');

    // Kept like a typed investigation: the alarm is the requester, the window ends at the state change.
    const investigationId = action!.investigationId;
    const found = await bot.h.app.lookup(investigationId);
    expect(found.status).toBe('found');
    const stored = found.status === 'found' ? found.investigation : undefined;
    expect(stored?.requester).toBe('alarm:apigw-shop-api-5xx');
    expect(stored?.trigger).toMatchObject({ alarmName: 'apigw-shop-api-5xx', since: AT.toISOString(), firings: 1, via: 'dimension ApiName' });
    expect(stored?.report.window.until).toBe(AT.toISOString());
    // The verdict as for a typed investigation: the rules' top finding (or "no known cause").
    const top = decisiveFinding(stored!.report.findings);
    const { kind } = verdictOf(stored!.report);
    expect(shown).toContain(top ? top.severity : kind === 'healthy' ? 'No problem found' : 'No known cause');
    expect((await bot.h.app.history(ALARM_HISTORY_KEY)).map((e) => e.investigationId)).toEqual([investigationId]);
    const week = await bot.h.app.weeklySummary(bot.h.app.now(), 'UTC');
    expect(week.alarms?.started).toBe(1);
    expect(textOf({ method: 'chat.postMessage', args: { ...summaryMessage(week) } })).toContain('1 investigation started by alarms, ');
    // Anyone's App Home lists what alarms started, with its verdict.
    const home = await homeData(bot.services, 'U0ANYONE', async () => undefined);
    expect(home.byAlarms?.map((e) => e.investigationId)).toEqual([investigationId]);
    expect(JSON.stringify(homeView(home).blocks)).toContain('Started by alarms');

    // EventBridge delivers at least once: the same event again posts nothing.
    const calls = bot.h.slack.calls.length;
    await bot.fire(event);
    expect(bot.h.slack.calls.length).toBe(calls);
  }, 60_000);

  it('updates the same parent for a re-fire within the quiet period and appends the recovery; a new episode after the quiet period gets its own', async () => {
    bot = await startBot({ 'alarms.quietMinutes': 30 });
    await bot.fire(shopAlarm('apigw-shop-api-5xx', AT));
    const parent = bot.parents()[0]!;

    // ALARM → INSUFFICIENT_DATA → ALARM five minutes later: the same episode fired again.
    await bot.fire(shopAlarm('apigw-shop-api-5xx', minutes(5)));
    expect(bot.parents()).toHaveLength(1);
    expect(latestParent(bot, parent)).toContain('Fired again at <!date^1714563900^{time}');
    expect(latestParent(bot, parent)).toContain('2 times in this episode');

    // OK at 12:02: "recovered at HH:MM (22 minutes)", in the same parent.
    await bot.fire(shopAlarm('apigw-shop-api-5xx', minutes(22), 'OK'));
    expect(latestParent(bot, parent)).toContain('Recovered at <!date^1714564920^{time}|2024-05-01T12:02:00.000Z> (22 minutes)');
    // The analysis path re-renders the parent from the stored investigation: the recovery is kept there too.
    const id = findActionMessage(bot.h.slack)!.investigationId;
    const stored = await bot.h.app.lookup(id);
    expect(stored.status === 'found' && stored.investigation.trigger?.recoveredAt).toBe(minutes(22).toISOString());

    // Back to ALARM within the quiet period (30 minutes): the same parent again, no new one.
    await bot.fire(shopAlarm('apigw-shop-api-5xx', minutes(40)));
    expect(bot.parents()).toHaveLength(1);
    expect(latestParent(bot, parent)).toContain('3 times in this episode');
    expect(latestParent(bot, parent)).not.toContain('Recovered at');

    // Recovered again, then quiet for longer than the quiet period: a new incident, a new parent.
    await bot.fire(shopAlarm('apigw-shop-api-5xx', minutes(45), 'OK'));
    await bot.fire(shopAlarm('apigw-shop-api-5xx', minutes(80)));
    expect(bot.parents()).toHaveLength(2);
    expect(textOf(bot.parents()[1]!)).toContain('Started by alarm `apigw-shop-api-5xx`');
  }, 90_000);

  it('reads the SNS notification of the same alarm the same way', async () => {
    bot = await startBot();
    await bot.fire(apiAlarmSns({ alarmName: 'apigw-shop-api-latency', dimensions: { ApiName: 'shop-api', Stage: 'prod' }, at: AT, metricName: 'Latency' }));
    expect(bot.parents(SHOP)).toHaveLength(1);
    expect(latestParent(bot, bot.parents()[0]!)).toContain('Latency Sum &gt; 5 (3 of 5 × 1 min)');
  }, 60_000);

  it('posts nothing for an alarm on an unknown API or that no route takes, and logs why', async () => {
    bot = await startBot({ 'alarms.routes': [...ROUTES, { api: 'shop-api', alarmNamePrefix: 'ec2-', channel: 'C0EC2ONLY' }] });
    // AWS's example as published: another account, which has no read role here.
    await bot.fire(AWS_EXAMPLE_EVENT);
    // The same EC2 alarm in the scenario's account: no API in its metric (and no such alarm to read).
    await bot.fire({ ...AWS_EXAMPLE_EVENT, account: SCENARIO_ACCOUNT, resources: [`arn:aws:cloudwatch:us-east-1:${SCENARIO_ACCOUNT}:alarm:apigw-ec2-cpu`], detail: { ...AWS_EXAMPLE_EVENT.detail, alarmName: 'apigw-ec2-cpu' } });
    // An API id that does not exist.
    await bot.fire(apiAlarmEvent({ alarmName: 'apigw-gone', dimensions: { ApiId: 'zzzzzzzzzz', Stage: 'prod' }, at: AT }));
    // A real API, but no route takes this alarm name.
    await bot.fire(apiAlarmEvent({ alarmName: 'billing-5xx', dimensions: { ApiName: 'shop-api', Stage: 'prod' }, at: AT }));
    // A route by API and prefix: the API matches, the prefix does not.
    await bot.fire(apiAlarmEvent({ alarmName: 'ec2x-shop', dimensions: { ApiName: 'shop-api' }, at: AT }));

    expect(bot.h.slack.callsTo('chat.postMessage')).toEqual([]);
    expect(bot.h.slack.callsTo('chat.update')).toEqual([]);
    const said = bot.logs.filter((l) => l.msg === 'alarm: nothing posted').map((l) => `${String(l.alarm)}: ${String(l.reason)}`);
    expect(said).toEqual([
      expect.stringMatching(/^ServerCpuTooHigh: the alarm is in account 123456789012, which has no read role/),
      expect.stringMatching(/^apigw-ec2-cpu: unknown API: alarm apigw-ec2-cpu names no API Gateway API, Lambda function or web ACL \(it watches AWS\/EC2 CPUUtilization InstanceId=i-12345678901234567\)/),
      expect.stringMatching(/^apigw-gone: unknown API: no API zzzzzzzzzz in us-east-1/),
      expect.stringMatching(/^billing-5xx: unrouted: no entry of alarms.routes takes alarm billing-5xx/),
      expect.stringMatching(/^ec2x-shop: unrouted/),
    ]);
  }, 60_000);

  it('holds the per-API hourly cap under a burst of 50 alarms, and says so in the channel once', async () => {
    // The default cap: 5 new investigations per API and clock hour.
    bot = await startBot();
    const burst = Array.from({ length: 50 }, (_, i) => shopAlarm(`apigw-storm-${String(i).padStart(2, '0')}`, new Date(AT.getTime() + i * 7_000)));
    const b = bot;
    await Promise.all(burst.map((event) => b.fire(event)));

    const parents = bot.parents(SHOP);
    const investigations = parents.filter((p) => textOf(p).includes('Started by alarm'));
    const notices = parents.filter((p) => textOf(p).includes('Alarm storm'));
    expect(investigations).toHaveLength(5);
    expect(notices).toHaveLength(1);
    // The one notice names the cap and, by its last update, all 45 alarms it skipped.
    const notice = latestParent(bot, notices[0]!);
    expect(notice).toContain('5 investigations started this hour');
    expect(notice).toContain('Not investigated (45)');
    expect(new Set(investigations.map((p) => /apigw-storm-\d\d/.exec(textOf(p))?.[0])).size).toBe(5);
    expect((await bot.h.app.weeklySummary(bot.h.app.now(), 'UTC')).alarms?.started).toBe(5);
  }, 180_000);

  it('lets anyone in the channel press Analyze on an alarm investigation, charged to them', async () => {
    bot = await startBot();
    await bot.fire(shopAlarm('apigw-shop-api-5xx', AT));
    const action = findActionMessage(bot.h.slack)!;
    await bot.h.click(ACTION.analyze, action.investigationId, BYSTANDER, { ts: action.ts, thread_ts: action.threadTs });
    await bot.h.slack.waitFor(() => bot!.h.slack.callsTo('chat.postMessage').find((c) => textOf(c).includes('Root cause') || textOf(c).toLowerCase().includes('root cause')), 30_000);
    const found = await bot.h.app.lookup(action.investigationId);
    expect(found.status === 'found' && found.investigation.approvedBy).toBe(BYSTANDER);
    expect((await bot.h.app.usage(BYSTANDER)).used).toBeGreaterThan(0);
  }, 60_000);
});
