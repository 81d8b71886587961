import type { Transport, TransportRequest } from '../aws/clients.js';
import type { AwsService } from '../aws/operations.js';
import { awsError, SandboxUnsupportedOperation } from './aws-error.js';
import { FaultInjector } from './faults.js';
import { recordedIndex, reviveTimes } from './recorded.js';
import { buildLogStores, type LogStore } from './log-store.js';
import { buildMetricStore, type MetricStore } from './metrics.js';
import type { Scenario, ScenarioAccount } from './scenario.js';
import { apigatewayHandlers } from './services/apigateway.js';
import { apigatewayv2Handlers } from './services/apigatewayv2.js';
import { cloudtrailHandlers } from './services/cloudtrail.js';
import { cloudwatchHandlers } from './services/cloudwatch.js';
import type { ServiceContext, ServiceHandlers } from './services/context.js';
import { ec2Handlers } from './services/ec2.js';
import { iamHandlers } from './services/iam.js';
import { lambdaHandlers } from './services/lambda.js';
import { logsHandlers } from './services/logs.js';
import { organizationsHandlers } from './services/organizations.js';
import { stsHandlers } from './services/sts.js';
import { wafv2Handlers } from './services/wafv2.js';
import { wafv2AssociationHandlers } from './services/wafv2-associations.js';

/** Every service firebreak reads, answered from a scenario; a test checks READ_OPERATIONS is covered. */
export const SANDBOX_HANDLERS: Readonly<Record<AwsService, ServiceHandlers>> = {
  apigateway: apigatewayHandlers,
  apigatewayv2: apigatewayv2Handlers,
  logs: logsHandlers,
  cloudwatch: cloudwatchHandlers,
  cloudtrail: cloudtrailHandlers,
  ec2: ec2Handlers,
  lambda: lambdaHandlers,
  wafv2: { ...wafv2Handlers, ...wafv2AssociationHandlers },
  sts: stsHandlers,
  organizations: organizationsHandlers,
  iam: iamHandlers,
};

export interface SandboxTransportOptions {
  /** Replaces `scenario.latencyMs` for every call (benchmarks use 100 ms). */
  latencyMs?: number;
}

function abortError(signal: AbortSignal): Error {
  const err = new Error(`aborted: ${String(signal.reason ?? 'deadline exceeded')}`);
  err.name = 'AbortError';
  return err;
}

/** Waits, but gives up the moment the caller's deadline fires, so no timer outlives a source. */
function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  if (signal?.aborted) return Promise.reject(abortError(signal));
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError(signal as AbortSignal));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Answers SDK commands from a scenario, inside the SDK's retry loop (see ClientFactory), so
 * faults, retries and pagination behave as they do against AWS. Resources live in the scenario's
 * region; a call to another region sees an empty account, as it would in AWS.
 */
export function createSandboxTransport(scenario: Scenario, opts: SandboxTransportOptions = {}): Transport {
  const faults = new FaultInjector(scenario.faults);
  const recordedAnswer = recordedIndex(scenario.recorded?.answers ?? [], (entry) => entry.operation);
  const baseLatency = opts.latencyMs ?? scenario.latencyMs ?? 0;
  let logStores: Map<string, LogStore> | undefined;
  const logsOf = (accountId: string, region: string): LogStore => {
    if (region !== scenario.region) return new Map();
    logStores ??= buildLogStores(scenario);
    return logStores.get(accountId) ?? new Map();
  };

  let metricStore: MetricStore | undefined;
  const metrics = (): MetricStore => (metricStore ??= buildMetricStore(scenario));

  const accountFor = (request: TransportRequest): ScenarioAccount => {
    const account = scenario.accounts.find((a) => a.accountId === request.accountId);
    if (!account) {
      throw awsError('ResourceNotFoundException', `sandbox scenario "${scenario.name}" has no account ${request.accountId}`, 404);
    }
    return request.region === scenario.region ? account : { accountId: account.accountId };
  };

  return async (request) => {
    const handler = SANDBOX_HANDLERS[request.service]?.[request.operation];
    // A recording's answer to exactly this request comes back as it was recorded.
    const recorded = recordedAnswer(request.accountId, request.input, `${request.service}:${request.operation}`);
    if (!handler && !recorded) throw new SandboxUnsupportedOperation(request.service, request.operation);
    const account = accountFor(request);
    const decision = faults.decide({ service: request.service, operation: request.operation, accountId: request.accountId, input: request.input });
    await sleep(baseLatency + decision.latencyMs, request.signal);
    if (decision.error) throw decision.error;
    if (recorded) return reviveTimes(structuredClone(recorded.answer));
    if (!handler) throw new SandboxUnsupportedOperation(request.service, request.operation);
    const ctx: ServiceContext = {
      scenario,
      account,
      accountId: request.accountId,
      region: request.region,
      logs: () => logsOf(request.accountId, request.region),
      metrics,
    };
    return handler(request.input, ctx);
  };
}
