import { z } from 'zod';
import type { AlarmChange } from './alarm.js';

/**
 * The routing table (which channel an alarm's investigation goes to) and the explicit mappings
 * (which API an alarm is about, when its metric does not say). Pure: the worker matches with it,
 * and the CDK stack derives the EventBridge rule's filter from the same table.
 */
export const alarmRouteSchema = z
  .object({
    /** Slack channel id (C… public, G… private) the investigation is posted in. */
    channel: z.string().regex(/^[CG][A-Z0-9]{6,}$/, 'a Slack channel id such as C0123456789'),
    alarmNamePrefix: z.string().min(1).max(255).optional(),
    /** The API's id or exact name. */
    api: z.string().min(1).max(1_024).optional(),
    /** An alarm tag (propagated with the alarm's events); no value: any value. */
    tag: z.object({ key: z.string().min(1).max(128), value: z.string().max(256).optional() }).optional(),
  })
  .strict();
export type AlarmRoute = z.infer<typeof alarmRouteSchema>;

export const alarmMappingSchema = z
  .object({
    alarmName: z.string().min(1).max(255).optional(),
    alarmNamePrefix: z.string().min(1).max(255).optional(),
    /** The API's id. */
    api: z.string().regex(/^[a-z0-9]{10}$/, 'an API id is 10 lowercase letters or digits, e.g. a1b2c3d4e5'),
    stage: z.string().regex(/^(\$default|[A-Za-z0-9_-]{1,128})$/, 'a stage name, e.g. prod').optional(),
    region: z.string().regex(/^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d$/, 'a region such as us-east-1').optional(),
    /** Account alias or 12-digit id (configured under aws.accounts); absent: the alarm's own account. */
    account: z.string().optional(),
  })
  .strict()
  .refine((m) => (m.alarmName === undefined) !== (m.alarmNamePrefix === undefined), 'give exactly one of alarmName or alarmNamePrefix');
export type AlarmMapping = z.infer<typeof alarmMappingSchema>;

/** The API an alarm was resolved to, as far as routing needs it. */
export interface RoutedApi {
  id: string;
  name?: string;
}

function tagMatches(route: AlarmRoute, change: Pick<AlarmChange, 'tags'>): boolean {
  if (!route.tag) return true;
  const value = change.tags[route.tag.key];
  return value !== undefined && (route.tag.value === undefined || value === route.tag.value);
}

function nameMatches(route: AlarmRoute, change: Pick<AlarmChange, 'alarmName'>): boolean {
  return route.alarmNamePrefix === undefined || change.alarmName.startsWith(route.alarmNamePrefix);
}

/** The first entry whose every given matcher matches (an entry with none matches everything). */
export function routeFor(change: Pick<AlarmChange, 'alarmName' | 'tags'>, api: RoutedApi | undefined, routes: readonly AlarmRoute[]): AlarmRoute | undefined {
  return routes.find((route) => nameMatches(route, change) && tagMatches(route, change) && (route.api === undefined || (api !== undefined && (route.api === api.id || route.api === api.name))));
}

/** Whether some entry could take this alarm once its API is known: no AWS read when none can. */
export function routeCouldMatch(change: Pick<AlarmChange, 'alarmName' | 'tags'>, routes: readonly AlarmRoute[]): boolean {
  return routes.some((route) => nameMatches(route, change) && tagMatches(route, change));
}

/** "alarm name prefix apigw- · tag team=shop · API a1b2c3d4e5 → C0123456789". */
export function describeRoute(route: AlarmRoute): string {
  const parts = [
    ...(route.alarmNamePrefix ? [`alarm name prefix ${route.alarmNamePrefix}`] : []),
    ...(route.api ? [`API ${route.api}`] : []),
    ...(route.tag ? [`tag ${route.tag.key}${route.tag.value === undefined ? '' : `=${route.tag.value}`}`] : []),
  ];
  return `${parts.length ? parts.join(' · ') : 'every alarm'} → ${route.channel}`;
}

/** The mapping for an alarm: its exact name first, then the longest prefix. */
export function mappingFor(change: Pick<AlarmChange, 'alarmName'>, mappings: readonly AlarmMapping[]): AlarmMapping | undefined {
  const exact = mappings.find((m) => m.alarmName === change.alarmName);
  if (exact) return exact;
  return mappings
    .filter((m) => m.alarmNamePrefix !== undefined && change.alarmName.startsWith(m.alarmNamePrefix))
    .sort((a, b) => (b.alarmNamePrefix?.length ?? 0) - (a.alarmNamePrefix?.length ?? 0))[0];
}

/** Namespaces whose alarms can be traced to an API from their dimensions. */
export const API_NAMESPACES = ['AWS/ApiGateway', 'AWS/Lambda', 'AWS/WAFV2'] as const;

/**
 * The EventBridge rule's event pattern for a routing table: state changes to ALARM and back to
 * OK, narrowed to what some entry could take. Name prefixes and tags filter exactly; an entry by
 * API cannot (the API may only be known after reading AWS), so it lets through alarms on API
 * Gateway, Lambda and WAF metrics and composite alarms, and the worker decides. A catch-all entry
 * (or none at all) lets every alarm through.
 */
export function alarmEventPattern(routes: readonly AlarmRoute[], mappings: readonly AlarmMapping[] = []): Record<string, unknown> {
  const base = { source: ['aws.cloudwatch'], 'detail-type': ['CloudWatch Alarm State Change'] };
  const state = { value: ['ALARM', 'OK'] };
  const conditions: Record<string, unknown>[] = [];
  let everything = routes.length === 0;
  for (const route of routes) {
    const condition: Record<string, unknown> = {};
    if (route.alarmNamePrefix) condition.alarmName = [{ prefix: route.alarmNamePrefix }];
    if (route.tag) condition.alarmTags = { [route.tag.key]: route.tag.value === undefined ? [{ exists: true }] : [route.tag.value] };
    if (Object.keys(condition).length > 0) conditions.push(condition);
    else if (route.api) {
      conditions.push({ configuration: { metrics: { metricStat: { metric: { namespace: [...API_NAMESPACES] } } } } });
      conditions.push({ configuration: { alarmRule: [{ exists: true }] } });
    } else everything = true;
  }
  // An alarm mapped to an API by name must reach the worker, whatever its metric.
  for (const mapping of mappings) conditions.push({ alarmName: mapping.alarmName ? [mapping.alarmName] : [{ prefix: mapping.alarmNamePrefix }] });
  if (everything || conditions.length === 0) return { ...base, detail: { state } };
  const unique = [...new Map(conditions.map((c) => [JSON.stringify(c), c])).values()];
  return { ...base, detail: unique.length === 1 ? { state, ...unique[0] } : { state, $or: unique } };
}
