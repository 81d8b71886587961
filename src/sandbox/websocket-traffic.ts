import { compileAccessLogFormat, requestTime } from './access-log.js';
import { createRandom, type Random } from './prng.js';
import type { Scenario, ScenarioAccount, ScenarioHttpApi, WebsocketTrafficSpec } from './scenario.js';
import { functionArnFromUri, functionRef, groupNameFromArn, lambdaStreamsOf, requestSeed, streamNames, type FunctionRef, type GeneratedEvent, type TrafficSource } from './traffic.js';
import { websocketLinesFor, type CallbackKind, type CloseKind, type ConnectKind, type MessageKind, type WsEventFacts } from './websocket-lines.js';

/**
 * `websocketTraffic[]` as the logs a WebSocket API stage would have written: `$connect` attempts,
 * client messages and disconnects, each an independent seeded stream spread evenly over the
 * period, so any time slice is generated on its own (like REST traffic) and connects and messages
 * per minute follow from the spec alone (`websocketMinuteCounts`, the metrics' ground truth).
 * Routing is the API's own: a message whose key matches no route goes to `$default`, or is refused
 * with "Forbidden" when there is none; a route without an integration fails with 500.
 */

type Stream = 'CONNECT' | 'MESSAGE' | 'DISCONNECT';
type V2Stage = NonNullable<ScenarioHttpApi['stages']>[number];
type V2Route = NonNullable<ScenarioHttpApi['routes']>[number];

const DEFAULT_WINDOW_MS = 2 * 3600_000;
/** Different salts keep the three streams' random draws apart for one seed. */
const SALT: Record<Stream, number> = { CONNECT: 0x51ed270b, MESSAGE: 0x2f6c9e31, DISCONNECT: 0x7a3d15c9 };
const LINES_PER_EVENT = 32;
const SHORT_EVENT_MS = 5_000;
const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
/** Connect kinds that open a connection (and so later write a DISCONNECT). */
const ACCEPTED: ReadonlySet<string> = new Set(['ok']);
const IDLE_MS = 10 * 60_000;
const MAX_DURATION_MS = 2 * 3600_000;

/** API Gateway's connection and request ids: 15 base64 characters and `=` (e.g. `XDmENcnwIE0CFEQ=`). */
function shortId(random: Random): string {
  let id = '';
  for (let i = 0; i < 15; i++) id += BASE64[random.int(0, 63)];
  return `${id}=`;
}

interface RoutePlan {
  route: V2Route;
  fn: FunctionRef | undefined;
  timeoutMs: number;
  hasIntegration: boolean;
  authorizer?: { id: string; functionArn?: string };
}

interface SelectedKey {
  weight: number;
  key: string;
  /** The route that runs: the key's own, else `$default`; undefined when neither exists. */
  plan: RoutePlan | undefined;
  outcomes: { weight: number; kind: MessageKind; status?: number | undefined }[];
  callbackShare: number;
}

function loggingLevel(stage: V2Stage, routeKey: string | undefined): string {
  return (routeKey ? stage.RouteSettings?.[routeKey]?.LoggingLevel : undefined) ?? stage.DefaultRouteSettings?.LoggingLevel ?? 'OFF';
}

class WebsocketPlan {
  readonly start: number;
  readonly end: number;
  readonly span: number;
  readonly executionGroup: string | undefined;
  readonly accessGroup: string | undefined;
  readonly counts: Record<Stream, number>;
  readonly maxOffsetMs: number;
  private readonly accessFormat: ((values: Record<string, string | number | undefined>) => string) | undefined;
  private readonly executionStreams: string[];
  private readonly accessStreams: string[];
  private readonly lambdaStreams = new Map<string, string[]>();
  private readonly routes = new Map<string, RoutePlan>();
  readonly keys: SelectedKey[];

  constructor(
    readonly spec: WebsocketTrafficSpec,
    readonly scenario: Scenario,
    readonly account: ScenarioAccount,
    readonly api: ScenarioHttpApi,
    readonly stage: V2Stage,
  ) {
    const random = createRandom(spec.seed);
    this.end = (spec.end ?? scenario.now).getTime();
    this.start = (spec.start ?? new Date(this.end - DEFAULT_WINDOW_MS)).getTime();
    this.span = Math.max(1, this.end - this.start);
    // WebSocket stages log through the account's CloudWatch role, as REST stages do (DG set-up-logging).
    const hasRole = Boolean(account.apigateway?.account?.cloudwatchRoleArn);
    const levels = [loggingLevel(stage, undefined), ...Object.values(stage.RouteSettings ?? {}).map((s) => s.LoggingLevel ?? 'OFF')];
    this.executionGroup = hasRole && levels.some((l) => l !== 'OFF') ? `API-Gateway-Execution-Logs_${api.ApiId}/${stage.StageName}` : undefined;
    const accessGroup = hasRole ? groupNameFromArn(stage.AccessLogSettings?.DestinationArn) : undefined;
    this.accessFormat = accessGroup && stage.AccessLogSettings?.Format ? compileAccessLogFormat(stage.AccessLogSettings.Format) : undefined;
    this.accessGroup = this.accessFormat ? accessGroup : undefined;
    this.executionStreams = streamNames(random);
    this.accessStreams = streamNames(random);
    for (const route of api.routes ?? []) this.routes.set(route.RouteKey, this.planRoute(route));
    const fallback = this.routes.get('$default');
    this.keys = spec.routes.map((r) => ({
      weight: r.weight,
      key: r.routeKey,
      plan: this.routes.get(r.routeKey) ?? fallback,
      outcomes: r.outcomes ?? spec.message,
      callbackShare: r.callbackShare ?? spec.callbackShare,
    }));
    const okWeight = spec.connect.filter((c) => ACCEPTED.has(c.kind)).reduce((n, c) => n + c.weight, 0);
    const allWeight = spec.connect.reduce((n, c) => n + c.weight, 0);
    this.counts = {
      CONNECT: spec.connections,
      MESSAGE: this.keys.length > 0 ? spec.messages : 0,
      DISCONNECT: Math.round((spec.connections * okWeight) / Math.max(1, allWeight)),
    };
    const longest = Math.max(0, ...[...this.routes.values()].map((r) => Math.max(r.timeoutMs, (r.fn?.timeoutSeconds ?? 0) * 1000)));
    this.maxOffsetMs = longest + SHORT_EVENT_MS;
  }

  private planRoute(route: V2Route): RoutePlan {
    const integrationId = /^integrations\/(.+)$/.exec(route.Target ?? '')?.[1];
    const integration = integrationId ? this.api.integrations?.find((i) => i.IntegrationId === integrationId) : undefined;
    const uri = integration?.IntegrationUri;
    const arn = uri && /^arn:aws[\w-]*:lambda:/.test(uri) ? uri : functionArnFromUri(uri);
    const authorizer = route.AuthorizationType === 'CUSTOM' ? this.api.authorizers?.find((a) => a.AuthorizerId === route.AuthorizerId) : undefined;
    const authorizerFn = authorizer?.AuthorizerUri ? functionArnFromUri(authorizer.AuthorizerUri) : undefined;
    return {
      route,
      fn: arn && integration?.IntegrationType?.startsWith('AWS') ? functionRef(arn, this.scenario) : undefined,
      timeoutMs: integration?.TimeoutInMillis ?? 29_000,
      hasIntegration: integration !== undefined,
      ...(authorizer ? { authorizer: { id: authorizer.AuthorizerId, ...(authorizerFn ? { functionArn: authorizerFn } : {}) } } : {}),
    };
  }

  /** Route and authorizer functions: each writes its own log group. */
  functions(): { fn: FunctionRef; share: number }[] {
    const byArn = new Map<string, { fn: FunctionRef; share: number }>();
    const add = (fn: FunctionRef | undefined, share: number) => {
      if (!fn) return;
      const seen = byArn.get(fn.arn);
      byArn.set(fn.arn, { fn, share: (seen?.share ?? 0) + share });
    };
    const total = this.counts.CONNECT + this.counts.MESSAGE + this.counts.DISCONNECT || 1;
    const connect = this.routes.get('$connect');
    add(connect?.fn, this.counts.CONNECT / total);
    if (connect?.authorizer?.functionArn) add(functionRef(connect.authorizer.functionArn, this.scenario), this.counts.CONNECT / total);
    add(this.routes.get('$disconnect')?.fn, this.counts.DISCONNECT / total);
    const keyWeight = this.keys.reduce((n, k) => n + k.weight, 0) || 1;
    for (const key of this.keys) add(key.plan?.fn, (this.counts.MESSAGE * key.weight) / keyWeight / total);
    return [...byArn.values()];
  }

  eventsIn(group: GroupKind, from: number, to: number, out: GeneratedEvent[]): void {
    for (const stream of ['CONNECT', 'MESSAGE', 'DISCONNECT'] as const) {
      const n = this.counts[stream];
      if (n === 0 || to <= this.start - 1 || from > this.end + this.maxOffsetMs) continue;
      const earliest = from - this.maxOffsetMs;
      const first = Math.max(0, Math.floor(((earliest - this.start) * n) / this.span) - 1);
      const last = Math.min(n - 1, Math.ceil(((to - this.start) * n) / this.span) + 1);
      for (let i = first; i <= last; i++) {
        const random = createRandom(requestSeed(this.spec.seed ^ SALT[stream], i));
        const time = this.start + Math.floor(((i + random.next()) * this.span) / n);
        if (time >= to) break;
        if (time < earliest) continue;
        const facts = this.factsOf(stream, i, time, random);
        if (!facts) continue;
        this.write(group, stream, i, facts, from, to, out);
      }
    }
  }

  /** Every event of the spec in time order per stream, drawn exactly as the logs draw them (the metrics' source). */
  *allFacts(): Generator<WsEventFacts> {
    for (const stream of ['CONNECT', 'MESSAGE', 'DISCONNECT'] as const) {
      for (let i = 0; i < this.counts[stream]; i++) {
        const random = createRandom(requestSeed(this.spec.seed ^ SALT[stream], i));
        const time = this.start + Math.floor(((i + random.next()) * this.span) / this.counts[stream]);
        const facts = this.factsOf(stream, i, time, random);
        if (facts) yield facts;
      }
    }
  }

  private baseFacts(random: Random, time: number): Omit<WsEventFacts, 'eventType' | 'kind' | 'status' | 'connectedAt' | 'integrationTimeoutMs' | 'functionTimeoutSeconds' | 'python'> {
    return {
      requestId: shortId(random),
      connectionId: shortId(random),
      time,
      apiId: this.api.ApiId,
      stage: this.stage.StageName,
      region: this.scenario.region,
      apiAccountId: this.account.accountId,
      sourceIp: `198.51.100.${random.int(1, 254)}`,
      lambdaRequestId: random.uuid(),
      authorizerRequestId: random.uuid(),
      integrationLatencyMs: random.int(8, 120),
      durationMs: random.int(3, 90) + random.int(0, 99) / 100,
    };
  }

  private routeFacts(plan: RoutePlan | undefined): Pick<WsEventFacts, 'functionTimeoutSeconds' | 'integrationTimeoutMs' | 'python'> & { functionArn?: string } {
    const fn = plan?.fn;
    const runtime = fn ? this.scenario.accounts.find((a) => a.accountId === fn.accountId)?.lambda?.functions.find((f) => f.FunctionName === fn.name)?.Runtime : undefined;
    return {
      functionTimeoutSeconds: fn?.timeoutSeconds ?? 29,
      integrationTimeoutMs: Math.min(plan?.timeoutMs ?? 29_000, (fn?.timeoutSeconds ?? 29) * 1000),
      python: runtime?.startsWith('python') ?? false,
      ...(fn ? { functionArn: fn.arn } : {}),
    };
  }

  private factsOf(stream: Stream, i: number, time: number, random: Random): WsEventFacts | undefined {
    const base = this.baseFacts(random, time);
    if (stream === 'CONNECT') {
      const outcome = random.pick(this.spec.connect);
      const plan = this.routes.get('$connect');
      const kind = outcome.kind as ConnectKind;
      return {
        ...base,
        ...this.routeFacts(plan),
        eventType: 'CONNECT',
        kind,
        status: outcome.status ?? CONNECT_STATUS[kind],
        connectedAt: time,
        routeKey: '$connect',
        ...(plan?.authorizer ? { authorizer: plan.authorizer } : {}),
        ...(this.spec.connect.some((c) => c.kind === 'iam_denied') ? { callerArn: `arn:aws:sts::${this.account.accountId}:assumed-role/device-fleet/device-${i % 97}` } : {}),
      };
    }
    if (stream === 'DISCONNECT') {
      const outcome = random.pick(this.spec.disconnect);
      const kind = outcome.kind as CloseKind;
      const plan = this.routes.get('$disconnect');
      // Idle connections close 10 minutes after their last frame; capped ones at 2 hours.
      const duration = kind === 'idle_timeout' ? IDLE_MS + random.int(0, 2_000) : kind === 'max_duration' ? MAX_DURATION_MS + random.int(0, 900) : random.int(20_000, 50 * 60_000);
      return {
        ...base,
        ...this.routeFacts(plan),
        eventType: 'DISCONNECT',
        kind,
        status: outcome.status ?? 200,
        connectedAt: time - duration,
        ...(plan ? { routeKey: '$disconnect' } : {}),
      };
    }
    const key = random.pick(this.keys);
    const plan = key.plan;
    let kind: MessageKind;
    let status: number | undefined;
    if (!plan) kind = 'no_route';
    else if (!plan.hasIntegration) kind = 'no_integration';
    else {
      const outcome = random.pick(key.outcomes);
      kind = outcome.kind;
      status = outcome.status;
    }
    // The live deployment does not have the route: it is refused as if the API had none.
    const deployed = kind !== 'route_not_deployed';
    if (!deployed) kind = 'no_route';
    // One-way routes answer through @connections; a two-way route's answer is its route response.
    const oneWay = !plan?.route.RouteResponseSelectionExpression;
    const callback = kind === 'ok' && oneWay && plan?.fn && random.next() < key.callbackShare ? random.pick(this.spec.callbacks).kind : undefined;
    const fnConfig = plan?.fn ? this.scenario.accounts.find((a) => a.accountId === plan.fn?.accountId)?.lambda?.functions.find((f) => f.FunctionName === plan.fn?.name) : undefined;
    return {
      ...base,
      ...this.routeFacts(deployed ? plan : undefined),
      eventType: 'MESSAGE',
      kind,
      status: status ?? MESSAGE_STATUS[kind],
      messageId: shortId(random),
      // Messages come on connections opened some time before.
      connectedAt: time - random.int(5_000, 40 * 60_000),
      ...(plan && deployed ? { routeKey: plan.route.RouteKey } : {}),
      ...(callback && plan?.fn ? { callback: { kind: callback as CallbackKind, roleArn: fnConfig?.Role ?? `arn:aws:iam::${plan.fn.accountId}:role/${plan.fn.name}-role`, functionName: plan.fn.name } } : {}),
    };
  }

  private write(group: GroupKind, stream: Stream, i: number, facts: WsEventFacts, from: number, to: number, out: GeneratedEvent[]): void {
    const lines = websocketLinesFor(facts);
    const seqBase = (i * 3 + ['CONNECT', 'MESSAGE', 'DISCONNECT'].indexOf(stream)) * LINES_PER_EVENT;
    const push = (timestamp: number, message: string, logStreamName: string, n: number) => {
      if (timestamp >= from && timestamp < to) out.push({ timestamp, message, logStreamName, order: seqBase + n });
    };
    if (group.kind === 'execution') {
      const level = loggingLevel(this.stage, facts.routeKey);
      if (level === 'OFF') return;
      const streamName = this.executionStreams[i % this.executionStreams.length] as string;
      lines.execution.forEach((line, n) => {
        if (level === 'ERROR' && line.level !== 'error') return;
        push(facts.time + line.offsetMs, `(${facts.requestId}) ${line.text}`, streamName, n);
      });
    } else if (group.kind === 'access' && this.accessFormat) {
      const last = lines.execution[lines.execution.length - 1]?.offsetMs ?? 0;
      push(facts.time + last, this.accessFormat({ ...lines.access, requestTime: requestTime(facts.time) }), this.accessStreams[i % this.accessStreams.length] as string, 0);
    } else if (group.kind === 'lambda') {
      if (facts.functionArn === group.functionArn) {
        const fn = functionRef(group.functionArn, this.scenario);
        const streamName = lambdaStreamsOf(this.lambdaStreams, this.spec.seed, fn, this.scenario.now)[i % 4] as string;
        lines.lambda.forEach((line, n) => push(facts.time + line.offsetMs, line.text, streamName, n));
      }
      if (facts.authorizer?.functionArn === group.functionArn) {
        const streamName = `${new Date(facts.time).toISOString().slice(0, 10).replace(/-/g, '/')}/[$LATEST]authorizer`;
        lines.authorizerLambda.forEach((line, n) => push(facts.time + line.offsetMs, line.text, streamName, LINES_PER_EVENT / 2 + n));
      }
    }
  }
}

type GroupKind = { kind: 'execution' } | { kind: 'access' } | { kind: 'lambda'; functionArn: string };

const CONNECT_STATUS: Record<ConnectKind, number> = {
  ok: 200,
  unauthorized: 401,
  authorizer_deny: 403,
  authorizer_error: 500,
  iam_denied: 403,
  api_key_invalid: 403,
  connect_rejected: 403,
  lambda_error: 500,
  missing_permission: 500,
  integration_timeout: 504,
  throttled: 429,
};

const MESSAGE_STATUS: Record<MessageKind, number> = {
  ok: 200,
  route_not_deployed: 403,
  no_route: 403,
  no_integration: 500,
  lambda_error: 500,
  missing_permission: 500,
  integration_timeout: 504,
  throttled: 429,
  bad_request_body: 400,
};

function planOf(spec: WebsocketTrafficSpec, scenario: Scenario): WebsocketPlan | undefined {
  const account = spec.account ? scenario.accounts.find((a) => a.accountId === spec.account) : scenario.accounts[0];
  const apiId = spec.apiId ?? scenario.apiId;
  const api = account?.apigatewayv2?.apis?.find((a) => a.ApiId === apiId && a.ProtocolType === 'WEBSOCKET');
  const stage = api?.stages?.find((s) => s.StageName === spec.stage);
  // A stage that does not exist (or was never deployed) logs nothing: that absence is the evidence.
  if (!account || !api || !stage || (spec.connections === 0 && spec.messages === 0)) return undefined;
  return new WebsocketPlan(spec, scenario, account, api, stage);
}

/** Every log group each WebSocket spec writes to, generated lazily per time slice. */
export function websocketTrafficSources(scenario: Scenario): TrafficSource[] {
  const sources: TrafficSource[] = [];
  for (const spec of scenario.websocketTraffic) {
    const plan = planOf(spec, scenario);
    if (!plan) continue;
    const events = plan.counts.CONNECT + plan.counts.MESSAGE + plan.counts.DISCONNECT;
    const add = (accountId: string, logGroupName: string, group: GroupKind, estimatedEvents: number) =>
      sources.push({ accountId, logGroupName, estimatedEvents: Math.ceil(estimatedEvents), eventsIn: (from, to, out) => plan.eventsIn(group, from, to, out) });
    if (plan.executionGroup) add(plan.account.accountId, plan.executionGroup, { kind: 'execution' }, events * 8);
    if (plan.accessGroup) add(plan.account.accountId, plan.accessGroup, { kind: 'access' }, events);
    for (const { fn, share } of plan.functions()) add(fn.accountId, `/aws/lambda/${fn.name}`, { kind: 'lambda', functionArn: fn.arn }, events * share * 4);
  }
  return sources;
}

/** Every event of every WebSocket spec (its stage's detailed-metrics setting beside it): what the sandbox's metrics are summed from. */
export function* websocketEvents(scenario: Scenario): Generator<{ facts: WsEventFacts; accountId: string; detailed: (routeKey: string) => boolean }> {
  for (const spec of scenario.websocketTraffic) {
    const plan = planOf(spec, scenario);
    if (!plan) continue;
    const stage = plan.stage;
    const detailed = (routeKey: string) => stage.RouteSettings?.[routeKey]?.DetailedMetricsEnabled ?? stage.DefaultRouteSettings?.DetailedMetricsEnabled ?? false;
    for (const facts of plan.allFacts()) yield { facts, accountId: plan.account.accountId, detailed };
  }
}

/** Connects, messages and disconnects per minute of one spec: what ConnectCount and MessageCount would say. */
export interface WebsocketMinute {
  minute: number;
  connects: number;
  messages: number;
  disconnects: number;
}

/**
 * The ground truth of a spec's volume, minute by minute (for the metrics generator and its ±5%
 * check): the same arrival times the logs are written with.
 */
export function websocketMinuteCounts(spec: WebsocketTrafficSpec, scenario: Scenario): WebsocketMinute[] {
  const plan = planOf(spec, scenario);
  if (!plan) return [];
  const minutes = new Map<number, WebsocketMinute>();
  for (const stream of ['CONNECT', 'MESSAGE', 'DISCONNECT'] as const) {
    const n = plan.counts[stream];
    for (let i = 0; i < n; i++) {
      const random = createRandom(requestSeed(spec.seed ^ SALT[stream], i));
      const time = plan.start + Math.floor(((i + random.next()) * plan.span) / n);
      const minute = time - (time % 60_000);
      const row = minutes.get(minute) ?? { minute, connects: 0, messages: 0, disconnects: 0 };
      if (stream === 'CONNECT') row.connects += 1;
      else if (stream === 'MESSAGE') row.messages += 1;
      else row.disconnects += 1;
      minutes.set(minute, row);
    }
  }
  return [...minutes.values()].sort((a, b) => a.minute - b.minute);
}
