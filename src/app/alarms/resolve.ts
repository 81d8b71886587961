import { GetResourcesCommand, GetRestApiCommand, GetRestApisCommand } from '@aws-sdk/client-api-gateway';
import { GetApiCommand, GetApisCommand, GetIntegrationsCommand } from '@aws-sdk/client-apigatewayv2';
import { GetWebACLCommand, ListResourcesForWebACLCommand, ListWebACLsCommand } from '@aws-sdk/client-wafv2';
import type { AwsClients } from '../../aws/clients.js';
import { parseAlarmArn, ruleChildren, watchedMetric, type AlarmChange, type AlarmMetric } from '../../core/alarm.js';
import { alarmFromDescription } from '../../core/alarm-parse.js';
import { routeFor, type AlarmRoute } from '../../core/alarm-routing.js';
import { lambdaArnFromUri } from '../../sources/apigw/lambda-uri.js';
import { parseLambdaArn } from '../../sources/lambda/arn.js';
import { collectPages } from '../../sources/paginate.js';
import { describeAlarm } from './describe.js';

/**
 * Which API an alarm is about, read-only, from what its metric names (reference §4.3):
 * `ApiId` (+`Stage`) → that API (HTTP, WebSocket or, when the name had no ASCII, REST);
 * `ApiName` (+`Stage`) → the REST API of that exact name; `FunctionName` → the API whose
 * integration calls the function; `WebACL` → the API stage the web ACL protects; a composite
 * alarm → its children. Every candidate is checked to exist before anything is posted.
 */
export interface AlarmApi {
  id: string;
  name?: string;
  type: 'REST' | 'HTTP' | 'WEBSOCKET';
  stage?: string;
}

export type ResolvedAlarm = { status: 'found'; api: AlarmApi; via: string } | { status: 'unknown'; reason: string };

const API_ID = /^[a-z0-9]{10}$/;
const MAX_PAGES = 20;
/** APIs scanned for a function's integrations: past this, ask for a mapping instead. */
const MAX_APIS = 60;
const PARALLEL_READS = 4;
const MAX_CHILDREN = 10;

const isNotFound = (err: unknown) => ['NotFoundException', 'WAFNonexistentItemException'].includes((err as { name?: string } | null)?.name ?? '');

/** The API with this id, REST or v2, or undefined when neither has it. */
export async function apiById(aws: AwsClients, id: string): Promise<AlarmApi | undefined> {
  if (!API_ID.test(id)) return undefined;
  try {
    const api = await aws.apigatewayv2.send(new GetApiCommand({ ApiId: id }));
    return { id, ...(api.Name ? { name: api.Name } : {}), type: api.ProtocolType === 'WEBSOCKET' ? 'WEBSOCKET' : 'HTTP' };
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
  try {
    const api = await aws.apigateway.send(new GetRestApiCommand({ restApiId: id }));
    return { id, ...(api.name ? { name: api.name } : {}), type: 'REST' };
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
  return undefined;
}

async function restApis(aws: AwsClients): Promise<{ id: string; name?: string }[]> {
  const pages = await collectPages(
    async (position) => {
      const res = await aws.apigateway.send(new GetRestApisCommand({ limit: 500, ...(position ? { position } : {}) }));
      return { items: (res.items ?? []).filter((a) => a.id).map((a) => ({ id: a.id as string, ...(a.name ? { name: a.name } : {}) })), ...(res.position ? { next: res.position } : {}) };
    },
    { maxItems: 10_000, maxPages: MAX_PAGES },
  );
  return pages.items;
}

async function v2Apis(aws: AwsClients): Promise<{ id: string; name?: string; type: 'HTTP' | 'WEBSOCKET' }[]> {
  const pages = await collectPages(
    async (token) => {
      const res = await aws.apigatewayv2.send(new GetApisCommand({ MaxResults: '500', ...(token ? { NextToken: token } : {}) }));
      return {
        items: (res.Items ?? []).filter((a) => a.ApiId).map((a) => ({ id: a.ApiId as string, ...(a.Name ? { name: a.Name } : {}), type: a.ProtocolType === 'WEBSOCKET' ? ('WEBSOCKET' as const) : ('HTTP' as const) })),
        ...(res.NextToken ? { next: res.NextToken } : {}),
      };
    },
    { maxItems: 10_000, maxPages: MAX_PAGES },
  );
  return pages.items;
}

/** Runs `work` over `items`, a few at a time (API Gateway's read rate is 10 per second). */
async function eachLimited<T, R>(items: readonly T[], work: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += PARALLEL_READS) out.push(...(await Promise.all(items.slice(i, i + PARALLEL_READS).map(work))));
  return out;
}

const functionNameOf = (arnOrName: string | undefined): string | undefined => (arnOrName ? (parseLambdaArn(arnOrName)?.functionName ?? arnOrName) : undefined);

async function restUsesFunction(aws: AwsClients, apiId: string, functionName: string): Promise<boolean> {
  const pages = await collectPages(
    async (position) => {
      const res = await aws.apigateway.send(new GetResourcesCommand({ restApiId: apiId, embed: ['methods'], limit: 500, ...(position ? { position } : {}) }));
      return { items: res.items ?? [], ...(res.position ? { next: res.position } : {}) };
    },
    { maxItems: 10_000, maxPages: MAX_PAGES },
  );
  return pages.items.some((resource) => Object.values(resource.resourceMethods ?? {}).some((method) => functionNameOf(lambdaArnFromUri(method.methodIntegration?.uri)) === functionName));
}

async function v2UsesFunction(aws: AwsClients, apiId: string, functionName: string): Promise<boolean> {
  const pages = await collectPages(
    async (token) => {
      const res = await aws.apigatewayv2.send(new GetIntegrationsCommand({ ApiId: apiId, MaxResults: '500', ...(token ? { NextToken: token } : {}) }));
      return { items: res.Items ?? [], ...(res.NextToken ? { next: res.NextToken } : {}) };
    },
    { maxItems: 10_000, maxPages: MAX_PAGES },
  );
  return pages.items.some((integration) => {
    const uri = integration.IntegrationUri;
    return functionNameOf(lambdaArnFromUri(uri) ?? uri) === functionName;
  });
}

/** Several candidates: the one a routing entry names explicitly, if exactly one is. */
function pickRouted<T extends AlarmApi>(candidates: T[], change: AlarmChange, routes: readonly AlarmRoute[]): T | undefined {
  if (candidates.length === 1) return candidates[0];
  const named = candidates.filter((c) => routeFor(change, c, routes.filter((r) => r.api !== undefined)));
  return named.length === 1 ? named[0] : undefined;
}

const list = (apis: AlarmApi[]) => apis.map((a) => `${a.id}${a.name ? ` (${a.name})` : ''}${a.stage ? ` / ${a.stage}` : ''}`).join(', ');

async function byFunction(aws: AwsClients, functionName: string, change: AlarmChange, routes: readonly AlarmRoute[]): Promise<ResolvedAlarm> {
  const [rest, v2] = await Promise.all([restApis(aws), v2Apis(aws)]);
  const all: AlarmApi[] = [...rest.map((a) => ({ ...a, type: 'REST' as const })), ...v2];
  if (all.length > MAX_APIS) return { status: 'unknown', reason: `function ${functionName}: ${all.length} APIs in ${aws.region} are too many to search; map the alarm to its API in alarms.mappings` };
  const uses = await eachLimited(all, (api) => (api.type === 'REST' ? restUsesFunction(aws, api.id, functionName) : v2UsesFunction(aws, api.id, functionName)));
  const candidates = all.filter((_, i) => uses[i]);
  if (candidates.length === 0) return { status: 'unknown', reason: `no API in ${aws.region} integrates with function ${functionName}` };
  const picked = pickRouted(candidates, change, routes);
  if (!picked) return { status: 'unknown', reason: `function ${functionName} is behind ${candidates.length} APIs (${list(candidates)}); name one in alarms.mappings or in a route's api` };
  return { status: 'found', api: picked, via: `function ${functionName}${candidates.length > 1 ? ` (of ${candidates.length} APIs, the routed one)` : ''}` };
}

const STAGE_ARN = /:\/restapis\/([a-z0-9]{10})\/stages\/([^/]+)$/;

async function byWebAcl(aws: AwsClients, metricName: string, dimensions: Record<string, string>, change: AlarmChange, routes: readonly AlarmRoute[]): Promise<ResolvedAlarm> {
  if (dimensions.Region === 'CloudFront') return { status: 'unknown', reason: `web ACL ${metricName} is a CloudFront ACL, not an API Gateway stage's` };
  const summaries: { Name?: string; Id?: string; ARN?: string }[] = [];
  let marker: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const res = await aws.wafv2.send(new ListWebACLsCommand({ Scope: 'REGIONAL', Limit: 100, ...(marker ? { NextMarker: marker } : {}) }));
    summaries.push(...(res.WebACLs ?? []));
    // WAF answers a NextMarker even on the last page; an empty page ends the list.
    if (!res.NextMarker || !res.WebACLs?.length) break;
    marker = res.NextMarker;
  }
  // The WebACL dimension is the ACL's VisibilityConfig.MetricName, most often its name.
  let acl = summaries.find((s) => s.Name === metricName);
  if (!acl) {
    const details = await eachLimited(summaries, async (s) => (s.ARN ? (await aws.wafv2.send(new GetWebACLCommand({ ARN: s.ARN }))).WebACL : undefined));
    acl = summaries.find((_, i) => details[i]?.VisibilityConfig?.MetricName === metricName);
  }
  if (!acl?.ARN) return { status: 'unknown', reason: `no regional web ACL in ${aws.region} has the metric name ${metricName}` };
  const res = await aws.wafv2.send(new ListResourcesForWebACLCommand({ WebACLArn: acl.ARN, ResourceType: 'API_GATEWAY' }));
  const stages = (res.ResourceArns ?? []).flatMap((arn) => {
    const match = STAGE_ARN.exec(arn);
    return match ? [{ id: match[1] as string, stage: match[2] as string }] : [];
  });
  const found = await eachLimited(stages, async (s): Promise<AlarmApi | undefined> => {
    const api = await apiById(aws, s.id);
    return api ? { ...api, stage: s.stage } : undefined;
  });
  const candidates = found.filter((a): a is AlarmApi => a !== undefined);
  if (candidates.length === 0) return { status: 'unknown', reason: `web ACL ${acl.Name ?? metricName} protects no API Gateway stage in ${aws.region}` };
  const picked = pickRouted(candidates, change, routes);
  if (!picked) return { status: 'unknown', reason: `web ACL ${acl.Name ?? metricName} protects ${candidates.length} API stages (${list(candidates)}); name one in alarms.mappings or in a route's api` };
  return { status: 'found', api: picked, via: `web ACL ${acl.Name ?? metricName}` };
}

async function byName(aws: AwsClients, name: string, stage: string | undefined): Promise<ResolvedAlarm> {
  // "If the APIName contains no ASCII characters, the API ID is used" (DG): try it as an id first.
  const asId = API_ID.test(name) ? await apiById(aws, name) : undefined;
  if (asId) return { status: 'found', api: { ...asId, ...(stage ? { stage } : {}) }, via: 'dimension ApiName (the API id)' };
  const matches = (await restApis(aws)).filter((a) => a.name === name);
  if (matches.length > 1) return { status: 'unknown', reason: `${matches.length} REST APIs are named "${name}" in ${aws.region} (${matches.map((m) => m.id).join(', ')}); their metrics are shared, map the alarm in alarms.mappings` };
  const [only] = matches;
  if (!only) return { status: 'unknown', reason: `no REST API is named "${name}" in ${aws.region}` };
  return { status: 'found', api: { id: only.id, name, type: 'REST', ...(stage ? { stage } : {}) }, via: 'dimension ApiName' };
}

async function byMetric(aws: AwsClients, metric: AlarmMetric, change: AlarmChange, routes: readonly AlarmRoute[]): Promise<ResolvedAlarm | undefined> {
  const d = metric.dimensions;
  const stage = d.Stage;
  if (d.ApiId) {
    const api = await apiById(aws, d.ApiId);
    if (!api) return { status: 'unknown', reason: `no API ${d.ApiId} in ${aws.region}` };
    return { status: 'found', api: { ...api, ...(stage ? { stage } : {}) }, via: 'dimension ApiId' };
  }
  if (d.ApiName) return byName(aws, d.ApiName, stage);
  if (d.FunctionName) return byFunction(aws, d.FunctionName, change, routes);
  if (d.WebACL) return byWebAcl(aws, d.WebACL, d, change, routes);
  return undefined;
}

function describeMetrics(change: AlarmChange): string {
  const metric = watchedMetric(change);
  if (!metric) return 'it names no metric';
  const dims = Object.entries(metric.dimensions).map(([k, v]) => `${k}=${v}`).join(' ');
  return `it watches ${[metric.namespace, metric.name ?? metric.expression].filter(Boolean).join(' ')}${dims ? ` ${dims}` : ''}`;
}

/**
 * The API an alarm watches, or why none was found. `aws` reads the alarm's own account and
 * Region; `routes` settle a function or web ACL shared by several APIs (the one a route names).
 */
export async function resolveAlarmApi(change: AlarmChange, aws: AwsClients, routes: readonly AlarmRoute[], depth = 0): Promise<ResolvedAlarm> {
  if (change.composite) {
    const children = [...new Set([...change.composite.triggering.map((ref) => parseAlarmArn(ref)?.name ?? ref), ...(change.composite.rule ? ruleChildren(change.composite.rule) : [])])];
    if (depth >= 2) return { status: 'unknown', reason: `composite alarm ${change.alarmName} nests too deep to follow` };
    for (const child of children.slice(0, MAX_CHILDREN)) {
      const described = await describeAlarm(aws, child);
      const parsed = described ? alarmFromDescription(described) : undefined;
      if (!parsed?.ok) continue;
      const found = await resolveAlarmApi(parsed.value, aws, routes, depth + 1);
      if (found.status === 'found') return { ...found, via: `child alarm ${child}: ${found.via}` };
    }
    return { status: 'unknown', reason: `none of composite alarm ${change.alarmName}'s children (${children.join(', ') || 'none named'}) watches an API` };
  }
  let metrics = change.metrics;
  if (!metrics.some((m) => Object.keys(m.dimensions).length > 0) && depth === 0) {
    // An SNS notification from an older alarm, or a math alarm summarised: ask CloudWatch.
    const described = await describeAlarm(aws, change.alarmName);
    const parsed = described ? alarmFromDescription(described) : undefined;
    if (parsed?.ok && parsed.value.composite) return resolveAlarmApi(parsed.value, aws, routes, depth + 1);
    if (parsed?.ok) metrics = parsed.value.metrics;
  }
  const watched = watchedMetric({ metrics });
  const ordered = [...(watched ? [watched] : []), ...metrics.filter((m) => m !== watched)];
  const reasons: string[] = [];
  for (const metric of ordered) {
    const found = await byMetric(aws, metric, change, routes);
    if (found?.status === 'found') return found;
    if (found) reasons.push(found.reason);
  }
  return { status: 'unknown', reason: reasons.length ? reasons.join('; ') : `alarm ${change.alarmName} names no API Gateway API, Lambda function or web ACL (${describeMetrics({ ...change, metrics })}); map it to its API in alarms.mappings` };
}
