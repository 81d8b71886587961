import type { AccessLogRecord, HttpRouteEvidence, HttpStageEvidence, LogLine } from '../../core/evidence.js';
import { accessField } from '../execution-log-classifier.js';
import { coverageRow, evidenceOf } from '../helpers.js';
import type { RuleInput } from '../types.js';

/**
 * One WebSocket event as the logs tell it: a CONNECT (the handshake), a MESSAGE (a client frame
 * routed to an integration) or a DISCONNECT. Read from the access log (one record per event,
 * `$context.eventType`, DG websocket-api-logging) or, for a stage without one, from the execution
 * log (the lines of one request id).
 */
export type EventType = 'CONNECT' | 'MESSAGE' | 'DISCONNECT';

export interface WsEvent {
  timestamp: number;
  eventType?: EventType;
  /** The route that ran; absent when none matched (or the log does not say). */
  routeKey?: string;
  status?: number;
  connectionId?: string;
  /** Epoch ms the connection opened (`$context.connectedAt`). */
  connectedAt?: number;
  errorMessage?: string;
  responseType?: string;
  integrationError?: string;
  authorizerError?: string;
  authorizerStatus?: number;
  /** What the integration answered (`$context.integration.status`). */
  integrationStatus?: number;
  integrationLatency?: number;
  callerArn?: string;
  /** Every text of the event that may say why it failed (access-log error fields, execution-log lines). */
  texts: string[];
}

export interface StageEvents {
  stage: string;
  source: 'logs.access' | 'logs.execution';
  events: WsEvent[];
  /** The events read stand for `scale` times as many over the window (a capped read). */
  scale: number;
  /** True when the events are every event of the window. */
  whole: boolean;
  /** Counts over the whole window per 5 minutes by event type, route and status (Logs Insights), when read. */
  windowCounts?: { bucket: string; eventType: string; routeKey: string; status: number; count: number }[];
  /** Execution-log events at ERROR level: only failures are written, the traffic is unknown. */
  failuresOnly?: boolean;
}

const num = (value: string | undefined): number | undefined => {
  if (value === undefined) return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
};

const EVENT_TYPES: ReadonlySet<string> = new Set(['CONNECT', 'MESSAGE', 'DISCONNECT']);

function fromRecord(record: AccessLogRecord): WsEvent {
  const eventType = accessField(record, 'eventType')?.toUpperCase();
  const event: WsEvent = { timestamp: record.timestamp, texts: [] };
  if (eventType && EVENT_TYPES.has(eventType)) event.eventType = eventType as EventType;
  const set = <K extends keyof WsEvent>(key: K, value: WsEvent[K] | undefined) => {
    if (value !== undefined) event[key] = value;
  };
  set('routeKey', accessField(record, 'routeKey'));
  set('status', record.status ?? num(accessField(record, 'status')));
  set('connectionId', accessField(record, 'connectionId'));
  set('connectedAt', num(accessField(record, 'connectedAt')));
  set('errorMessage', accessField(record, 'error.message', 'error.messageString')?.replace(/^"|"$/g, ''));
  set('responseType', accessField(record, 'error.responseType'));
  set('integrationError', accessField(record, 'integrationErrorMessage', 'integration.error'));
  set('authorizerError', accessField(record, 'authorizer.error'));
  set('authorizerStatus', num(accessField(record, 'authorizer.status')));
  set('integrationStatus', num(accessField(record, 'integration.status')));
  set('integrationLatency', num(accessField(record, 'integration.latency', 'integrationLatency')));
  set('callerArn', accessField(record, 'identity.userArn', 'identity.caller'));
  event.texts = [event.errorMessage, event.integrationError, event.authorizerError].filter((t): t is string => Boolean(t));
  return event;
}

const REQUEST_ID = /^\(([^)]+)\) (.*)$/s;
const ROUTE = /^WebSocket Request Route: \[(.*)\]$/;
const GATEWAY_STATUS = /Gateway response type: \S+ with status code: (\d{3})/;
const RESPONSE_STATUS = /with (?:integration )?response status code \[(\d{3})\]/;

/** One execution-log request: its lines grouped by the `(request id)` prefix. */
function fromExecutionLines(lines: LogLine[]): WsEvent[] {
  const byId = new Map<string, { first: number; texts: string[] }>();
  for (const line of lines) {
    const match = REQUEST_ID.exec(line.message);
    if (!match) continue;
    const id = match[1] as string;
    const request = byId.get(id) ?? { first: line.timestamp, texts: [] };
    request.texts.push(match[2] as string);
    byId.set(id, request);
  }
  return [...byId.values()].map(({ first, texts }) => {
    const event: WsEvent = { timestamp: first, texts: [] };
    for (const text of texts) {
      const route = ROUTE.exec(text)?.[1];
      if (route) event.routeKey = route;
      if (/is connecting to WebSocket API/.test(text)) event.eventType = 'CONNECT';
      else if (/received message from client/.test(text)) event.eventType = 'MESSAGE';
      else if (/disconnected from API/.test(text)) event.eventType = 'DISCONNECT';
      const status = GATEWAY_STATUS.exec(text)?.[1] ?? (event.eventType === 'DISCONNECT' ? undefined : RESPONSE_STATUS.exec(text)?.[1]);
      if (status) event.status = Number(status);
      if (connectedSuccessfully(text)) event.status ??= 200;
    }
    if (event.eventType === 'DISCONNECT') event.status ??= 200;
    // An ERROR-level log keeps only failure lines: authorization happens only on $connect.
    event.eventType ??= event.routeKey === '$connect' || texts.some((t) => /Unauthorized request|[Aa]uthorizer|execute-api:Invoke/.test(t)) ? 'CONNECT' : 'MESSAGE';
    event.texts = texts;
    return event;
  });
}

function scaleOf(input: RuleInput, source: string): number {
  const truncated = coverageRow(input, source)?.truncated;
  return truncated && truncated.kept > 0 && truncated.total > truncated.kept ? truncated.total / truncated.kept : 1;
}

const cache = new WeakMap<RuleInput, StageEvents[]>();

/**
 * The events of each stage in scope, from its access log, else its execution log. Computed once
 * per evaluation (every W rule reads them).
 */
export function stageEvents(input: RuleInput): StageEvents[] {
  const cached = cache.get(input);
  if (cached) return cached;
  const inScope = (stage: string) => !input.target.stage || stage === input.target.stage;
  const out: StageEvents[] = [];
  const withAccess = new Set<string>();
  const accessScale = scaleOf(input, 'logs.access');
  for (const log of evidenceOf(input, 'logs.access') ?? []) {
    if (!inScope(log.stage) || log.records.length === 0) continue;
    withAccess.add(log.stage);
    const routes = log.counts?.routes;
    out.push({
      stage: log.stage,
      source: 'logs.access',
      events: log.records.map(fromRecord),
      scale: accessScale,
      whole: accessScale === 1 && !log.period,
      // The access format's eventType and routeKey stand where REST's method and path do (sources/logs/window-counts.ts).
      ...(routes ? { windowCounts: routes.map((r) => ({ bucket: r.bucket, eventType: r.method, routeKey: r.path, status: r.status, count: r.count })) } : {}),
    });
  }
  const executionScale = scaleOf(input, 'logs.execution');
  const stages = evidenceOf(input, 'apigwv2.stages') ?? [];
  for (const log of evidenceOf(input, 'logs.execution') ?? []) {
    if (!inScope(log.stage) || withAccess.has(log.stage) || log.lines.length === 0) continue;
    const stage = stages.find((s) => s.stageName === log.stage);
    out.push({
      stage: log.stage,
      source: 'logs.execution',
      events: fromExecutionLines(log.lines),
      // Error lines of the whole window are all read; the healthy ones are the newest.
      scale: 1,
      whole: executionScale === 1 && !log.period,
      ...(stage?.defaultRouteSettings?.loggingLevel === 'ERROR' ? { failuresOnly: true } : {}),
    });
  }
  cache.set(input, out);
  return out;
}

/** The stages in scope of a WebSocket API. */
export function wsStages(input: RuleInput): HttpStageEvidence[] {
  const stages = evidenceOf(input, 'apigwv2.stages') ?? [];
  return input.target.stage ? stages.filter((s) => s.stageName === input.target.stage) : stages;
}

export function wsRoutes(input: RuleInput): HttpRouteEvidence[] {
  return evidenceOf(input, 'apigwv2.routes')?.routes ?? [];
}

/** The routes clients send messages to (not the lifecycle routes `$connect` and `$disconnect`). */
export function isMessageRoute(routeKey: string): boolean {
  return routeKey !== '$connect' && routeKey !== '$disconnect';
}

/** `... connected to API [<id>] successfully`, found without a regular expression (no backtracking over long lines). */
function connectedSuccessfully(text: string): boolean {
  const open = text.indexOf('connected to API [');
  if (open < 0) return false;
  const close = text.indexOf(']', open + 18);
  return close >= 0 && text.startsWith('] successfully', close);
}
