import { compileAccessLogFormat, requestTime } from './access-log.js';
import { createRandom, type Random } from './prng.js';
import type { Scenario, ScenarioAccount, ScenarioRestApi, TrafficKind, TrafficSpec } from './scenario.js';
import { linesFor, type RequestFacts } from './traffic-lines.js';

/**
 * Expands `traffic[]` into the log lines AWS would have written: execution logs (when the stage
 * logs at INFO or ERROR and the account has its CloudWatch role), access logs (in the stage's own
 * format), and Lambda logs for the integrations. Seeded, so the same scenario always gives the
 * same lines; built with plain string work, so 100k+ lines take well under a second.
 */
export interface GeneratedEvent {
  timestamp: number;
  message: string;
  logStreamName: string;
}

export interface GeneratedBatch {
  accountId: string;
  logGroupName: string;
  events: GeneratedEvent[];
}

const DEFAULT_WINDOW_MS = 2 * 3600_000;
const STREAMS_PER_GROUP = 4;

class BatchSink {
  private readonly batches = new Map<string, GeneratedBatch>();
  add(accountId: string, logGroupName: string, event: GeneratedEvent): void {
    const key = `${accountId}\u0000${logGroupName}`;
    let batch = this.batches.get(key);
    if (!batch) {
      batch = { accountId, logGroupName, events: [] };
      this.batches.set(key, batch);
    }
    batch.events.push(event);
  }
  all(): GeneratedBatch[] {
    return [...this.batches.values()];
  }
}

interface FunctionRef {
  arn: string;
  name: string;
  accountId: string;
  timeoutSeconds: number;
}

/** `arn:aws:apigateway:r:lambda:path/2015-03-31/functions/<fn arn>/invocations` → the fn ARN. */
function functionArnFromUri(uri: string | undefined): string | undefined {
  return uri ? /functions\/(arn:[^/]+)\/invocations/.exec(uri)?.[1] : undefined;
}

function functionRef(arn: string, scenario: Scenario): FunctionRef {
  const [, , , , accountId = '', , name = ''] = arn.split(':');
  const fn = scenario.accounts.find((a) => a.accountId === accountId)?.lambda?.functions.find((f) => f.FunctionName === name);
  return { arn, name, accountId, timeoutSeconds: fn?.Timeout ?? 29 };
}

function groupNameFromArn(arn: string | undefined): string | undefined {
  return arn?.split(':log-group:')[1]?.replace(/:\*$/, '');
}

function streamNames(random: Random): string[] {
  return Array.from({ length: STREAMS_PER_GROUP }, () => random.hex(32));
}

function lambdaStreamNames(random: Random, now: Date): string[] {
  const day = now.toISOString().slice(0, 10).replace(/-/g, '/');
  return Array.from({ length: STREAMS_PER_GROUP }, () => `${day}/[$LATEST]${random.hex(32)}`);
}

function expandOne(spec: TrafficSpec, scenario: Scenario, sink: BatchSink): void {
  const account: ScenarioAccount | undefined = spec.account ? scenario.accounts.find((a) => a.accountId === spec.account) : scenario.accounts[0];
  const apiId = spec.apiId ?? scenario.apiId;
  const api: ScenarioRestApi | undefined = account?.apigateway?.restApis?.find((a) => a.id === apiId);
  const stage = api?.stages?.find((s) => s.stageName === spec.stage);
  // A request to an API or stage that does not exist leaves no logs anywhere: that is the evidence.
  if (!account || !api || !stage || spec.requests === 0) return;

  const random = createRandom(spec.seed);
  const end = (spec.end ?? scenario.now).getTime();
  const start = (spec.start ?? new Date(end - DEFAULT_WINDOW_MS)).getTime();
  const span = Math.max(1, end - start);

  const hasRole = Boolean(account.apigateway?.account?.cloudwatchRoleArn);
  const level = stage.methodSettings?.['*/*']?.loggingLevel ?? 'OFF';
  const dataTrace = stage.methodSettings?.['*/*']?.dataTraceEnabled ?? false;
  const executionGroup = hasRole && level !== 'OFF' ? `API-Gateway-Execution-Logs_${apiId}/${spec.stage}` : undefined;
  const accessGroup = hasRole ? groupNameFromArn(stage.accessLogSettings?.destinationArn) : undefined;
  const accessFormat = accessGroup && stage.accessLogSettings?.format ? compileAccessLogFormat(stage.accessLogSettings.format) : undefined;
  const executionStreams = streamNames(random);
  const accessStreams = streamNames(random);
  const lambdaStreams = new Map<string, string[]>();
  const vpceId = spec.vpceId ?? (api.endpointConfiguration?.types.includes('PRIVATE') ? api.endpointConfiguration.vpcEndpointIds?.[0] : undefined);

  const routes = spec.routes.map((route) => {
    const resourcePath = route.resourcePath ?? route.path;
    const method = api.resources?.find((r) => r.path === resourcePath)?.resourceMethods?.[route.method] ?? api.resources?.find((r) => r.path === resourcePath)?.resourceMethods?.ANY;
    const declaredArn = route.function ? undefined : functionArnFromUri(method?.methodIntegration?.uri);
    const fnArn = route.function ? `arn:aws:lambda:${scenario.region}:${account.accountId}:function:${route.function}` : declaredArn;
    const authorizerId = method?.authorizationType === 'CUSTOM' ? method.authorizerId : undefined;
    const authorizer = authorizerId ? api.authorizers?.find((a) => a.id === authorizerId) : undefined;
    const credentials = (method?.methodIntegration as { credentials?: string } | undefined)?.credentials;
    return {
      integrationRole: credentials,
      weight: route.weight,
      method: route.method,
      path: route.path,
      resourcePath,
      fn: fnArn ? functionRef(fnArn, scenario) : undefined,
      apiKeyRequired: method?.apiKeyRequired ?? false,
      authorizer: authorizer ? { id: authorizer.id, ...(functionArnFromUri(authorizer.authorizerUri) ? { functionArn: functionArnFromUri(authorizer.authorizerUri) as string } : {}) } : undefined,
    };
  });

  for (let i = 0; i < spec.requests; i++) {
    const time = start + Math.floor(((i + random.next()) * span) / spec.requests);
    const route = random.pick(routes);
    const outcome = random.pick(spec.outcomes);
    const kind = effectiveKind(outcome.kind ?? 'ok', outcome.status, Boolean(route.integrationRole));
    // Authorizer kinds need an authorizer even when the method's own settings lost it.
    const authorizer = route.authorizer ?? (kind.startsWith('authorizer_') ? { id: api.authorizers?.[0]?.id ?? 'abc123' } : undefined);
    const facts: RequestFacts = {
      requestId: random.uuid(),
      extendedRequestId: `${random.hex(14).toUpperCase().slice(0, 6)}${random.hex(8)}=`,
      lambdaRequestId: random.uuid(),
      time,
      method: route.method,
      path: route.path,
      resourcePath: route.resourcePath,
      status: outcome.status,
      kind,
      apiId,
      stage: spec.stage,
      region: scenario.region,
      apiAccountId: account.accountId,
      sourceIp: `203.0.113.${random.int(1, 254)}`,
      functionTimeoutSeconds: route.fn?.timeoutSeconds ?? 29,
      apiKeyRequired: route.apiKeyRequired,
      dataTrace,
      integrationLatencyMs: random.int(12, 240),
      durationMs: random.int(3, 180) + random.int(0, 99) / 100,
      ...(route.fn ? { functionArn: route.fn.arn } : {}),
      ...(authorizer ? { authorizer } : {}),
      ...(vpceId ? { vpceId } : {}),
      ...(route.integrationRole ? { integrationRole: route.integrationRole } : {}),
      ...(spec.callerArn ? { callerArn: spec.callerArn } : {}),
      ...(spec.canary !== undefined ? { canary: spec.canary } : {}),
    };
    const lines = linesFor(facts);
    if (executionGroup) {
      const stream = executionStreams[i % STREAMS_PER_GROUP] as string;
      for (const line of lines.execution) {
        if (level === 'ERROR' && line.level !== 'error') continue;
        sink.add(account.accountId, executionGroup, { timestamp: time + line.offsetMs, message: `(${facts.requestId}) ${line.text}`, logStreamName: stream });
      }
    }
    if (accessGroup && accessFormat) {
      const last = lines.execution[lines.execution.length - 1]?.offsetMs ?? 0;
      const message = accessFormat({ ...lines.access, requestTime: requestTime(time) });
      sink.add(account.accountId, accessGroup, { timestamp: time + last, message, logStreamName: accessStreams[i % STREAMS_PER_GROUP] as string });
    }
    if (authorizer?.functionArn && lines.authorizerLambda.length > 0) {
      const ref = functionRef(authorizer.functionArn, scenario);
      for (const line of lines.authorizerLambda) {
        sink.add(ref.accountId, `/aws/lambda/${ref.name}`, { timestamp: time + line.offsetMs, message: line.text, logStreamName: `${new Date(time).toISOString().slice(0, 10).replace(/-/g, '/')}/[$LATEST]authorizer` });
      }
    }
    if (route.fn && lines.lambda.length > 0) {
      let streams = lambdaStreams.get(route.fn.arn);
      if (!streams) {
        streams = lambdaStreamNames(random, scenario.now);
        lambdaStreams.set(route.fn.arn, streams);
      }
      const stream = streams[i % STREAMS_PER_GROUP] as string;
      for (const line of lines.lambda) {
        sink.add(route.fn.accountId, `/aws/lambda/${route.fn.name}`, { timestamp: time + line.offsetMs, message: line.text, logStreamName: stream });
      }
    }
  }
}

/**
 * What AWS does for a kind given the rest of the request: an authorizer refusal answered 401 is
 * UNAUTHORIZED (ACCESS_DENIED is a 403); an integration that invokes through a `credentials` role
 * fails on that role, not on the function's resource policy.
 */
function effectiveKind(kind: TrafficKind, status: number, viaRole: boolean): TrafficKind {
  if (kind === 'authorizer_deny' && status === 401) return 'unauthorized';
  if (kind === 'missing_permission' && viaRole) return 'assume_role_denied';
  return kind;
}

export function generateTraffic(scenario: Scenario): GeneratedBatch[] {
  const sink = new BatchSink();
  for (const spec of scenario.traffic) expandOne(spec, scenario, sink);
  return sink.all();
}
