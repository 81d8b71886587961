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

function expandOne(spec: HttpTrafficSpec, scenario: Scenario, out: Map<string, GeneratedBatch>): void {
  const account: ScenarioAccount | undefined = spec.account ? scenario.accounts.find((a) => a.accountId === spec.account) : scenario.accounts[0];
  const apiId = spec.apiId ?? scenario.apiId;
  const api: ScenarioHttpApi | undefined = account?.apigatewayv2?.apis?.find((a) => a.ApiId === apiId);
  const stage = api?.stages?.find((s) => s.StageName === spec.stage);
  const group = groupNameFromArn(stage?.AccessLogSettings?.DestinationArn);
  const format = stage?.AccessLogSettings?.Format;
  // No stage, no access logging: the requests leave no trace, which is itself the evidence.
  if (!account || !api || !stage || !group || !format || spec.requests === 0) return;
  const render = compileAccessLogFormat(format);
  const random = createRandom(spec.seed);
  const end = (spec.end ?? scenario.now).getTime();
  const start = (spec.start ?? new Date(end - DEFAULT_WINDOW_MS)).getTime();
  const span = Math.max(1, end - start);
  const key = `${account.accountId}\u0000${group}`;
  const batch = out.get(key) ?? { accountId: account.accountId, logGroupName: group, events: [] };
  out.set(key, batch);
  const streams = Array.from({ length: 4 }, () => random.hex(32));
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
      stage: spec.stage,
      'identity.sourceIp': `198.51.100.${random.int(1, 254)}`,
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
    const latency = Number(values.responseLatency ?? 0);
    batch.events.push({ timestamp: time + latency, message: render(values), logStreamName: streams[i % streams.length] as string, order: i });
  }
}

export function generateHttpTraffic(scenario: Scenario): GeneratedBatch[] {
  const out = new Map<string, GeneratedBatch>();
  for (const spec of scenario.httpTraffic) expandOne(spec, scenario, out);
  return [...out.values()];
}
