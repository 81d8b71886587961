import { compileAccessLogFormat, requestTime } from './access-log.js';
import { createRandom, type Random } from './prng.js';
import type { Scenario, ScenarioAccount, ScenarioRestApi, TrafficKind, TrafficSpec } from './scenario.js';
import { linesFor, type RequestFacts } from './traffic-lines.js';

/**
 * `traffic[]` as the log lines AWS would have written: execution logs (when the stage logs at
 * INFO or ERROR and the account has its CloudWatch role), access logs (in the stage's own
 * format), and Lambda logs for the integrations. Seeded per request, so any time slice can be
 * generated on its own: a scenario with millions of events is never held in memory, and the same
 * scenario always gives the same lines whichever slices are asked for.
 */
export interface GeneratedEvent {
  timestamp: number;
  message: string;
  logStreamName: string;
  /** Unique within its source: orders events of the same millisecond and names them. */
  order: number;
}

/** One log group's share of one traffic spec, generated on demand per time slice. */
export interface TrafficSource {
  accountId: string;
  logGroupName: string;
  /** Roughly how many events the source holds over its whole span (sizes slices, reports bytes). */
  estimatedEvents: number;
  /** Appends, in generation order, every event with `from <= timestamp < to`. */
  eventsIn(from: number, to: number, out: GeneratedEvent[]): void;
}

/** The full expansion, for tests and small scenarios. */
export interface GeneratedBatch {
  accountId: string;
  logGroupName: string;
  events: GeneratedEvent[];
}

const DEFAULT_WINDOW_MS = 2 * 3600_000;
const STREAMS_PER_GROUP = 4;
/** Lines of a request that did not time out are all written within this of its arrival. */
const SHORT_REQUEST_MS = 5_000;
/** Requests of these kinds wait for their timeout before their last lines are written. */
const LONG_KINDS: ReadonlySet<TrafficKind> = new Set(['integration_timeout']);
const LINES_PER_REQUEST = 64;

export interface FunctionRef {
  arn: string;
  name: string;
  accountId: string;
  timeoutSeconds: number;
}

/** `arn:aws:apigateway:r:lambda:path/2015-03-31/functions/<fn arn>/invocations` → the fn ARN. */
export function functionArnFromUri(uri: string | undefined): string | undefined {
  return uri ? /functions\/(arn:[^/]+)\/invocations/.exec(uri)?.[1] : undefined;
}

export function functionRef(arn: string, scenario: Scenario): FunctionRef {
  const [, , , , accountId = '', , name = ''] = arn.split(':');
  const fn = scenario.accounts.find((a) => a.accountId === accountId)?.lambda?.functions.find((f) => f.FunctionName === name);
  return { arn, name, accountId, timeoutSeconds: fn?.Timeout ?? 29 };
}

export function groupNameFromArn(arn: string | undefined): string | undefined {
  return arn?.split(':log-group:')[1]?.replace(/:\*$/, '');
}

export function streamNames(random: Random): string[] {
  return Array.from({ length: STREAMS_PER_GROUP }, () => random.hex(32));
}

function lambdaStreamNames(random: Random, now: Date): string[] {
  const day = now.toISOString().slice(0, 10).replace(/-/g, '/');
  return Array.from({ length: STREAMS_PER_GROUP }, () => `${day}/[$LATEST]${random.hex(32)}`);
}

/** A function's log streams for one spec (seeded by it and the function), made once and kept in `cache`. */
export function lambdaStreamsOf(cache: Map<string, string[]>, seed: number, fn: FunctionRef, now: Date): string[] {
  let streams = cache.get(fn.arn);
  if (!streams) {
    streams = lambdaStreamNames(createRandom(requestSeed(seed, fn.arn.length * 7919 + fn.name.charCodeAt(0))), now);
    cache.set(fn.arn, streams);
  }
  return streams;
}

/** One request's own seed: a mix of the spec's seed and the request's index (splitmix32-style). */
export function requestSeed(seed: number, index: number): number {
  let h = (seed ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

export type Route = {
  weight: number;
  method: string;
  path: string;
  resourcePath: string;
  fn: FunctionRef | undefined;
  apiKeyRequired: boolean;
  authorizer: { id: string; functionArn?: string } | undefined;
  /** The integration's `credentials` role: API Gateway invokes as it (I2). */
  integrationRole: string | undefined;
};

/** What a declared kind becomes given the request's own facts. */
function effectiveKind(kind: TrafficKind, status: number, viaRole: boolean): TrafficKind {
  if (kind === 'authorizer_deny' && status === 401) return 'unauthorized';
  if (kind === 'missing_permission' && viaRole) return 'assume_role_denied';
  return kind;
}

/** One request of a spec, before its log lines are written. */
export interface PlannedRequest {
  i: number;
  /** Arrival (epoch ms): metrics are stamped with it, log lines a little after. */
  time: number;
  route: Route;
  status: number;
  /** What happened to it, given its route (a deny on a route with an integration role is that role's). */
  kind: TrafficKind;
  sourceIp: string;
  integrationLatencyMs: number;
  durationMs: number;
  /** Positioned where the request's ids are drawn. */
  random: Random;
}

type GroupKind = { kind: 'execution' } | { kind: 'access' } | { kind: 'lambda'; functionArn: string };

/** Everything one spec needs to write any of its requests, computed once. */
export class SpecPlan {
  readonly start: number;
  readonly end: number;
  readonly span: number;
  readonly routes: Route[];
  readonly executionGroup: string | undefined;
  readonly accessGroup: string | undefined;
  readonly maxOffsetMs: number;
  private readonly accessFormat: ((values: Record<string, string | number | undefined>) => string) | undefined;
  readonly level: string;
  private readonly dataTrace: boolean;
  private readonly executionStreams: string[];
  private readonly accessStreams: string[];
  private readonly lambdaStreams = new Map<string, string[]>();
  private readonly vpceId: string | undefined;
  private readonly apiKey: { id: string; value?: string } | undefined;
  private readonly firstAuthorizerId: string;

  constructor(
    readonly spec: TrafficSpec,
    readonly scenario: Scenario,
    readonly account: ScenarioAccount,
    readonly api: ScenarioRestApi,
    readonly apiId: string,
    readonly stage: NonNullable<ScenarioRestApi['stages']>[number],
  ) {
    const random = createRandom(spec.seed);
    this.end = (spec.end ?? scenario.now).getTime();
    this.start = (spec.start ?? new Date(this.end - DEFAULT_WINDOW_MS)).getTime();
    this.span = Math.max(1, this.end - this.start);
    const hasRole = Boolean(account.apigateway?.account?.cloudwatchRoleArn);
    this.level = stage.methodSettings?.['*/*']?.loggingLevel ?? 'OFF';
    this.dataTrace = stage.methodSettings?.['*/*']?.dataTraceEnabled ?? false;
    this.executionGroup = hasRole && this.level !== 'OFF' ? `API-Gateway-Execution-Logs_${apiId}/${spec.stage}` : undefined;
    const accessGroup = hasRole ? groupNameFromArn(stage.accessLogSettings?.destinationArn) : undefined;
    this.accessFormat = accessGroup && stage.accessLogSettings?.format ? compileAccessLogFormat(stage.accessLogSettings.format) : undefined;
    this.accessGroup = this.accessFormat ? accessGroup : undefined;
    this.executionStreams = streamNames(random);
    this.accessStreams = streamNames(random);
    // The caller's endpoint: the spec's own (a consumer account's endpoint), else the API's first.
    this.vpceId = api.endpointConfiguration?.types.includes('PRIVATE') ? (spec.vpceId ?? api.endpointConfiguration.vpcEndpointIds?.[0]) : undefined;
    this.firstAuthorizerId = api.authorizers?.[0]?.id ?? 'abc123';
    const key = spec.apiKeyId ? (account.apigateway?.usagePlans ?? []).flatMap((p) => p.keys ?? []).find((k) => k.id === spec.apiKeyId) : undefined;
    this.apiKey = spec.apiKeyId ? { id: spec.apiKeyId, ...(key?.value ? { value: key.value } : {}) } : undefined;
    this.routes = spec.routes.map((route) => {
      const resourcePath = route.resourcePath ?? route.path;
      const resource = api.resources?.find((r) => r.path === resourcePath);
      const method = resource?.resourceMethods?.[route.method] ?? resource?.resourceMethods?.ANY;
      const declaredArn = route.function ? undefined : functionArnFromUri(method?.methodIntegration?.uri);
      const fnArn = route.function ? `arn:aws:lambda:${scenario.region}:${account.accountId}:function:${route.function}` : declaredArn;
      const authorizerId = method?.authorizationType === 'CUSTOM' ? method.authorizerId : undefined;
      const authorizer = authorizerId ? api.authorizers?.find((a) => a.id === authorizerId) : undefined;
      const authorizerFn = functionArnFromUri(authorizer?.authorizerUri);
      const credentials = (method?.methodIntegration as { credentials?: string } | undefined)?.credentials;
      return {
        integrationRole: credentials,
        weight: route.weight,
        method: route.method,
        path: route.path,
        resourcePath,
        fn: fnArn ? functionRef(fnArn, scenario) : undefined,
        apiKeyRequired: method?.apiKeyRequired ?? false,
        authorizer: authorizer ? { id: authorizer.id, ...(authorizerFn ? { functionArn: authorizerFn } : {}) } : undefined,
      };
    });
    const longestFunction = Math.max(0, ...this.routes.map((r) => r.fn?.timeoutSeconds ?? 0));
    this.maxOffsetMs = Math.max(30_000, longestFunction * 1000) + SHORT_REQUEST_MS;
  }

  /** Integration functions and Lambda authorizers: each writes its own log group. */
  functions(): FunctionRef[] {
    const byArn = new Map<string, FunctionRef>();
    for (const route of this.routes) {
      if (route.fn) byArn.set(route.fn.arn, route.fn);
      if (route.authorizer?.functionArn && !byArn.has(route.authorizer.functionArn)) byArn.set(route.authorizer.functionArn, functionRef(route.authorizer.functionArn, this.scenario));
    }
    return [...byArn.values()];
  }

  private lambdaStreamsOf(fn: FunctionRef): string[] {
    return lambdaStreamsOf(this.lambdaStreams, this.spec.seed, fn, this.scenario.now);
  }

  /** Arrival time of request `i`: evenly spread, jittered, never decreasing with i. */
  private arrival(i: number, random: Random): number {
    return this.start + Math.floor(((i + random.next()) * this.span) / this.spec.requests);
  }

  /**
   * Request `i` as drawn from its own seed: arrival, route, outcome and the numbers metrics need.
   * `random` is left where the request's ids are drawn from, so the log writer continues it.
   */
  requestAt(i: number): PlannedRequest {
    const random = createRandom(requestSeed(this.spec.seed, i));
    const time = this.arrival(i, random);
    const route = random.pick(this.routes);
    const outcome = random.pick(this.spec.outcomes);
    const kind = effectiveKind(outcome.kind ?? 'ok', outcome.status, Boolean(route.integrationRole));
    // The numbers first, the ids after: metrics read the numbers without drawing the ids.
    const sourceIp = `203.0.113.${random.int(1, 254)}`;
    const integrationLatencyMs = random.int(12, 240);
    const durationMs = random.int(3, 180) + random.int(0, 99) / 100;
    return { i, time, route, status: outcome.status, kind, sourceIp, integrationLatencyMs, durationMs, random };
  }

  /** The requests that arrived with `from <= time < to`, in arrival order. */
  *requestsIn(from: number, to: number): Generator<PlannedRequest> {
    const { requests } = this.spec;
    if (requests === 0 || to <= this.start - 1 || from > this.end) return;
    const firstIndex = Math.max(0, Math.floor(((from - this.start) * requests) / this.span) - 1);
    const lastIndex = Math.min(requests - 1, Math.ceil(((to - this.start) * requests) / this.span) + 1);
    for (let i = firstIndex; i <= lastIndex; i++) {
      const request = this.requestAt(i);
      if (request.time >= to) break;
      if (request.time >= from) yield request;
    }
  }

  /** Appends the events of `group` with `from <= timestamp < to`. */
  eventsIn(group: GroupKind, from: number, to: number, out: GeneratedEvent[]): void {
    const { requests } = this.spec;
    if (requests === 0 || to <= this.start - 1 || from > this.end + this.maxOffsetMs) return;
    const earliest = from - this.maxOffsetMs;
    const firstIndex = Math.max(0, Math.floor(((earliest - this.start) * requests) / this.span) - 1);
    const lastIndex = Math.min(requests - 1, Math.ceil(((to - this.start) * requests) / this.span) + 1);
    for (let i = firstIndex; i <= lastIndex; i++) {
      const request = this.requestAt(i);
      const { time, route, kind } = request;
      if (time >= to) break;
      if (time < earliest) continue;
      // Only a request that waits for a timeout can still be writing lines long after it arrived.
      if (time < from - SHORT_REQUEST_MS && !LONG_KINDS.has(kind)) continue;
      if (group.kind === 'lambda' && route.fn?.arn !== group.functionArn && route.authorizer?.functionArn !== group.functionArn) continue;
      this.writeRequest(group, request, from, to, out);
    }
  }

  /** The authorizer a request meets: kinds about an authorizer need one even when the method's own settings lost it. */
  authorizerOf(request: Pick<PlannedRequest, 'route' | 'kind'>): Route['authorizer'] {
    return request.route.authorizer ?? (request.kind.startsWith('authorizer_') ? { id: this.firstAuthorizerId } : undefined);
  }

  private writeRequest(group: GroupKind, request: PlannedRequest, from: number, to: number, out: GeneratedEvent[]): void {
    const { i, time, route, status, kind, random } = request;
    const authorizer = this.authorizerOf(request);
    const facts: RequestFacts = {
      requestId: random.uuid(),
      extendedRequestId: `${random.hex(14).toUpperCase().slice(0, 6)}${random.hex(8)}=`,
      lambdaRequestId: random.uuid(),
      time,
      method: route.method,
      path: route.path,
      resourcePath: route.resourcePath,
      status,
      kind,
      apiId: this.apiId,
      stage: this.spec.stage,
      region: this.scenario.region,
      apiAccountId: this.account.accountId,
      sourceIp: request.sourceIp,
      functionTimeoutSeconds: route.fn?.timeoutSeconds ?? 29,
      apiKeyRequired: route.apiKeyRequired,
      dataTrace: this.dataTrace,
      integrationLatencyMs: request.integrationLatencyMs,
      durationMs: request.durationMs,
      ...(route.fn ? { functionArn: route.fn.arn } : {}),
      ...(authorizer ? { authorizer } : {}),
      ...(this.vpceId ? { vpceId: this.vpceId } : {}),
      ...(route.integrationRole ? { integrationRole: route.integrationRole } : {}),
      ...(this.spec.callerArn ? { callerArn: this.spec.callerArn } : {}),
      ...(this.apiKey ? { apiKey: this.apiKey } : {}),
      ...(this.spec.canary !== undefined ? { canary: this.spec.canary } : {}),
    };
    const lines = linesFor(facts);
    const seqBase = i * LINES_PER_REQUEST;
    const push = (timestamp: number, message: string, logStreamName: string, n: number) => {
      if (timestamp >= from && timestamp < to) out.push({ timestamp, message, logStreamName, order: seqBase + n });
    };
    if (group.kind === 'execution') {
      const stream = this.executionStreams[i % STREAMS_PER_GROUP] as string;
      lines.execution.forEach((line, n) => {
        if (this.level === 'ERROR' && line.level !== 'error') return;
        push(time + line.offsetMs, `(${facts.requestId}) ${line.text}`, stream, n);
      });
    } else if (group.kind === 'access' && this.accessFormat) {
      const last = lines.execution[lines.execution.length - 1]?.offsetMs ?? 0;
      push(time + last, this.accessFormat({ ...lines.access, requestTime: requestTime(time) }), this.accessStreams[i % STREAMS_PER_GROUP] as string, 0);
    } else if (group.kind === 'lambda') {
      if (route.fn?.arn === group.functionArn) {
        const stream = this.lambdaStreamsOf(route.fn)[i % STREAMS_PER_GROUP] as string;
        lines.lambda.forEach((line, n) => push(time + line.offsetMs, line.text, stream, n));
      }
      if (authorizer?.functionArn === group.functionArn) {
        const stream = `${new Date(time).toISOString().slice(0, 10).replace(/-/g, '/')}/[$LATEST]authorizer`;
        lines.authorizerLambda.forEach((line, n) => push(time + line.offsetMs, line.text, stream, lines.lambda.length + n));
      }
    }
  }
}

export function planOf(spec: TrafficSpec, scenario: Scenario): SpecPlan | undefined {
  const account: ScenarioAccount | undefined = spec.account ? scenario.accounts.find((a) => a.accountId === spec.account) : scenario.accounts[0];
  const apiId = spec.apiId ?? scenario.apiId;
  const api: ScenarioRestApi | undefined = account?.apigateway?.restApis?.find((a) => a.id === apiId);
  const stage = api?.stages?.find((s) => s.stageName === spec.stage);
  // A request to an API or stage that does not exist leaves no logs anywhere: that is the evidence.
  if (!account || !api || !stage || spec.requests === 0) return undefined;
  return new SpecPlan(spec, scenario, account, api, apiId, stage);
}

/** Average lines per request by group kind, for size estimates only. */
const LINES_ESTIMATE = { execution: 15, access: 1, lambda: 4 } as const;

/** Every log group each spec writes to, as lazily generated sources, in spec order. */
export function trafficSources(scenario: Scenario): TrafficSource[] {
  const sources: TrafficSource[] = [];
  for (const spec of scenario.traffic) {
    const plan = planOf(spec, scenario);
    if (!plan) continue;
    const add = (accountId: string, logGroupName: string, group: GroupKind, share: number) =>
      sources.push({
        accountId,
        logGroupName,
        estimatedEvents: Math.ceil(spec.requests * share * LINES_ESTIMATE[group.kind]),
        eventsIn: (from, to, out) => plan.eventsIn(group, from, to, out),
      });
    if (plan.executionGroup) add(plan.account.accountId, plan.executionGroup, { kind: 'execution' }, 1);
    if (plan.accessGroup) add(plan.account.accountId, plan.accessGroup, { kind: 'access' }, 1);
    const totalWeight = plan.routes.reduce((n, r) => n + r.weight, 0);
    for (const fn of plan.functions()) {
      const weight = plan.routes.filter((r) => r.fn?.arn === fn.arn || r.authorizer?.functionArn === fn.arn).reduce((n, r) => n + r.weight, 0);
      add(fn.accountId, `/aws/lambda/${fn.name}`, { kind: 'lambda', functionArn: fn.arn }, weight / Math.max(1, totalWeight));
    }
  }
  return sources;
}

/** Expands every spec completely (in time order per group); for tests and small scenarios only. */
export function generateTraffic(scenario: Scenario): GeneratedBatch[] {
  const batches = new Map<string, GeneratedBatch>();
  for (const source of trafficSources(scenario)) {
    const key = `${source.accountId}\u0000${source.logGroupName}`;
    let batch = batches.get(key);
    if (!batch) {
      batch = { accountId: source.accountId, logGroupName: source.logGroupName, events: [] };
      batches.set(key, batch);
    }
    source.eventsIn(Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY, batch.events);
  }
  const out = [...batches.values()].filter((b) => b.events.length > 0);
  for (const batch of out) batch.events.sort((a, b) => a.timestamp - b.timestamp);
  return out;
}
