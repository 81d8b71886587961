import { truncationText, type CoverageRow, type CoverageStatus } from '../../core/coverage.js';
import { bySeverity, type Finding } from '../../core/finding.js';
import { hidesNothing } from '../../core/verdict.js';
import { codeSpans } from './code-spans.js';
import { SEVERITY_EMOJI } from './findings.js';
import { ACTION } from './ids.js';
import { button, context, escapeMrkdwn, header, MAX_MESSAGE_BLOCKS, packLines, truncate, type Block, type SlackMessage } from './kit.js';

/**
 * "ok" meant "read without error", and a green mark on the security group that lacks 443 misled:
 * a row that was read is "read", marked neutrally, unless a finding cites it (then it carries that
 * finding's severity mark).
 */
export const STATUS_EMOJI: Record<CoverageStatus, string> = {
  ok: ':ballot_box_with_check:',
  empty: ':white_circle:',
  not_configured: ':large_yellow_circle:',
  not_applicable: ':heavy_minus_sign:',
  error: ':red_circle:',
};

const STATUS_LABEL: Record<CoverageStatus, string> = {
  ok: 'read',
  empty: 'empty',
  not_configured: 'not configured',
  not_applicable: 'n/a',
  error: 'error',
};

/**
 * Sources whose emptiness is itself a problem: no log line in the window of an incident, an API
 * with no stage or no method, endpoints with no security group. Elsewhere "empty" is the good
 * news (no authorizer, no SCP, no REJECT in the flow logs).
 */
const EXPECTS_DATA = new Set(['logs.execution', 'logs.access', 'apigw.stages', 'apigw.resources', 'apigwv2.stages', 'apigwv2.routes', 'ec2.security-groups']);

/** Rows a reader must see first: failed reads, sources not set up, and data missing where it was expected. */
export function isProblem(row: CoverageRow): boolean {
  return row.status === 'error' || (row.status === 'not_configured' && !hidesNothing(row)) || (row.status === 'empty' && EXPECTS_DATA.has(row.source));
}

const PROBLEM_ORDER: Record<CoverageStatus, number> = { error: 0, not_configured: 1, empty: 2, ok: 3, not_applicable: 4 };

/**
 * Why the row is what it is. A refused permission is named, not quoted: Slack's "User: arn:…
 * is not authorized to perform: x" repeats the role's whole ARN on every row.
 */
function rowReason(row: CoverageRow): string | undefined {
  const { error } = row;
  if (!error) return row.reason;
  if (error.kind === 'access_denied' && error.action) return `${error.action} refused`;
  return `${error.kind}${error.action ? ` on ${error.action}` : ''}: ${error.message}`;
}

/** The most severe conclusive finding that cites each source: the row carries its mark. */
export function citedBy(findings: readonly Finding[]): Map<string, Finding> {
  const cited = new Map<string, Finding>();
  for (const finding of [...findings].filter((f) => !f.inconclusive && f.severity !== 'info').sort(bySeverity)) {
    for (const ref of finding.evidence) if (!cited.has(ref.source)) cited.set(ref.source, finding);
  }
  return cited;
}

/** One line per source: status, count (and truncation), reason, and the fix when there is one. */
export function coverageLine(row: CoverageRow, options: { cited?: Finding; fixShownElsewhere?: boolean } = {}): string {
  const count = row.truncated ? ` · ${truncationText(row.truncated)}` : row.count === undefined ? '' : ` · ${row.count}`;
  const why = rowReason(row);
  const reason = why ? ` — ${codeSpans(escapeMrkdwn(truncate(why, 200)))}` : '';
  const fix = row.hint && !options.fixShownElsewhere ? `\n      ↳ _fix:_ ${codeSpans(escapeMrkdwn(truncate(row.hint, 200)))}` : '';
  const cited = options.cited && row.status === 'ok' ? options.cited : undefined;
  const mark = cited ? SEVERITY_EMOJI[cited.severity] : STATUS_EMOJI[row.status];
  const citation = cited ? ` — cited by the ${cited.severity} finding _${escapeMrkdwn(truncate(cited.title, 120))}_` : '';
  return `${mark} *${escapeMrkdwn(truncate(row.title, 80))}* \`${STATUS_LABEL[row.status]}\`${count}${cited ? citation : reason}${fix}`;
}

/**
 * Rows refused on one IAM action, as one line (CloudTrail changes and denies both need
 * cloudtrail:LookupEvents): the refusal is said once, and its fix only where no finding says it.
 */
function refusalLine(action: string, rows: CoverageRow[], fixInFindings: boolean): string {
  const titles = rows.map((r) => escapeMrkdwn(truncate(r.title, 60))).join(', ');
  const fix = fixInFindings ? ' — the fix is with the findings' : rows[0]?.hint ? `\n      ↳ _fix:_ ${codeSpans(escapeMrkdwn(truncate(rows[0].hint, 200)))}` : '';
  return `${STATUS_EMOJI.error} *${titles}* \`error\` — \`${escapeMrkdwn(action)}\` refused${fix}`;
}

export function coverageCounts(rows: readonly CoverageRow[]): Record<CoverageStatus, number> {
  const counts: Record<CoverageStatus, number> = { ok: 0, empty: 0, not_configured: 0, not_applicable: 0, error: 0 };
  for (const row of rows) counts[row.status]++;
  return counts;
}

function countsText(rows: readonly CoverageRow[]): string {
  const counts = coverageCounts(rows);
  return (Object.keys(counts) as CoverageStatus[])
    .filter((s) => counts[s] > 0)
    .map((s) => `${STATUS_EMOJI[s]} ${counts[s]} ${STATUS_LABEL[s]}`)
    .join(' · ');
}

const QUIET_LABEL: Partial<Record<CoverageStatus, (n: number) => string>> = {
  ok: (n) => `${n} source${n === 1 ? '' : 's'} read`,
  empty: (n) => `${n} empty, nothing wrong there`,
  not_applicable: (n) => `${n} not applicable`,
  not_configured: (n) => `${n} not set up, nothing hidden there`,
};

/** "11 sources ok: REST API, Stages, …": the rows with nothing to act on, one line per status. */
function quietLines(rows: readonly CoverageRow[]): string[] {
  return (['ok', 'empty', 'not_configured', 'not_applicable'] as const).flatMap((status) => {
    const titles = rows.filter((r) => r.status === status).map((r) => escapeMrkdwn(truncate(r.title, 60)));
    const label = QUIET_LABEL[status];
    return titles.length && label ? [`${STATUS_EMOJI[status]} *${label(titles.length)}*: ${truncate(titles.join(', '), 600)}`] : [];
  });
}

/** A refused action a finding already names (a refusal group, or a finding standing on those rows). */
function refusalsInFindings(findings: readonly Finding[], rows: readonly CoverageRow[]): Set<string> {
  const actionOf = new Map(rows.filter((r) => r.error?.kind === 'access_denied' && r.error.action).map((r) => [r.source, r.error?.action as string]));
  const named = new Set<string>();
  for (const f of findings) for (const ref of f.evidence) if (actionOf.has(ref.source)) named.add(actionOf.get(ref.source) as string);
  return named;
}

/**
 * The coverage message, problems first: failed reads (one line per refused permission), sources
 * not set up and data missing where it was expected, each with its reason and fix, then the rows a
 * finding cites (with the finding's mark: read is not "fine"); every other row collapses into one
 * line per status, with the full table a click away (and in the bundle download).
 */
export function coverageMessage(rows: readonly CoverageRow[], options: { investigationId?: string; findings?: readonly Finding[] } = {}): SlackMessage {
  const findings = options.findings ?? [];
  const cited = citedBy(findings);
  const named = refusalsInFindings(findings, rows);
  const byAction = new Map<string, CoverageRow[]>();
  for (const row of rows) {
    const action = row.error?.kind === 'access_denied' ? row.error.action : undefined;
    if (action) byAction.set(action, [...(byAction.get(action) ?? []), row]);
  }
  const refusedLines = [...byAction].map(([action, refused]) => refusalLine(action, refused, named.has(action)));
  const refusedSources = new Set([...byAction.values()].flat().map((r) => r.source));
  const problems = rows.filter((r) => isProblem(r) && !refusedSources.has(r.source)).sort((a, b) => PROBLEM_ORDER[a.status] - PROBLEM_ORDER[b.status]);
  const citedRows = rows.filter((r) => r.status === 'ok' && cited.has(r.source)).sort((a, b) => bySeverity(cited.get(a.source) as Finding, cited.get(b.source) as Finding));
  const attention = [...refusedLines, ...problems.map((r) => coverageLine(r)), ...citedRows.map((r) => coverageLine(r, { cited: cited.get(r.source) as Finding }))];
  const quiet = rows.filter((r) => !isProblem(r) && !refusedSources.has(r.source) && !(r.status === 'ok' && cited.has(r.source)));
  const summary = countsText(rows);
  const footer: Block[] = [context(summary || 'no sources ran')];
  if (options.investigationId && rows.length) {
    footer.unshift({ type: 'actions', block_id: 'firebreak_coverage', elements: [button({ text: `Full table (${rows.length} sources)`, actionId: ACTION.coverageTable, value: options.investigationId })] });
  }
  const room = MAX_MESSAGE_BLOCKS - 1 - footer.length;
  const attentionBlocks = attention.length ? packLines(attention, Math.max(1, room - 1), (n) => `… and ${n} more sources with problems (all are in the bundle download)`) : [];
  const quietBlocks = packLines(quietLines(quiet), room - attentionBlocks.length, (n) => `… and ${n} more`);
  const needs = attention.length ? rows.length - quiet.length : 0;
  const title = needs ? `Coverage: ${needs} of ${rows.length} sources need attention` : `Coverage: ${rows.length} sources, none needs attention`;
  return {
    text: `Coverage: ${rows.length} sources (${summary})`,
    blocks: [header(title), ...attentionBlocks, ...quietBlocks, ...footer],
  };
}

/** Every row with its reason, in the sources' order: what the "Full table" button shows. */
export function coverageTableMessage(rows: readonly CoverageRow[], findings: readonly Finding[] = []): SlackMessage {
  const summary = countsText(rows);
  const cited = citedBy(findings);
  const body = packLines(
    rows.map((r) => coverageLine(r, { ...(cited.has(r.source) ? { cited: cited.get(r.source) as Finding } : {}) })),
    MAX_MESSAGE_BLOCKS - 2,
    (n) => `… and ${n} more sources (all are in the bundle download)`,
  );
  return {
    text: `Coverage: ${rows.length} sources (${summary})`,
    blocks: [header(`Coverage: ${rows.length} sources`), ...body, context(summary || 'no sources ran')],
  };
}
