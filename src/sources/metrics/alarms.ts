import { DescribeAlarmsCommand, type MetricAlarm } from '@aws-sdk/client-cloudwatch';
import type { AlarmEvidence, MetricScope } from '../../core/evidence.js';
import { listText, plural } from '../cross-account.js';
import { collectPages } from '../paginate.js';
import { recordAnswers } from '../record.js';
import { writeCloudwatchAnswer } from './record.js';
import { defineSource, type SourceContext } from '../types.js';
import { apiNameDimension } from '../../core/metric-dimensions.js';
import { routeOfDimensions } from './api.js';

/** What an alarm's dimensions point at, in firebreak's terms. */
export function watchedScope(namespace: string | undefined, dims: Record<string, string>): MetricScope | undefined {
  if (namespace === 'AWS/Lambda' && dims.FunctionName) return { kind: 'function', name: dims.FunctionName };
  if (namespace === 'AWS/WAFV2' && dims.WebACL) return dims.Rule && dims.Rule !== 'ALL' ? { kind: 'rule', name: dims.Rule } : { kind: 'web-acl', name: dims.WebACL };
  if (namespace === 'AWS/ApiGateway') {
    const route = routeOfDimensions(dims);
    if (route && dims.Stage) return { kind: 'route', name: route, stage: dims.Stage };
    if (dims.Stage) return { kind: 'stage', name: dims.Stage };
    if (dims.ApiName || dims.ApiId) return { kind: 'api', name: dims.ApiName ?? dims.ApiId ?? '' };
  }
  return undefined;
}

const dimsOf = (list: { Name?: string | undefined; Value?: string | undefined }[] | undefined): Record<string, string> =>
  Object.fromEntries((list ?? []).filter((d) => d.Name).map((d) => [d.Name as string, d.Value ?? '']));

/** The metrics an alarm watches: its own, or (math and anomaly alarms) those of its queries. */
function watchedMetrics(alarm: MetricAlarm): { namespace?: string; metricName?: string; dims: Record<string, string> }[] {
  if (alarm.Namespace || alarm.MetricName) return [{ ...(alarm.Namespace ? { namespace: alarm.Namespace } : {}), ...(alarm.MetricName ? { metricName: alarm.MetricName } : {}), dims: dimsOf(alarm.Dimensions) }];
  return (alarm.Metrics ?? []).flatMap((q) => {
    const metric = q.MetricStat?.Metric;
    return metric ? [{ ...(metric.Namespace ? { namespace: metric.Namespace } : {}), ...(metric.MetricName ? { metricName: metric.MetricName } : {}), dims: dimsOf(metric.Dimensions) }] : [];
  });
}

/** Which of the investigation's resources an alarm is about: the API, one of its functions, its web ACL. */
function matcher(ctx: SourceContext): (m: { namespace?: string; dims: Record<string, string> }) => boolean {
  const apiId = ctx.target.restApiId;
  const name = ctx.evidence['apigw.rest-api']?.name;
  const apiName = name ? apiNameDimension(name, apiId) : undefined;
  const functions = new Set((ctx.evidence['lambda.functions'] ?? []).map((f) => f.functionName));
  const acls = new Set((ctx.evidence['waf.web-acl'] ?? []).flatMap((a) => [a.metricName, a.name].filter((n): n is string => Boolean(n))));
  return ({ namespace, dims }) => {
    if (namespace === 'AWS/ApiGateway') return dims.ApiId === apiId || (apiName !== undefined && dims.ApiName === apiName);
    if (namespace === 'AWS/Lambda') return dims.FunctionName !== undefined && functions.has(dims.FunctionName);
    if (namespace === 'AWS/WAFV2') return dims.WebACL !== undefined && acls.has(dims.WebACL);
    return false;
  };
}

export function toAlarmEvidence(alarm: MetricAlarm): AlarmEvidence {
  const watched = watchedMetrics(alarm)[0];
  const since = alarm.StateTransitionedTimestamp ?? alarm.StateUpdatedTimestamp;
  const scope = watched ? watchedScope(watched.namespace, watched.dims) : undefined;
  const statistic = alarm.ExtendedStatistic ?? alarm.Statistic;
  return {
    alarmName: alarm.AlarmName ?? '',
    alarmArn: alarm.AlarmArn ?? '',
    state: (alarm.StateValue as AlarmEvidence['state'] | undefined) ?? 'INSUFFICIENT_DATA',
    ...(alarm.StateReason ? { stateReason: alarm.StateReason } : {}),
    ...(since ? { since: new Date(since).toISOString() } : {}),
    ...(watched?.namespace ? { namespace: watched.namespace } : {}),
    ...(watched?.metricName ? { metricName: watched.metricName } : {}),
    dimensions: watched?.dims ?? {},
    ...(statistic ? { statistic } : {}),
    ...(alarm.Threshold !== undefined ? { threshold: alarm.Threshold } : {}),
    ...(alarm.ComparisonOperator ? { comparisonOperator: alarm.ComparisonOperator } : {}),
    ...(alarm.Period !== undefined ? { periodSeconds: alarm.Period } : {}),
    ...(alarm.EvaluationPeriods !== undefined ? { evaluationPeriods: alarm.EvaluationPeriods } : {}),
    ...(scope ? { watches: scope } : {}),
  };
}

const STATE_ORDER: Record<AlarmEvidence['state'], number> = { ALARM: 0, INSUFFICIENT_DATA: 1, OK: 2 };

/**
 * CloudWatch alarms on the API, its functions and its web ACL, with their state and since when
 * (StateTransitionedTimestamp: when the state last changed, not when it was last evaluated).
 * DescribeAlarms has no filter by dimension, so the account's metric alarms are listed (100 a
 * page, up to the page cap) and matched here; composite alarms need a `*`-scoped permission and
 * watch no metric of their own, so they are left out.
 */
export const metricsAlarmsSource = defineSource({
  id: 'metrics.alarms',
  title: 'CloudWatch alarms',
  // Alarms are matched to the API by its name (REST) or id: without the API there is nothing to match.
  dependsOn: ['apigw.rest-api', 'apigwv2.api'],
  after: ['lambda.functions', 'waf.web-acl'],
  calls: { chain: 1 },
  async run(ctx) {
    const read = await collectPages(async (token) => {
      const out = await ctx.aws.cloudwatch.send(new DescribeAlarmsCommand({ AlarmTypes: ['MetricAlarm'], MaxRecords: 100, ...(token ? { NextToken: token } : {}) }));
      return { items: out.MetricAlarms ?? [], ...(out.NextToken ? { next: out.NextToken } : {}) };
    }, { maxPages: ctx.limits.maxPages, maxItems: Number.MAX_SAFE_INTEGER });
    const relevant = matcher(ctx);
    const evidence = read.items
      .filter((alarm) => watchedMetrics(alarm).some(relevant))
      .map(toAlarmEvidence)
      .sort((a, b) => STATE_ORDER[a.state] - STATE_ORDER[b.state] || a.alarmName.localeCompare(b.alarmName));
    const unread = read.truncated ? `; stopped after ${plural(read.pages, 'page')} (more alarms not read)` : '';
    if (evidence.length === 0) {
      return {
        status: 'empty',
        evidence,
        count: 0,
        reason: `no CloudWatch alarm watches the API, its functions or its web ACL (${plural(read.items.length, 'metric alarm')} in the account)${unread}`,
        ...(read.truncated ? { truncated: read.truncated } : {}),
      };
    }
    const firing = evidence.filter((a) => a.state === 'ALARM');
    const describe = (a: AlarmEvidence) => `${a.alarmName} ${a.state}${a.since ? ` since ${a.since.slice(11, 16)}` : ''}`;
    return {
      status: 'ok',
      evidence,
      count: evidence.length,
      reason: `${plural(evidence.length, 'alarm')}${firing.length ? `, ${firing.length} in ALARM` : ''}: ${listText(evidence.map(describe), 6)}${unread}`,
      ...(read.truncated ? { truncated: read.truncated } : {}),
    };
  },
  record: recordAnswers(writeCloudwatchAnswer),
});
