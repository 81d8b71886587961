import { compileAccessLogFormat, requestTime } from './access-log.js';
import { createRandom } from './prng.js';
import type { Scenario, ScenarioAccount, ScenarioHttpApi } from './scenario.js';
import { groupNameFromArn, type GeneratedBatch } from './traffic.js';

/**
 * Expands `httpTraffic[]` into the access log lines an HTTP API stage would have written, in the
 * stage's own `AccessLogSettings.Format`. HTTP APIs write no execution logs, so access logs are all
 * there is. Each outcome states the `$context` values that differ from a plain success (an
 * `integrationErrorMessage`, an `authorizer.error`...); everything else is filled in per request.
 * Seeded, like the REST traffic generator, so the same scenario always gives the same lines.
 */
export type HttpTrafficSpec = Scenario['httpTraffic'][number];

const DEFAULT_WINDOW_MS = 2 * 3600_000;
const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** One request of an HTTP API spec: where it went and the `$context` values its access-log record holds. */
export interface HttpRequest {
  spec: HttpTrafficSpec;
  accountId: string;
  apiId: string;
  api: ScenarioHttpApi;
  stage: NonNullable<ScenarioHttpApi['stages']>[number];
  /** Arrival (epoch ms); the record is written when the response went out. */
  time: number;
  route: HttpTrafficSpec['routes'][number];
  status: number;
  values: Record<string, string | number | undefined>;
  /** The access-log stream it is written to, by index. */
  stream: number;
}

/** The caller's address: the spec's own list (scanners come from a few), else one of 198.51.100.0/24. */
function ipOf(spec: HttpTrafficSpec, draw: number): string {
  return spec.sourceIps ? (spec.sourceIps[draw % spec.sourceIps.length] as string) : `198.51.100.${draw}`;
}

/** Every request of one spec, drawn from its seed (and its log streams' names); none when the API or stage does not exist. */
export function httpRequestsOf(spec: HttpTrafficSpec, scenario: Scenario): { requests: HttpRequest[]; streams: string[] } {
  const account: ScenarioAccount | undefined = spec.account ? scenario.accounts.find((a) => a.accountId === spec.account) : scenario.accounts[0];
  const apiId = spec.apiId ?? scenario.apiId;
  const api: ScenarioHttpApi | undefined = account?.apigatewayv2?.apis?.find((a) => a.ApiId === apiId);
  const stage = api?.stages?.find((s) => s.StageName === spec.stage);
  // No stage: the requests leave no trace in logs or metrics, which is itself the evidence.
  if (!account || !api || !stage || spec.requests === 0) return { requests: [], streams: [] };
  const random = createRandom(spec.seed);
  const streams = Array.from({ length: 4 }, () => random.hex(32));
  const end = (spec.end ?? scenario.now).getTime();
  const start = (spec.start ?? new Date(end - DEFAULT_WINDOW_MS)).getTime();
  const span = Math.max(1, end - start);
  const requests: HttpRequest[] = [];
  for (let i = 0; i < spec.requests; i++) {
    const time = start + Math.floor(((i + random.next()) * span) / spec.requests);
    const route = random.pick(spec.routes);
    const outcome = random.pick(spec.outcomes);
    // `$context.requestId` of an HTTP API is short base64, the `apigw-requestid` header's value.
    const requestId = `${Array.from({ length: 15 }, () => BASE64[random.int(0, 63)]).join('')}=`;
    const integrationLatency = random.int(8, 180);
    const success = outcome.status < 400;
    const values: Record<string, string | number | undefined> = {
      requestId,
      extendedRequestId: requestId,
      apiId,
      accountId: account.accountId,
      // The default endpoint; an outcome's context names a custom domain instead.
      domainName: `${apiId}.execute-api.${scenario.region}.amazonaws.com`,
      domainPrefix: apiId,
      stage: spec.stage,
      'identity.sourceIp': ipOf(spec, random.int(1, 254)),
      'identity.userAgent': 'curl/8.5.0',
      requestTime: requestTime(time),
      requestTimeEpoch: time,
      httpMethod: route.method,
      routeKey: route.routeKey ?? `${route.method} ${route.path}`,
      path: spec.stage === '$default' ? route.path : `/${spec.stage}${route.path}`,
      protocol: 'HTTP/1.1',
      status: outcome.status,
      responseLength: success ? random.int(40, 900) : 26,
      'integration.status': success ? outcome.status : undefined,
      integrationStatus: success ? 200 : undefined,
      'integration.integrationStatus': success ? 200 : undefined,
      'integration.latency': success ? integrationLatency : undefined,
      integrationLatency: success ? integrationLatency : undefined,
      responseLatency: integrationLatency + random.int(1, 9),
      'integration.requestId': success ? random.uuid() : undefined,
      ...outcome.context,
    };
    if (values.integrationErrorMessage !== undefined && values['integration.error'] === undefined) values['integration.error'] = values.integrationErrorMessage;
    requests.push({ spec, accountId: account.accountId, apiId, api, stage, time, route, status: outcome.status, values, stream: i });
  }
  return { requests, streams };
}

function expandOne(spec: HttpTrafficSpec, scenario: Scenario, out: Map<string, GeneratedBatch>): void {
  const { requests, streams } = httpRequestsOf(spec, scenario);
  const first = requests[0];
  const group = groupNameFromArn(first?.stage.AccessLogSettings?.DestinationArn);
  const format = first?.stage.AccessLogSettings?.Format;
  // No access logging: the requests leave no log, which is itself the evidence.
  if (!first || !group || !format) return;
  const render = compileAccessLogFormat(format);
  const key = `${first.accountId}\u0000${group}`;
  const batch = out.get(key) ?? { accountId: first.accountId, logGroupName: group, events: [] };
  out.set(key, batch);
  for (const request of requests) {
    const latency = Number(request.values.responseLatency ?? 0);
    batch.events.push({ timestamp: request.time + latency, message: render(request.values), logStreamName: streams[request.stream % streams.length] as string, order: request.stream });
  }
}

export function generateHttpTraffic(scenario: Scenario): GeneratedBatch[] {
  const out = new Map<string, GeneratedBatch>();
  for (const spec of scenario.httpTraffic) expandOne(spec, scenario, out);
  return [...out.values()];
}
