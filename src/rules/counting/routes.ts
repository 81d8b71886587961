import type { AccessLogRecord, Evidence } from '../../core/evidence.js';
import { accessField, routeKey } from '../execution-log-classifier.js';
import type { RuleInput } from '../types.js';

/**
 * One route key for every source: `GET /orders/{id}`. REST access records name the resource
 * template, execution logs the actual path (mapped onto the templates here), HTTP and WebSocket
 * records their `$context.routeKey` (`-` when no route matched: then there is no route).
 */
export function recordRoute(input: Pick<RuleInput, 'target'>, record: AccessLogRecord): string | undefined {
  if (input.target.apiType === 'HTTP' || input.target.apiType === 'WEBSOCKET') {
    const key = accessField(record, 'routeKey');
    return key && key !== '-' ? key : undefined;
  }
  return routeKey(record.httpMethod, record.resourcePath);
}

const templaters = new WeakMap<Evidence, (route: string) => string>();

/**
 * Execution logs name the request's actual path (`GET /orders/123`), access logs and metrics the
 * resource (`GET /orders/{id}`): maps actual paths onto the API's resource templates, most
 * specific first (more literal segments win over a greedy `{proxy+}`).
 */
export function routeTemplater(evidence: Evidence): (route: string) => string {
  const known = templaters.get(evidence);
  if (known) return known;
  const paths = new Set((evidence['apigw.resources'] ?? []).map((m) => m.path));
  const templates = [...paths]
    .filter((path) => path.includes('{'))
    .map((path) => ({
      path,
      pattern: new RegExp(`^${path.split('/').map((part) => (/^\{.+\+\}$/.test(part) ? '.+' : /^\{.+\}$/.test(part) ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('/')}$`),
    }))
    .sort((a, b) => b.path.replace(/\{[^{}]+\}/g, '').length - a.path.replace(/\{[^{}]+\}/g, '').length);
  const cache = new Map<string, string>();
  const templater = (route: string) => {
    let mapped = cache.get(route);
    if (mapped === undefined) {
      const space = route.indexOf(' ');
      const path = route.slice(space + 1);
      const template = paths.has(path) ? undefined : templates.find((t) => t.pattern.test(path));
      mapped = template ? `${route.slice(0, space)} ${template.path}` : route;
      cache.set(route, mapped);
    }
    return mapped;
  };
  templaters.set(evidence, templater);
  return templater;
}
