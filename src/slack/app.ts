import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { App, HTTPReceiver, LogLevel } from '@slack/bolt';
import { redactText } from '../app/index.js';
import { loadConfig, type Config } from '../config.js';
import { boltLogger } from './bolt-logger.js';
import { clientOptions } from './client-options.js';
import { inProcessDispatch } from './jobs/run.js';
import type { Dispatch } from './jobs/types.js';
import { registerListeners } from './listeners/index.js';
import { refuseFutureRequests } from './receivers/timestamp.js';
import { createSlackServices } from './services-factory.js';
import type { SlackServices } from './services.js';
import { startSummaryTimer } from './summary/timer.js';

export class SlackConfigError extends Error {
  override name = 'SlackConfigError';
}


/**
 * The Bolt app: Socket Mode when an app token is configured (no public URL needed), else Bolt's
 * HTTP receiver. Thin on purpose: all behaviour is in the listeners and jobs.
 */
export function createSlackApp(config: Config, services: SlackServices, dispatch: Dispatch = inProcessDispatch(services)): App {
  const { botToken, signingSecret, appToken } = config.slack;
  if (!botToken) throw new SlackConfigError('SLACK_BOT_TOKEN is not set');
  // Bolt's own warnings go through the same JSON logger as everything else.
  const logger = boltLogger(services.logger);
  const app = appToken
    ? new App({ token: botToken, appToken, socketMode: true, clientOptions: clientOptions(config), logger, logLevel: LogLevel.WARN })
    : (() => {
        if (!signingSecret) throw new SlackConfigError('SLACK_SIGNING_SECRET is not set (needed in HTTP mode; or set SLACK_APP_TOKEN for Socket Mode)');
        const receiver = new HTTPReceiver({ signingSecret, logger, logLevel: LogLevel.WARN });
        refuseFutureRequests(receiver, (reason) => services.logger.warn({ reason }, 'refused a Slack request stamped in the future'));
        return new App({ token: botToken, receiver, clientOptions: clientOptions(config), logger, logLevel: LogLevel.WARN });
      })();
  registerListeners(app, services, dispatch);
  app.error(async (error) => {
    services.logger.error({ err: error }, 'unhandled Slack listener error');
  });
  return app;
}

export interface RunningSlackApp {
  app: App;
  /** HTTP mode: the port listened on (useful with port 0). */
  port?: number;
  stop(): Promise<void>;
}

/** How long `stop` waits for jobs still running in this process before it lets go of them. */
const DRAIN_MS = 60_000;

/** Starts the app and the weekly summary timer (when a summary channel is configured). */
export async function startSlackApp(config: Config, services: SlackServices, options: { host?: string; port?: number; timer?: boolean; dispatch?: Dispatch } = {}): Promise<RunningSlackApp> {
  // Listeners and jobs go on after their ack: `stop` waits for them, so none writes to a ledger or
  // posts to Slack after the process closed those (a shutdown, the end of a benchmark).
  const inFlight = new Set<Promise<void>>();
  const run = options.dispatch ?? inProcessDispatch(services);
  const dispatch: Dispatch = (job, client) => {
    const running = run(job, client).finally(() => inFlight.delete(running));
    inFlight.add(running);
    return running;
  };
  const app = createSlackApp(config, services, dispatch);
  // A listener goes on after its ack (the delivery claim, a job hand-off): tracked the same way.
  app.use(async ({ next }) => {
    const handled = next();
    inFlight.add(handled);
    try {
      await handled;
    } finally {
      inFlight.delete(handled);
    }
  });
  let port: number | undefined;
  if (config.slack.appToken) await app.start();
  else {
    const server = (await app.start({ port: options.port ?? config.slack.port, host: options.host ?? '0.0.0.0' })) as Server;
    port = (server.address() as AddressInfo).port;
  }
  const timer = options.timer === false ? undefined : startSummaryTimer(services, app.client);
  return {
    app,
    ...(port === undefined ? {} : { port }),
    async stop() {
      timer?.stop();
      await app.stop();
      const deadline = Date.now() + DRAIN_MS;
      while (inFlight.size > 0 && Date.now() < deadline) {
        await Promise.race([Promise.allSettled([...inFlight]), new Promise((resolve) => setTimeout(resolve, Math.max(0, deadline - Date.now())).unref())]);
      }
      if (inFlight.size > 0) services.logger.warn({ jobs: inFlight.size }, 'stopped with jobs still running');
    },
  };
}

async function main(): Promise<void> {
  const config = loadConfig();
  const services = await createSlackServices(config);
  const running = await startSlackApp(config, services);
  services.logger.info({ mode: config.slack.appToken ? 'socket' : 'http', port: running.port }, 'firebreak Slack app running');
  const shutdown = () => {
    void running
      .stop()
      .then(() => services.app.close())
      .finally(() => process.exit(0));
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err: unknown) => {
    console.error(redactText(err instanceof Error ? err.message : String(err)));
    process.exit(1);
  });
}
