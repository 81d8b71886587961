import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { App, AwsLambdaReceiver, LogLevel } from '@slack/bolt';
import type { Config } from '../../config.js';
import { boltLogger } from '../bolt-logger.js';
import { clientOptions } from '../client-options.js';
import type { Dispatch, SlackJob } from '../jobs/types.js';
import { registerListeners } from '../listeners/index.js';
import type { SlackServices } from '../services.js';
import { endEvent, METRIC, startEvent, type Powertools } from './powertools.js';
import { cachedUntilRejected, lambdaServices, powertools } from './shared.js';
import { refuseFutureEvents } from './timestamp.js';

/** Hands a job to the worker. Injectable: tests record the jobs instead of calling Lambda. */
export type WorkerInvoker = (job: SlackJob) => Promise<void>;

/**
 * `lambda:InvokeFunction` with InvocationType Event: returns as soon as Lambda has queued the
 * event, so the front answers Slack within its 3 seconds. Delivery is at least once; the worker's
 * job marker makes a retry harmless.
 */
export function lambdaWorkerInvoker(functionName: string, client: LambdaClient = new LambdaClient({})): WorkerInvoker {
  return async (job) => {
    const result = await client.send(
      new InvokeCommand({ FunctionName: functionName, InvocationType: 'Event', Payload: new TextEncoder().encode(JSON.stringify(job)) }),
    );
    if (result.StatusCode !== 202) throw new Error(`worker invoke returned status ${result.StatusCode}`);
  };
}

export type LambdaHandler = ReturnType<AwsLambdaReceiver['toHandler']>;

/**
 * The front function: Bolt's AwsLambdaReceiver verifies the signature, the listeners validate and
 * ack, and every slow step goes to the worker. On Lambda nothing may run after the response is
 * returned (the container freezes), which is why the work cannot simply continue after `ack()`.
 */
export function createLambdaFront(config: Config, services: SlackServices, invoke: WorkerInvoker): LambdaHandler {
  const { botToken, signingSecret } = config.slack;
  if (!botToken || !signingSecret) throw new Error('SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET must be set');
  // Bolt's logger routed into the services' logger (Powertools on Lambda): one JSON stream.
  const logger = boltLogger(services.logger);
  const receiver = new AwsLambdaReceiver({ signingSecret, logger, logLevel: LogLevel.WARN });
  const app = new App({ token: botToken, receiver, clientOptions: clientOptions(config), logger, logLevel: LogLevel.WARN });
  const dispatch: Dispatch = (job) => invoke(job);
  registerListeners(app, services, dispatch);
  return refuseFutureEvents(receiver.toHandler(), (reason) => services.logger.warn({ reason }, 'refused a Slack request stamped in the future')) as LambdaHandler;
}

/** Built on the first event; a failed build is retried by the next event (see cachedUntilRejected). */
const front = cachedUntilRejected(async () => {
  const { config, services } = await lambdaServices();
  const worker = process.env.FIREBREAK_WORKER_FUNCTION;
  if (!worker) throw new Error('FIREBREAK_WORKER_FUNCTION is not set');
  return createLambdaFront(config, services, lambdaWorkerInvoker(worker));
});

/**
 * The front with Powertools around each request: the Lambda context on every log line, and the
 * ack latency (request in → response out, what Slack waits for) as an EMF metric the stack's
 * p99 alarm reads.
 */
export function instrumentedFront(build: () => Promise<LambdaHandler>, tools: Powertools): LambdaHandler {
  return async (event, context) => {
    const started = performance.now();
    startEvent(tools, context);
    try {
      return await (await build())(event, context);
    } finally {
      tools.metrics.addMetric(METRIC.ackLatency, MetricUnit.Milliseconds, Math.round(performance.now() - started));
      endEvent(tools);
    }
  };
}

/** The deployed entry point; FIREBREAK_WORKER_FUNCTION names the worker function. */
export const handler: LambdaHandler = async (event, context) => instrumentedFront(front, powertools())(event, context);
