import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { ModelClient } from '../app/index.js';
import { startSlackApp } from '../slack/app.js';
import { createSlackServices } from '../slack/services-factory.js';
import { postWeeklySummary } from '../slack/summary/post.js';
import { runAlarmNotification, type AlarmRunSummary } from '../slack/jobs/alarm.js';

/** One running bot, as production runs it: Bolt's HTTP receiver and the same listeners and jobs. */
export interface PreviewBot {
  /** Where the page's signed requests go: `http://127.0.0.1:<port>/slack/events`. */
  eventsUrl: string;
  /** What EventBridge Scheduler does once a week in production. */
  postWeeklySummary(channel: string): Promise<'posted' | 'already-posted'>;
  /** What the EventBridge rule delivers to the worker when one of the scenario's alarms changes state. */
  fireAlarm(alarmName: string, state: 'ALARM' | 'OK'): Promise<AlarmRunSummary>;
  stop(): Promise<void>;
}

/**
 * The one place the preview builds the bot, so a change in how the app is assembled is made here
 * only. `modelClient` stands in for Bedrock when no model is configured.
 */
export async function startBot(config: Config, options: { logger: Logger; modelClient?: ModelClient }): Promise<PreviewBot> {
  const services = await createSlackServices(config, { logger: options.logger, ...(options.modelClient ? { modelClient: options.modelClient } : {}) });
  const running = await startSlackApp(config, services, { host: '127.0.0.1', port: 0, timer: false });
  return {
    eventsUrl: `http://127.0.0.1:${running.port}/slack/events`,
    postWeeklySummary: (channel) => postWeeklySummary(services, running.app.client, channel),
    fireAlarm: async (alarmName, state) => runAlarmNotification(await services.app.alarms.fireEvent(alarmName, state), services, running.app.client),
    async stop() {
      await running.stop();
      await services.app.close();
    },
  };
}
