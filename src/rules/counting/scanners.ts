import type { AccessLogRecord } from '../../core/evidence.js';
import { accessField } from '../execution-log-classifier.js';

/**
 * Internet scanners probe every public endpoint for well-known files and admin pages: `/.env`,
 * `/.git/config`, `/wp-login.php`, `/phpmyadmin`, `/actuator/health`… Their requests match no
 * route (HTTP 404, REST 403 Missing Authentication Token) on every healthy API, from a few
 * addresses. A request is scanner noise when its path is such a probe, or when it comes from an
 * address that sent one: everything else that matched no route is a real client failing.
 *
 * The probes' pattern is exported so the ReDoS check proves it like a literal.
 */
export const PROBE_SOURCE = [
  // Dot files and version control: credentials and source.
  String.raw`(?:^|/)\.(?:env|git|svn|hg|aws|ssh|docker|vscode|idea|DS_Store|htaccess|htpasswd|npmrc|bash_history)(?:/|$|\.|\b)`,
  // Server-side scripts and CMS admin pages an API Gateway API never serves.
  String.raw`\.(?:php\d?|asp|aspx|jsp|cgi|pl|sql|bak|old|swp|ini|log)$`,
  String.raw`(?:^|/)(?:wp-(?:admin|login|content|includes|json)|wordpress|xmlrpc|phpmyadmin|pma|myadmin|cgi-bin|boaform|HNAP1|vendor/phpunit|solr|jenkins|manager/html|owa|autodiscover|telescope|_ignition|druid|nacos|geoserver|remote/login)(?:/|$|\.)`,
  // Framework endpoints and configuration dumps.
  String.raw`(?:^|/)(?:actuator|server-status|server-info|config\.(?:json|js|yml|yaml|php)|credentials(?:\.json)?|docker-compose\.ya?ml|web\.config|info\.php|phpinfo)(?:/|$)`,
].join('|');
const PROBE = new RegExp(PROBE_SOURCE, 'i');

/** Whether a path is one scanners probe for. Paths the API itself routes never are. */
export function isProbePath(path: string, realPrefixes: readonly string[] = []): boolean {
  if (realPrefixes.some((p) => p !== '/' && (path === p || path.startsWith(`${p}/`)))) return false;
  return PROBE.test(path);
}

export interface ScannerSplit {
  /** Requests from clients: what a count rule weighs. */
  real: AccessLogRecord[];
  /** Probes, and anything else from the addresses that probed. */
  noise: AccessLogRecord[];
  /** The most requested probe paths, most first. */
  probes: { path: string; count: number }[];
  /** Distinct addresses that probed (undefined when the format logs none). */
  sources?: number;
}

function pathOf(record: AccessLogRecord): string {
  return accessField(record, 'path') ?? record.resourcePath ?? '';
}

function sourceOf(record: AccessLogRecord): string | undefined {
  return record.ip ?? accessField(record, 'identity.sourceIp', 'sourceIp', 'ip');
}

/** The literal start of each route path (`/orders` of `/orders/{id}`), with and without a stage prefix. */
export function routePrefixes(paths: readonly string[], stages: readonly string[]): string[] {
  const literal = paths.map((p) => p.split('/{')[0] ?? p).filter((p) => p && p !== '/');
  return [...new Set([...literal, ...stages.flatMap((stage) => literal.map((p) => `/${stage}${p}`))])];
}

/**
 * Splits requests that matched no route into scanner noise and real failures. `realPrefixes`
 * are the API's own route paths (with any stage prefix), which are never probes.
 */
export function splitScanners(records: readonly AccessLogRecord[], realPrefixes: readonly string[] = []): ScannerSplit {
  const probing = new Set<string>();
  const probeCounts = new Map<string, number>();
  const probe = (r: AccessLogRecord) => isProbePath(pathOf(r), realPrefixes);
  let logged = false;
  for (const record of records) {
    const source = sourceOf(record);
    if (source) logged = true;
    if (!probe(record)) continue;
    if (source) probing.add(source);
    const path = pathOf(record);
    probeCounts.set(path, (probeCounts.get(path) ?? 0) + 1);
  }
  const real: AccessLogRecord[] = [];
  const noise: AccessLogRecord[] = [];
  for (const record of records) {
    const source = sourceOf(record);
    (probe(record) || (source !== undefined && probing.has(source)) ? noise : real).push(record);
  }
  return {
    real,
    noise,
    probes: [...probeCounts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([path, count]) => ({ path, count })),
    ...(logged ? { sources: probing.size } : {}),
  };
}

/** The low note for scanner traffic: visible, never a cause. */
export function scannerNote(ruleId: string, what: string, split: ScannerSplit, source: string): { rule: string; severity: 'low'; title: string; detail: string; evidence: { source: string; quote: string }[]; fix: string } | undefined {
  if (split.noise.length === 0) return undefined;
  const paths = split.probes.slice(0, 5).map((p) => `${p.path} (${p.count})`).join(', ');
  const from = split.sources !== undefined ? ` from ${split.sources} address${split.sources === 1 ? '' : 'es'}` : '';
  return {
    rule: ruleId,
    severity: 'low',
    title: `${what}: ${split.noise.length} scanner probe${split.noise.length === 1 ? '' : 's'}, not a cause`,
    detail: `${split.noise.length} request(s)${from} probed paths no API serves (${paths}${split.probes.length > 5 ? ', …' : ''}): internet scanners, which every public endpoint gets. They are left out of the counts; ${split.real.length} other request(s) matched no route.`,
    evidence: [{ source, quote: `scanner probes: ${paths}` }],
    fix: 'Nothing to fix for this incident. A WAF rule (AWS managed Known bad inputs, IP reputation) keeps them off the API if they are a nuisance.',
  };
}
