import type { AccessLogRecord } from '../core/evidence.js';
import { accessField } from './execution-log-classifier.js';
import type { RouteRef } from '../core/policy.js';
import type { RuleInput } from './types.js';

/**
 * The routes that carried traffic in the window, per stage, with who called them and how they
 * ended: what policy rules evaluate, so a finding names the routes refused and their callers.
 * Built once per rule input from the access logs (and the denials quoted in execution logs).
 */
export interface ObservedRoute extends RouteRef {
  requests: number;
  /** Responses with status 4xx/5xx. */
  errors: number;
  /** Denials of execute-api:Invoke (resource, endpoint or identity policy) seen for this route. */
  denials: number;
  /** Of those, denials of anonymous callers (the resource or endpoint policy decided). */
  anonymousDenials: number;
  /** Distinct endpoints, source IPs, accounts and principals seen calling it (a few of each). */
  vpceIds: string[];
  sourceIps: string[];
  accounts: string[];
  principals: string[];
  /** Responses with status 5xx. */
  serverErrors: number;
  /** Canary requests among `requests`, and canary 5xx, when the format logs `$context.isCanaryRequest`. */
  canaryRequests: number;
  canaryErrors: number;
}

const MAX_CALLERS = 5;
const DENIAL = /not authorized to perform: execute-api:Invoke on resource: (arn:[^\s]+)/;

function addCaller(list: string[], value: string | undefined): void {
  if (value && value !== '-' && list.length < MAX_CALLERS && !list.includes(value)) list.push(value);
}

/** `arn:aws:execute-api:r:a:api/stage/METHOD/path` → the route, or undefined. */
export function routeFromInvokeArn(arn: string): RouteRef | undefined {
  const resource = arn.split(':').slice(5).join(':');
  const [, stage, method, ...path] = resource.split('/');
  if (!stage || !method) return undefined;
  return { stage, method, path: `/${path.join('/')}` };
}

const cache = new WeakMap<RuleInput, ObservedRoute[]>();

export function observedRoutes(input: RuleInput): ObservedRoute[] {
  const cached = cache.get(input);
  if (cached) return cached;
  const routes = new Map<string, ObservedRoute>();
  const routeFor = (ref: RouteRef): ObservedRoute => {
    const key = `${ref.stage} ${ref.method} ${ref.path}`;
    let route = routes.get(key);
    if (!route) {
      route = { ...ref, requests: 0, errors: 0, denials: 0, anonymousDenials: 0, vpceIds: [], sourceIps: [], accounts: [], principals: [], serverErrors: 0, canaryRequests: 0, canaryErrors: 0 };
      routes.set(key, route);
    }
    return route;
  };
  const accessStages = new Set<string>();
  for (const log of input.evidence['logs.access'] ?? []) {
    accessStages.add(log.stage);
    const fields = fieldsOf(log.records);
    for (const record of log.records) addRecord(routeFor, log.stage, record, fields);
  }
  // Execution logs name the refused route in the denial itself. Where the access log has the
  // same requests, the larger count wins (the access format may lack the error message).
  for (const log of input.evidence['logs.execution'] ?? []) {
    const denials = new Map<string, { ref: RouteRef; count: number; anonymous: number; principals: string[] }>();
    const seen = new Set<string>();
    for (const line of log.lines) {
      if (!line.message.includes('execute-api:Invoke on resource')) continue;
      const match = DENIAL.exec(line.message);
      const ref = match?.[1] ? routeFromInvokeArn(match[1]) : undefined;
      if (!ref) continue;
      const requestId = /^\(([^)]+)\)/.exec(line.message)?.[1] ?? line.message;
      if (seen.has(requestId)) continue;
      seen.add(requestId);
      const key = `${ref.stage} ${ref.method} ${ref.path}`;
      const entry = denials.get(key) ?? { ref, count: 0, anonymous: 0, principals: [] };
      entry.count++;
      if (/User: anonymous /.test(line.message)) entry.anonymous++;
      addCaller(entry.principals, /User: (\S+) is not authorized/.exec(line.message)?.[1]);
      denials.set(key, entry);
    }
    for (const { ref, count, anonymous, principals } of denials.values()) {
      const route = routeFor(ref);
      const fromAccess = accessStages.has(log.stage);
      if (!fromAccess) {
        route.requests += count;
        route.errors += count;
      }
      route.denials = Math.max(route.denials, count);
      route.anonymousDenials = Math.max(route.anonymousDenials, anonymous);
      for (const p of principals) addCaller(route.principals, p);
    }
  }
  const list = [...routes.values()];
  cache.set(input, list);
  return list;
}

type Getter = (record: AccessLogRecord) => string | undefined;
interface FieldGetters {
  path: Getter;
  canary: Getter;
  message: Getter;
  vpceId: Getter;
  sourceIp: Getter;
  account: Getter;
  principal: Getter;
}

/**
 * One log has one format: which of its keys answers each question is resolved once, from the keys
 * its records carry, and then read directly (the rules read every record of large logs).
 */
function fieldsOf(records: AccessLogRecord[]): FieldGetters {
  const keys = new Set<string>();
  for (const record of records) for (const key in record.fields) keys.add(key);
  const getter = (...names: string[]): Getter => {
    const matching = [...keys].filter((k) => accessField({ timestamp: 0, fields: { [k]: 'x' } }, ...names) !== undefined);
    // Keep the caller's order of names: the first listed name that is present wins.
    matching.sort((a, b) => rank(a, names) - rank(b, names));
    if (!matching.length) return () => undefined;
    return (record) => {
      for (const key of matching) {
        const value = record.fields[key];
        if (value !== undefined && value !== '' && value !== '-') return value;
      }
      return undefined;
    };
  };
  return {
    path: getter('path'),
    canary: getter('isCanaryRequest'),
    message: getter('error.message', 'errorMessage'),
    vpceId: getter('identity.vpceId', 'vpceId'),
    sourceIp: getter('identity.sourceIp', 'sourceIp'),
    account: getter('identity.accountId'),
    principal: getter('identity.userArn', 'identity.caller', 'userArn', 'caller'),
  };
}

function rank(key: string, names: string[]): number {
  const index = names.findIndex((n) => accessField({ timestamp: 0, fields: { [key]: 'x' } }, n) !== undefined);
  return index < 0 ? names.length : index;
}

function addRecord(routeFor: (ref: RouteRef) => ObservedRoute, stage: string, record: AccessLogRecord, fields: FieldGetters): void {
  if (!record.httpMethod) return;
  const route = routeFor({ stage, method: record.httpMethod.toUpperCase(), path: record.resourcePath ?? fields.path(record) ?? '/' });
  route.requests++;
  const failed = (record.status ?? 0) >= 400;
  const serverError = (record.status ?? 0) >= 500;
  if (failed) route.errors++;
  if (serverError) route.serverErrors++;
  const canary = fields.canary(record);
  if (canary === 'true') {
    route.canaryRequests++;
    if (serverError) route.canaryErrors++;
  }
  if (failed) {
    const message = fields.message(record) ?? '';
    if (message.includes('execute-api:Invoke')) {
      route.denials++;
      if (/User: anonymous /.test(message)) route.anonymousDenials++;
      addCaller(route.principals, /User: (\S+) is not authorized/.exec(message)?.[1]);
    }
  }
  // Callers are kept for the routes that failed, and a few of every route (the lists are capped).
  if (route.vpceIds.length < MAX_CALLERS) addCaller(route.vpceIds, fields.vpceId(record));
  if (route.sourceIps.length < MAX_CALLERS) addCaller(route.sourceIps, record.ip ?? fields.sourceIp(record));
  if (route.accounts.length < MAX_CALLERS) addCaller(route.accounts, fields.account(record));
  if (route.principals.length < MAX_CALLERS) addCaller(route.principals, fields.principal(record));
}

export function describeRoute(route: RouteRef): string {
  return `${route.method} ${route.path} on ${route.stage}`;
}
