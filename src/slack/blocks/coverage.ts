import { truncationText, type CoverageRow, type CoverageStatus } from '../../core/coverage.js';
import { escapeMrkdwn, header, MAX_MESSAGE_BLOCKS, context, packLines, truncate, type SlackMessage } from './kit.js';

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

/** One line per source: status, count (and truncation), reason, and the fix when there is one. */
export function coverageLine(row: CoverageRow): string {
  const count = row.truncated ? ` · ${truncationText(row.truncated)}` : row.count === undefined ? '' : ` · ${row.count}`;
  const why = row.error ? `${row.error.kind}${row.error.action ? ` on ${row.error.action}` : ''}: ${row.error.message}` : row.reason;
  const reason = why ? ` — ${escapeMrkdwn(truncate(why, 200))}` : '';
  const fix = row.hint ? `\n      ↳ _fix:_ ${escapeMrkdwn(truncate(row.hint, 200))}` : '';
  return `${STATUS_EMOJI[row.status]} *${escapeMrkdwn(truncate(row.title, 80))}* \`${STATUS_LABEL[row.status]}\`${count}${reason}${fix}`;
}

export function coverageCounts(rows: readonly CoverageRow[]): Record<CoverageStatus, number> {
  const counts: Record<CoverageStatus, number> = { ok: 0, empty: 0, not_configured: 0, not_applicable: 0, error: 0 };
  for (const row of rows) counts[row.status]++;
  return counts;
}

/**
 * The coverage table: every source with its status. Rows are packed into section blocks, so any
 * number of rows stays within Slack's 50 blocks and 3,000 chars a section.
 */
export function coverageMessage(rows: readonly CoverageRow[]): SlackMessage {
  const counts = coverageCounts(rows);
  const summary = (Object.keys(counts) as CoverageStatus[])
    .filter((s) => counts[s] > 0)
    .map((s) => `${STATUS_EMOJI[s]} ${counts[s]} ${STATUS_LABEL[s]}`)
    .join(' · ');
  const body = packLines(rows.map(coverageLine), MAX_MESSAGE_BLOCKS - 2, (n) => `… and ${n} more sources (all are in the bundle download)`);
  return {
    text: `Coverage: ${rows.length} sources (${summary})`,
    blocks: [header(`Coverage: ${rows.length} sources`), ...body, context(summary || 'no sources ran')],
  };
}
