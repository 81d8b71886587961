import { truncationText, type CoverageRow, type CoverageStatus } from '../../core/coverage.js';
import { codeSpans } from './code-spans.js';
import { ACTION } from './ids.js';
import { button, context, escapeMrkdwn, header, MAX_MESSAGE_BLOCKS, packLines, truncate, type Block, type SlackMessage } from './kit.js';

export const STATUS_EMOJI: Record<CoverageStatus, string> = {
  ok: ':large_green_circle:',
  empty: ':white_circle:',
  not_configured: ':large_yellow_circle:',
  not_applicable: ':heavy_minus_sign:',
  error: ':red_circle:',
};

const STATUS_LABEL: Record<CoverageStatus, string> = {
  ok: 'ok',
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
  return row.status === 'error' || row.status === 'not_configured' || (row.status === 'empty' && EXPECTS_DATA.has(row.source));
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

/** One line per source: status, count (and truncation), reason, and the fix when there is one. */
export function coverageLine(row: CoverageRow): string {
  const count = row.truncated ? ` · ${truncationText(row.truncated)}` : row.count === undefined ? '' : ` · ${row.count}`;
  const why = rowReason(row);
  const reason = why ? ` — ${codeSpans(escapeMrkdwn(truncate(why, 200)))}` : '';
  const fix = row.hint ? `\n      ↳ _fix:_ ${codeSpans(escapeMrkdwn(truncate(row.hint, 200)))}` : '';
  return `${STATUS_EMOJI[row.status]} *${escapeMrkdwn(truncate(row.title, 80))}* \`${STATUS_LABEL[row.status]}\`${count}${reason}${fix}`;
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
  ok: (n) => `${n} source${n === 1 ? '' : 's'} ok`,
  empty: (n) => `${n} empty, nothing wrong there`,
  not_applicable: (n) => `${n} not applicable`,
};

/** "11 sources ok: REST API, Stages, …": the rows with nothing to act on, one line per status. */
function quietLines(rows: readonly CoverageRow[]): string[] {
  return (['ok', 'empty', 'not_applicable'] as const).flatMap((status) => {
    const titles = rows.filter((r) => r.status === status).map((r) => escapeMrkdwn(truncate(r.title, 60)));
    const label = QUIET_LABEL[status];
    return titles.length && label ? [`${STATUS_EMOJI[status]} *${label(titles.length)}*: ${truncate(titles.join(', '), 600)}`] : [];
  });
}

/**
 * The coverage message, problems first: failed reads, sources not set up and data missing where it
 * was expected, each with its reason and fix; every other row collapses into one line per status,
 * with the full table a click away (and in the bundle download).
 */
export function coverageMessage(rows: readonly CoverageRow[], options: { investigationId?: string } = {}): SlackMessage {
  const problems = rows.filter(isProblem).sort((a, b) => PROBLEM_ORDER[a.status] - PROBLEM_ORDER[b.status]);
  const quiet = rows.filter((r) => !isProblem(r));
  const summary = countsText(rows);
  const footer: Block[] = [context(summary || 'no sources ran')];
  if (options.investigationId && quiet.length) {
    footer.unshift({ type: 'actions', block_id: 'firebreak_coverage', elements: [button({ text: `Full table (${rows.length} sources)`, actionId: ACTION.coverageTable, value: options.investigationId })] });
  }
  const room = MAX_MESSAGE_BLOCKS - 1 - footer.length;
  const problemBlocks = problems.length ? packLines(problems.map(coverageLine), Math.max(1, room - 1), (n) => `… and ${n} more sources with problems (all are in the bundle download)`) : [];
  const quietBlocks = packLines(quietLines(quiet), room - problemBlocks.length, (n) => `… and ${n} more`);
  const title = problems.length ? `Coverage: ${problems.length} of ${rows.length} sources need attention` : `Coverage: all ${rows.length} sources read`;
  return {
    text: `Coverage: ${rows.length} sources (${summary})`,
    blocks: [header(title), ...problemBlocks, ...quietBlocks, ...footer],
  };
}

/** Every row with its reason, in the sources' order: what the "Full table" button shows. */
export function coverageTableMessage(rows: readonly CoverageRow[]): SlackMessage {
  const summary = countsText(rows);
  const body = packLines(rows.map(coverageLine), MAX_MESSAGE_BLOCKS - 2, (n) => `… and ${n} more sources (all are in the bundle download)`);
  return {
    text: `Coverage: ${rows.length} sources (${summary})`,
    blocks: [header(`Coverage: ${rows.length} sources`), ...body, context(summary || 'no sources ran')],
  };
}
