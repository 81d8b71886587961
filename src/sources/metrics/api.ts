import type { MetricName, MetricScope, MetricsEvidence } from '../../core/evidence.js';
import { apiNameDimension } from '../../core/metric-dimensions.js';
import { plural } from '../cross-account.js';
import { recordAnswers } from '../record.js';
import { writeCloudwatchAnswer } from './record.js';
import { defineSource, type SourceContext } from '../types.js';
import { formatCount as count, listDimensionSets, metricPeriod, readNotes, readSeries, totalOf, type SeriesRequest } from './read.js';

const NAMESPACE = 'AWS/ApiGateway';

/** REST and HTTP name the same series differently (DG api-gateway-metrics-and-dimensions, http-api-metrics). */
const REST_METRICS: [MetricName, string, string][] = [
  ['requests', 'Count', 'Sum'],
  ['4xx', '4XXError', 'Sum'],
  ['5xx', '5XXError', 'Sum'],
  ['latency_p99', 'Latency', 'p99'],
  ['integration_latency_p99', 'IntegrationLatency', 'p99'],
];
const HTTP_METRICS: [MetricName, string, string][] = [
  ['requests', 'Count', 'Sum'],
  ['4xx', '4xx', 'Sum'],
  ['5xx', '5xx', 'Sum'],
  ['latency_p99', 'Latency', 'p99'],
  ['integration_latency_p99', 'IntegrationLatency', 'p99'],
];
/**
 * WebSocket APIs have no Count and no 4xx/5xx (DG apigateway-websocket-api-logging): connections
 * reaching $connect's integration, messages from and to clients, and errors by who failed.
 */
const WEBSOCKET_METRICS: [MetricName, string, string][] = [
  ['connects', 'ConnectCount', 'Sum'],
  ['messages', 'MessageCount', 'Sum'],
  ['client_errors', 'ClientError', 'Sum'],
  ['integration_errors', 'IntegrationError', 'Sum'],
  ['execution_errors', 'ExecutionError', 'Sum'],
  ['integration_latency_p99', 'IntegrationLatency', 'p99'],
];

/** What each kind's metrics are called and keyed by, and the words of a stage's totals. */
interface Kind {
  metrics: [MetricName, string, string][];
  /** The metrics whose dimension sets are listed (every metric of a kind is published for the same sets, per event type). */
  listed: string[];
  /** The metrics that say traffic reached the stage. */
  traffic: MetricName[];
  totals: (total: (m: MetricName) => string) => string;
}

const REST_KIND: Kind = { metrics: REST_METRICS, listed: ['Count'], traffic: ['requests'], totals: (t) => `${t('requests')} requests, ${t('4xx')} 4xx, ${t('5xx')} 5xx` };
const HTTP_KIND: Kind = { ...REST_KIND, metrics: HTTP_METRICS };
const WEBSOCKET_KIND: Kind = {
  metrics: WEBSOCKET_METRICS,
  // A stage with only refused handshakes has no ConnectCount: its sets are found through the errors too.
  listed: ['ConnectCount', 'MessageCount', 'ClientError'],
  traffic: ['connects', 'messages', 'client_errors'],
  totals: (t) => `${t('connects')} connects, ${t('messages')} messages, ${t('client_errors')} client errors, ${t('integration_errors')} integration errors, ${t('execution_errors')} execution errors`,
};

/**
 * A route-level dimension set, whichever names it uses: `Route` (older pages), or `Method` and
 * `Resource` (REST, and HTTP's current pages). Undefined for any other set.
 */
export function routeOfDimensions(dims: Record<string, string>): string | undefined {
  if (dims.Route) return dims.Route;
  if (dims.Method && dims.Resource) return dims.Resource === '$default' ? '$default' : `${dims.Method} ${dims.Resource}`;
  return undefined;
}

function requestsFor(dims: Record<string, string>, scope: MetricScope, metrics: [MetricName, string, string][]): SeriesRequest[] {
  return metrics.map(([metric, metricName, stat]) => ({ metric, scope, namespace: NAMESPACE, metricName, dimensions: dims, stat }));
}

/**
 * API Gateway's own counts per minute, per stage and (with detailed metrics) per route: exact
 * request, 4xx and 5xx counts over the whole window, free of any sampling, and the timeline the
 * counting model reads the onset from. Which dimension sets exist is asked of ListMetrics first
 * (only `Count`: every metric is published for the same sets), so a route-level set is read under
 * the names CloudWatch really holds; then one round of GetMetricData calls reads them all.
 */
export const metricsApiSource = defineSource({
  id: 'metrics.api',
  title: 'API Gateway metrics',
  // The REST API's name keys its metrics; the runner keeps only the ids of the set it runs.
  dependsOn: ['apigw.rest-api', 'apigwv2.api'],
  calls: { chain: 2, why: 'GetMetricData reads the dimension sets ListMetrics finds (the stages, routes and resources CloudWatch really holds)' },
  async run(ctx) {
    // HTTP and WebSocket metrics are keyed by the API's id, REST ones by its name.
    const v2 = ctx.target.apiType === 'HTTP' || ctx.target.apiType === 'WEBSOCKET';
    const kind = ctx.target.apiType === 'WEBSOCKET' ? WEBSOCKET_KIND : v2 ? HTTP_KIND : REST_KIND;
    const apiId = ctx.target.restApiId;
    const name = ctx.evidence['apigw.rest-api']?.name;
    const key: Record<string, string> = v2 ? { ApiId: apiId } : { ApiName: apiNameDimension(name ?? apiId, apiId) };
    const keyText = v2 ? `ApiId ${apiId}` : `ApiName ${key.ApiName}`;
    const listed = await Promise.all(kind.listed.map((metric) => listDimensionSets(ctx.aws.cloudwatch, NAMESPACE, metric, key, ctx.limits)));
    const seen = new Set<string>();
    const sets = listed.flatMap((l) => l.sets).filter((dims) => {
      const id = JSON.stringify(Object.entries(dims).sort());
      return !seen.has(id) && Boolean(seen.add(id));
    });
    const inScope = sets.filter((dims) => dims.Stage !== undefined && (!ctx.target.stage || dims.Stage === ctx.target.stage));
    const stages = [...new Set(inScope.map((d) => d.Stage as string))].sort();
    if (stages.length === 0) {
      const wanted = ctx.target.stage ? ` stage ${ctx.target.stage}` : '';
      return {
        status: 'empty',
        evidence: evidenceOf(ctx, []),
        reason: `no API Gateway metrics for ${keyText}${wanted} (ListMetrics lists a metric only after it had data in the last two weeks): no requests reached it`,
      };
    }
    const metrics = kind.metrics;
    const requests: SeriesRequest[] = [];
    const routeCounts = new Map<string, number>();
    for (const dims of inScope) {
      const stage = dims.Stage as string;
      const others = Object.keys(dims).filter((k) => k !== 'Stage' && !(k in key));
      if (others.length === 0) {
        requests.push(...requestsFor(dims, { kind: 'stage', name: stage }, metrics));
        continue;
      }
      const route = routeOfDimensions(dims);
      if (!route) continue;
      routeCounts.set(stage, (routeCounts.get(stage) ?? 0) + 1);
      requests.push(...requestsFor(dims, { kind: 'route', name: route, stage }, metrics));
    }
    const read = await readSeries(ctx.aws.cloudwatch, requests, ctx.window, ctx.limits);
    const evidence = evidenceOf(ctx, read.series);
    evidence.detailed = stages.map((stage) => ({ stage, enabled: (routeCounts.get(stage) ?? 0) > 0 }));
    const parts = stages.map((stage) => {
      const total = (m: MetricName) => count(totalOf(read.series, m, { kind: 'stage', name: stage }));
      const routes = routeCounts.get(stage) ?? 0;
      const perRoute = routes > 0 ? `, per route for ${plural(routes, 'route')}` : ' (detailed metrics off: per-route counts come from logs)';
      return `${stage}: ${kind.totals(total)}${perRoute}`;
    });
    const traffic = (metric: MetricName, scope: MetricScope) => kind.traffic.includes(metric) && scope.kind === 'stage';
    const requestsSeen = read.series.filter((s) => traffic(s.metric, s.scope)).reduce((n, s) => n + (s.total ?? 0), 0);
    const notes = readNotes(read);
    if (listed.some((l) => l.truncated)) notes.push('ListMetrics was read in part (page or item cap): some stages or routes may be missing');
    const suffix = notes.length ? `; ${notes.join('; ')}` : '';
    // Requests CloudWatch did not answer are unknown, not none: the row is never "empty" on them.
    const empty = requestsSeen === 0 && !read.unread.some((s) => traffic(s.metric, s.scope));
    return {
      status: empty ? 'empty' : 'ok',
      evidence,
      count: read.series.length,
      reason: `${empty ? `no ${ctx.target.apiType === 'WEBSOCKET' ? 'connections or messages' : 'requests'} in the window; ` : ''}${parts.join('; ')}${suffix}`,
    };
  },
  record: recordAnswers(writeCloudwatchAnswer),
});

export function evidenceOf(ctx: SourceContext, series: MetricsEvidence['series']): MetricsEvidence {
  const period = metricPeriod(ctx.window);
  return {
    ...(ctx.aws.accountId ? { accountId: ctx.aws.accountId } : {}),
    region: ctx.aws.region,
    from: new Date(period.from).toISOString(),
    until: new Date(period.until).toISOString(),
    series,
  };
}
