import type { AccessLogEvidence, Evidence, MetricSeries } from './evidence.js';
import type { Finding } from './finding.js';

/**
 * The API's traffic over the window, one shape whatever it was counted from: CloudWatch metrics
 * (`metrics.api`: requests, 4xx, 5xx and p99 latency per minute, exact) when they were read, else
 * the access logs' per-5-minute counts (Logs Insights, exact) or their records (estimated when the
 * read kept part of the window). What the channel's healthy line, the incident chart and the CLI's
 * sparkline are drawn from. Pure: numbers only, nothing that needs redacting.
 */
export interface TrafficPoint {
  /** Period start, epoch ms. */
  t: number;
  requests: number;
  e4xx: number;
  e5xx: number;
  /** p99 latency in ms for the period, when known. */
  p99?: number;
}

export interface Traffic {
  basis: 'metrics' | 'logs';
  /** True when every count was counted over the window (metrics, Insights, a whole read). */
  exact: boolean;
  periodSeconds: number;
  from: string;
  until: string;
  /** Oldest first, at most MAX_POINTS (merged into longer periods when the window is long). */
  points: TrafficPoint[];
  totals: { requests: number; e4xx: number; e5xx: number };
  /** p99 latency over the window in ms: the highest period p99 (metrics) or the logs' window p99. */
  p99Ms?: number;
  /** Where the failure began inside the window (ISO), from the findings' figures or the first rise. */
  onset?: string;
  /** What the counts cover: `stage prod`, `all stages`. */
  scope: string;
}

/** Enough points for a chart a phone can read; a 14-day window of minutes is merged. */
export const MAX_POINTS = 240;
const LOG_BUCKET_SECONDS = 300;

function sumInto(points: Map<number, TrafficPoint>, t: number, add: Partial<Omit<TrafficPoint, 't'>>): void {
  const point = points.get(t) ?? { t, requests: 0, e4xx: 0, e5xx: 0 };
  point.requests += add.requests ?? 0;
  point.e4xx += add.e4xx ?? 0;
  point.e5xx += add.e5xx ?? 0;
  if (add.p99 !== undefined) point.p99 = Math.max(point.p99 ?? 0, add.p99);
  points.set(t, point);
}

/** The stage-level series when there are any (the asked stage only, when one was asked), else the API's. */
function apiSeries(series: readonly MetricSeries[], stage: string | undefined): { series: MetricSeries[]; scope: string } {
  const staged = series.filter((s) => s.scope.kind === 'stage' && (!stage || s.scope.name === stage));
  if (staged.length > 0) return { series: staged, scope: stage ? `stage ${stage}` : 'all stages' };
  return { series: series.filter((s) => s.scope.kind === 'api'), scope: 'the whole API' };
}

function fromMetrics(evidence: Evidence, stage: string | undefined): Omit<Traffic, 'onset' | 'points'> & { raw: TrafficPoint[] } | undefined {
  const metrics = evidence['metrics.api'];
  if (!metrics || metrics.series.length === 0) return undefined;
  const { series, scope } = apiSeries(metrics.series, stage);
  const requests = series.filter((s) => s.metric === 'requests');
  if (requests.length === 0) return undefined;
  const points = new Map<number, TrafficPoint>();
  const field: Partial<Record<MetricSeries['metric'], keyof Omit<TrafficPoint, 't'>>> = { requests: 'requests', '4xx': 'e4xx', '5xx': 'e5xx', latency_p99: 'p99' };
  for (const s of series) {
    const key = field[s.metric];
    if (!key) continue;
    s.timestamps.forEach((t, i) => sumInto(points, t, { [key]: s.values[i] ?? 0 }));
  }
  const raw = [...points.values()].sort((a, b) => a.t - b.t);
  const p99s = raw.map((p) => p.p99).filter((v): v is number => v !== undefined);
  return {
    basis: 'metrics',
    exact: series.every((s) => s.status === 'Complete'),
    periodSeconds: requests[0]?.periodSeconds ?? 60,
    from: metrics.from,
    until: metrics.until,
    raw,
    totals: totalsOf(raw),
    ...(p99s.length ? { p99Ms: Math.max(...p99s) } : {}),
    scope,
  };
}

function bucketOf(ms: number): number {
  return Math.floor(ms / (LOG_BUCKET_SECONDS * 1000)) * LOG_BUCKET_SECONDS * 1000;
}

/** Periods with no record are periods with no request: zeros, inside the period the logs cover (a stop shows). */
function fillZeros(points: Map<number, TrafficPoint>, from: number, until: number): void {
  for (let t = bucketOf(from); t < until; t += LOG_BUCKET_SECONDS * 1000) if (!points.has(t)) points.set(t, { t, requests: 0, e4xx: 0, e5xx: 0 });
}

/** One stage's access logs as per-5-minute points: Insights' route counts, else the records read (scaled to the total). */
function accessPoints(log: AccessLogEvidence, points: Map<number, TrafficPoint>, window: { since: string; until: string }): boolean {
  const counts = log.counts;
  const covered = { from: Date.parse(log.period?.from ?? window.since), until: Date.parse(log.period?.until ?? window.until) };
  if (counts?.routes && counts.routes.length > 0) fillZeros(points, Date.parse(window.since), Date.parse(window.until));
  else if (log.records.length > 0) fillZeros(points, covered.from, covered.until);
  if (counts?.routes && counts.routes.length > 0) {
    for (const r of counts.routes) {
      const t = Date.parse(r.bucket);
      if (Number.isNaN(t)) continue;
      sumInto(points, t, { requests: r.count, e4xx: r.status >= 400 && r.status < 500 ? r.count : 0, e5xx: r.status >= 500 ? r.count : 0 });
    }
    return counts.exact;
  }
  const withStatus = log.records.filter((r) => r.status !== undefined);
  if (withStatus.length === 0) return false;
  const total = counts?.events ?? withStatus.length;
  const scale = total > 0 ? total / withStatus.length : 1;
  for (const r of withStatus) {
    const status = r.status ?? 0;
    sumInto(points, bucketOf(r.timestamp), { requests: scale, e4xx: status >= 400 && status < 500 ? scale : 0, e5xx: status >= 500 ? scale : 0 });
  }
  for (const p of points.values()) {
    p.requests = Math.round(p.requests);
    p.e4xx = Math.round(p.e4xx);
    p.e5xx = Math.round(p.e5xx);
  }
  return Boolean(counts?.exact) && scale === 1;
}

function fromLogs(evidence: Evidence, stage: string | undefined, window: { since: string; until: string }): Omit<Traffic, 'onset' | 'points'> & { raw: TrafficPoint[] } | undefined {
  const logs = (evidence['logs.access'] ?? []).filter((l) => !stage || l.stage === stage);
  const points = new Map<number, TrafficPoint>();
  let exact = true;
  let any = false;
  for (const log of logs) {
    const before = points.size;
    const counted = accessPoints(log, points, window);
    if (points.size > before || counted) any = true;
    exact &&= counted;
  }
  if (!any) return undefined;
  const raw = [...points.values()].sort((a, b) => a.t - b.t);
  const latencies = (evidence['logs.execution'] ?? []).filter((l) => !stage || l.stage === stage).map((l) => l.counts?.latency?.p99).filter((v): v is number => v !== undefined && v > 0);
  return {
    basis: 'logs',
    exact,
    periodSeconds: LOG_BUCKET_SECONDS,
    from: window.since,
    until: window.until,
    raw,
    totals: totalsOf(raw),
    ...(latencies.length ? { p99Ms: Math.max(...latencies) } : {}),
    scope: stage ? `stage ${stage}` : logs.length > 1 ? 'all stages' : `stage ${logs[0]?.stage ?? ''}`.trim(),
  };
}

function totalsOf(points: readonly TrafficPoint[]): Traffic['totals'] {
  return points.reduce((t, p) => ({ requests: t.requests + p.requests, e4xx: t.e4xx + p.e4xx, e5xx: t.e5xx + p.e5xx }), { requests: 0, e4xx: 0, e5xx: 0 });
}

/** Merges neighbouring periods so a long window stays a readable number of points. */
function downsample(points: readonly TrafficPoint[], periodSeconds: number): { points: TrafficPoint[]; periodSeconds: number } {
  if (points.length <= MAX_POINTS) return { points: [...points], periodSeconds };
  const factor = Math.ceil(points.length / MAX_POINTS);
  const merged: TrafficPoint[] = [];
  for (let i = 0; i < points.length; i += factor) {
    const slice = points.slice(i, i + factor);
    const p99s = slice.map((p) => p.p99).filter((v): v is number => v !== undefined);
    merged.push({ t: slice[0]?.t ?? 0, ...totalsOf(slice), ...(p99s.length ? { p99: Math.max(...p99s) } : {}) });
  }
  return { points: merged, periodSeconds: periodSeconds * factor };
}

/** The errors that describe the incident: 5xx, or 4xx and 5xx together when 5xx are rare. */
function errorsOf(p: TrafficPoint, with4xx: boolean): number {
  return p.e5xx + (with4xx ? p.e4xx : 0);
}

/**
 * The first period where errors rise: its error share at least three times the early baseline
 * (and 5 points above it), with at least 5 errors, and not a lone spike (the next period is up
 * too, or it is the last). Undefined when the errors are flat.
 */
export function firstRise(points: readonly TrafficPoint[]): number | undefined {
  if (points.length < 4) return undefined;
  const totals = totalsOf(points);
  const with4xx = totals.e5xx < Math.max(5, totals.requests * 0.01);
  const share = (p: TrafficPoint | undefined) => (p && p.requests > 0 ? errorsOf(p, with4xx) / p.requests : 0);
  const early = points.slice(0, Math.max(2, Math.floor(points.length / 3))).map(share).sort((a, b) => a - b);
  const baseline = early[Math.floor(early.length / 2)] ?? 0;
  const threshold = Math.max(baseline * 3, baseline + 0.05);
  const high = (p: TrafficPoint | undefined) => p !== undefined && errorsOf(p, with4xx) >= 5 && share(p) >= threshold;
  for (let i = 1; i < points.length; i++) {
    if (high(points[i]) && (i === points.length - 1 || high(points[i + 1]))) return points[i]?.t;
  }
  return firstStop(points);
}

/** The median number of requests per period in the first third of the window: what "usual" was. */
function earlyRequests(points: readonly TrafficPoint[]): number {
  const early = points.slice(0, Math.max(2, Math.floor(points.length / 3))).map((p) => p.requests).sort((a, b) => a - b);
  return early[Math.floor(early.length / 2)] ?? 0;
}

/**
 * The first period where requests fall below a fifth of what was usual and stay there: callers
 * that can no longer reach the API leave no errors, only silence (a closed security group).
 */
export function firstStop(points: readonly TrafficPoint[]): number | undefined {
  const usual = earlyRequests(points);
  if (points.length < 4 || usual < 5) return undefined;
  const low = (p: TrafficPoint | undefined) => p !== undefined && p.requests <= usual / 5;
  for (let i = 1; i < points.length; i++) {
    if (low(points[i]) && points.slice(i).every(low)) return points[i]?.t;
  }
  return undefined;
}

/** The onset the findings' figures carry (the counting model's), the earliest of the decisive ones. */
function onsetOfFindings(findings: readonly Finding[]): string | undefined {
  const onsets = findings
    .filter((f) => !f.inconclusive && f.severity !== 'info' && f.severity !== 'low')
    .flatMap((f) => f.figures ?? [])
    .map((fig) => fig.onset)
    .filter((o): o is string => typeof o === 'string' && !Number.isNaN(Date.parse(o)));
  return onsets.sort()[0];
}

/** The traffic of an investigation: metrics first, then the access logs; undefined when neither counted any. */
export function trafficOf(input: { evidence: Evidence; findings: readonly Finding[]; window: { since: string; until: string }; stage?: string }): Traffic | undefined {
  const counted = fromMetrics(input.evidence, input.stage) ?? fromLogs(input.evidence, input.stage, input.window);
  if (!counted || counted.totals.requests === 0) return undefined;
  const { raw, ...rest } = counted;
  const { points, periodSeconds } = downsample(raw, counted.periodSeconds);
  const rise = firstRise(raw);
  const onset = onsetOfFindings(input.findings) ?? (rise === undefined ? undefined : new Date(rise).toISOString());
  return { ...rest, periodSeconds, points, ...(onset ? { onset } : {}) };
}

/** `12.3%`, `0.05%`, `0%`: a share to the precision people compare. */
export function formatShare(part: number, whole: number): string {
  if (whole <= 0 || part <= 0) return '0%';
  const pct = (part / whole) * 100;
  // Near 100% the decimals are what matters (99.1% is not 99%).
  if (pct >= 99 && pct < 100) return `${Math.min(99.9, Number(pct.toFixed(1)))}%`;
  if (pct >= 10) return `${pct.toFixed(0)}%`;
  if (pct >= 1) return `${pct.toFixed(1)}%`;
  return `${pct < 0.01 ? '<0.01' : pct.toFixed(2)}%`;
}

/** "1,234 requests · 2xx–3xx 98.7% · 4xx 1.2% · 5xx 0.1% · p99 240 ms (CloudWatch metrics, stage prod)". */
export function trafficLine(traffic: Traffic): string {
  const { requests, e4xx, e5xx } = traffic.totals;
  const ok = Math.max(0, requests - e4xx - e5xx);
  const parts = [
    `${traffic.exact ? '' : '~'}${Math.round(requests).toLocaleString('en-US')} requests`,
    `2xx–3xx ${formatShare(ok, requests)}`,
    `4xx ${formatShare(e4xx, requests)}`,
    `5xx ${formatShare(e5xx, requests)}`,
    ...(traffic.p99Ms !== undefined ? [`p99 ${Math.round(traffic.p99Ms).toLocaleString('en-US')} ms`] : []),
  ];
  const source = traffic.basis === 'metrics' ? 'CloudWatch metrics' : traffic.exact ? 'access logs' : 'access logs, estimated';
  return `${parts.join(' · ')} (${source}, ${traffic.scope})`;
}

const BLOCKS = '▁▂▃▄▅▆▇█';

/** A one-line sparkline of `values` in `width` characters (each the largest value of its slice). */
export function sparkline(values: readonly number[], width = 32): string {
  if (values.length === 0) return '';
  const per = Math.max(1, Math.ceil(values.length / width));
  const cells: number[] = [];
  for (let i = 0; i < values.length; i += per) cells.push(Math.max(...values.slice(i, i + per)));
  const max = Math.max(...cells);
  return cells.map((v) => (max <= 0 ? BLOCKS[0] : BLOCKS[Math.min(BLOCKS.length - 1, Math.round((v / max) * (BLOCKS.length - 1)))])).join('');
}
