import type { CoverageRow } from './coverage.js';
import { bySeverity, type Finding } from './finding.js';
import type { Report } from './report.js';
import { firstStop, formatShare, type Traffic } from './traffic.js';

/**
 * The rules' verdict, as the channel reads it without opening the thread: the serious findings
 * (every critical and high one, the person's own subject first), or "no problem found" with the
 * traffic that says so and what could not be checked, or "no known cause" when the traffic shows
 * failures no rule explains. One decision for Slack, App Home and the CLI.
 */
export type Verdict =
  | { kind: 'findings'; top: Finding[]; more: number }
  | { kind: 'no-cause'; why: string; inconclusive: number; unchecked: string[] }
  | { kind: 'healthy'; traffic?: Traffic; unchecked: string[]; notes: number };

/** Findings shown in the parent before "+N more": three lines fit a phone's lock screen. */
export const PARENT_FINDINGS = 3;
/** 5xx above this share of the requests (and at least MIN_5XX of them) is not healthy, named cause or not. */
const UNHEALTHY_5XX_SHARE = 0.01;
const MIN_5XX = 10;
/** Sources whose "not configured" hides nothing: an API without a WAF has no WAF to read. */
const NOT_A_GAP = new Set(['waf.web-acl', 'metrics.waf']);

/** A row that is "not configured" where that hides nothing (no WAF attached): not a blind spot, not a problem. */
export function hidesNothing(row: Pick<CoverageRow, 'source' | 'status'>): boolean {
  return row.status === 'not_configured' && NOT_A_GAP.has(row.source);
}

function decisive(findings: readonly Finding[]): Finding[] {
  return findings.filter((f) => !f.inconclusive && f.severity !== 'info').sort(bySeverity);
}

/** The most severe finding that names a cause: not an "inconclusive", not an informational one. */
export function decisiveFinding(findings: readonly Finding[]): Finding | undefined {
  return decisive(findings)[0];
}

/** What the person asked about, to put its findings first: a custom domain, a stage. */
export interface AskedAbout {
  domain?: string;
  stage?: string;
}

/** The custom domain in what the person typed (`orders.example.com`, `https://orders.example.com/v1`), if any. */
export function askedAbout(report: Pick<Report, 'target'> & { given?: string }): AskedAbout {
  const given = report.given ?? '';
  const host = /^(?:https?:\/\/)?([a-z0-9.-]{4,253})(?:[/:?#]|$)/i.exec(given)?.[1]?.toLowerCase();
  const domain = host && !host.includes('amazonaws.com') && !host.endsWith('.aws.amazon.com') && host.includes('.') ? host : undefined;
  return { ...(domain ? { domain } : {}), ...(report.target.stage ? { stage: report.target.stage } : {}) };
}

function mentions(finding: Finding, word: string): boolean {
  const lower = word.toLowerCase();
  return [finding.title, finding.detail, ...finding.evidence.map((e) => `${e.key ?? ''} ${e.quote ?? ''}`)].some((text) => text.toLowerCase().includes(lower));
}

/** Severity first, then what the person asked about (the domain's findings before the others), then rule id. */
export function byRelevance(asked: AskedAbout): (a: Finding, b: Finding) => number {
  const rank = (f: Finding) => (asked.domain && mentions(f, asked.domain) ? 0 : 1);
  return (a, b) => {
    const severity = bySeverity(a, b);
    const tier = (s: Finding) => (s.severity === 'critical' || s.severity === 'high' ? 0 : 1);
    return tier(a) - tier(b) || rank(a) - rank(b) || severity;
  };
}

/** "CloudTrail denies (cloudtrail:LookupEvents refused)": sources that could not be read, or are not set up where that hides something. */
export function uncheckedSources(coverage: readonly CoverageRow[]): string[] {
  return coverage
    .filter((r) => (r.status === 'error' && r.error?.kind !== 'dependency_failed') || (r.status === 'not_configured' && !hidesNothing(r)))
    .map((r) => `${r.title} (${r.status === 'not_configured' ? 'not configured' : r.error?.kind === 'access_denied' && r.error.action ? `${r.error.action} refused` : (r.error?.kind ?? 'error').replace(/_/g, ' ')})`);
}

export function verdictOf(report: Pick<Report, 'coverage' | 'findings' | 'target' | 'traffic'> & { given?: string }): Verdict {
  const asked = askedAbout(report);
  const named = decisive(report.findings);
  const serious = named.filter((f) => f.severity === 'critical' || f.severity === 'high');
  const pool = serious.length > 0 ? serious : named.filter((f) => f.severity === 'medium');
  if (pool.length > 0) {
    const top = [...pool].sort(byRelevance(asked)).slice(0, PARENT_FINDINGS);
    return { kind: 'findings', top, more: named.length - top.length };
  }
  const unchecked = uncheckedSources(report.coverage);
  const inconclusive = report.findings.filter((f) => f.inconclusive).length;
  const traffic = report.traffic;
  const apiUnread = report.coverage.some((r) => (r.source === 'apigw.rest-api' || r.source === 'apigwv2.api') && r.status === 'error');
  if (traffic && traffic.totals.e5xx >= MIN_5XX && traffic.totals.e5xx / Math.max(1, traffic.totals.requests) >= UNHEALTHY_5XX_SHARE) {
    const since = traffic.onset ? `, rising from ${traffic.onset.slice(11, 16)} UTC` : '';
    return { kind: 'no-cause', why: `5xx on ${formatShare(traffic.totals.e5xx, traffic.totals.requests)} of ${Math.round(traffic.totals.requests).toLocaleString('en-US')} requests${since}`, inconclusive, unchecked };
  }
  if (apiUnread) return { kind: 'no-cause', why: 'the API itself could not be read', inconclusive, unchecked };
  const stopped = traffic ? firstStop(traffic.points) : undefined;
  if (stopped !== undefined) return { kind: 'no-cause', why: `requests stopped at ${new Date(stopped).toISOString().slice(11, 16)} UTC and did not come back`, inconclusive, unchecked };
  const notes = report.findings.filter((f) => !f.inconclusive && (f.severity === 'low' || f.severity === 'info')).length;
  return { kind: 'healthy', ...(traffic ? { traffic } : {}), unchecked, notes };
}

/** The rules' verdict in one line, for lists (App Home): "critical: <title>", "no problem found", "no known cause (…)". */
export function verdictLine(report: Pick<Report, 'findings' | 'coverage' | 'target' | 'traffic'> & { given?: string }): string {
  const verdict = verdictOf(report);
  switch (verdict.kind) {
    case 'findings': {
      const [top] = verdict.top;
      const others = verdict.top.length - 1 + verdict.more;
      return `${top?.severity}: ${top?.title}${others > 0 ? ` (+${others} more)` : ''}`;
    }
    case 'no-cause':
      return `no known cause: ${verdict.why}`;
    case 'healthy':
      return `no problem found${verdict.unchecked.length ? ` (${verdict.unchecked.length} source${verdict.unchecked.length === 1 ? '' : 's'} not checked)` : ''}`;
  }
}
