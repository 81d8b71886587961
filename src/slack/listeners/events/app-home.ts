import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import { ALARM_HISTORY_KEY } from '../../../core/alarm.js';
import { homeView, type HomeData } from '../../blocks/home.js';
import { permalinks } from '../../jobs/parent-view.js';
import type { SlackServices } from '../../services.js';

type HomeArgs = AllMiddlewareArgs & SlackEventMiddlewareArgs<'app_home_opened'>;

/** What the Home tab shows for one person, read through the app (quota, history, the week). */
export async function homeData(services: SlackServices, user: string, linkOf: (channel: string, ts: string) => Promise<string | undefined>): Promise<HomeData> {
  const { app, config } = services;
  const [quota, recent, byAlarms, week] = await Promise.all([
    app.usage(user),
    app.history(user, 5),
    app.history(ALARM_HISTORY_KEY, 3),
    app.weeklySummary(services.now(), config.slack.summary.timezone),
  ]);
  const entryOf = async (entry: (typeof recent)[number]): Promise<HomeData['recent'][number]> => {
    const link = entry.channel && entry.threadTs ? await linkOf(entry.channel, entry.threadTs) : undefined;
    return {
      investigationId: entry.investigationId,
      at: new Date(entry.at),
      target: entry.target,
      verdict: entry.verdict,
      ...(entry.rootCause ? { rootCause: entry.rootCause } : {}),
      ...(entry.confidence ? { confidence: entry.confidence } : {}),
      ...(link ? { link } : {}),
    };
  };
  return {
    user,
    quota: { ...quota, resetsAt: new Date(quota.resetsAt) },
    ...(byAlarms.length ? { byAlarms: await Promise.all(byAlarms.map(entryOf)) } : {}),
    recent: await Promise.all(recent.map(entryOf)),
    ...(week.calls > 0 || week.costUsd > 0
      ? { week: { week: week.week, costUsd: week.costUsd, calls: week.calls, perUser: week.perUser, daily: week.daily, ...(week.monthlyBudgetUsd ? { monthlyBudgetUsd: week.monthlyBudgetUsd } : {}) } }
      : {}),
    limits: {
      dailyTokens: config.quota.perUser[user] ?? config.quota.dailyTokens,
      approvers: config.slack.approvers,
      ...(config.slack.approverGroup ? { approverGroup: config.slack.approverGroup } : {}),
      // Display names ("Claude Haiku 4.5"), as the Analyze button says them.
      models: [...new Set((['small', 'large'] as const).map((size) => app.estimate({ text: '' }, size).model))],
      budget: config.bundle.budget,
      modelEnabled: app.modelEnabled,
    },
  };
}

/**
 * `app_home_opened`: the Home tab is published for this person each time they open it (Slack
 * keeps no shared Home view). Events are acked by Bolt before this runs.
 */
export function appHomeOpened(services: SlackServices) {
  return async function onAppHomeOpened({ event, client }: HomeArgs): Promise<void> {
    if (event.tab !== 'home') return;
    try {
      const data = await homeData(services, event.user, async (channel, ts) => (await permalinks(client, channel, [{ label: 'thread', ts }]))[0]?.url);
      await client.views.publish({ user_id: event.user, view: homeView(data) });
    } catch (err) {
      services.logger.error({ err, user: event.user }, 'could not publish the App Home');
    }
  };
}
