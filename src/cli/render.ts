import { truncationText, type CoverageRow, type CoverageStatus } from '../core/coverage.js';
import { formatRef, type Finding, type Severity } from '../core/finding.js';
import { fixCommandFor } from '../core/fix-commands.js';
import type { Report } from '../core/report.js';
import { describeTarget } from '../core/target.js';
import { sparkline, trafficLine, type Traffic } from '../core/traffic.js';
import { verdictLine } from '../core/verdict.js';

/** Plain-text rendering for terminals; colour only when the stream is a TTY. */
export interface Style {
  color: boolean;
  width: number;
}

const ANSI = { red: 31, yellow: 33, green: 32, cyan: 36, gray: 90, bold: 1, magenta: 35 } as const;
type Tone = keyof typeof ANSI;

function paint(style: Style, tone: Tone, text: string): string {
  return style.color ? `\u001b[${ANSI[tone]}m${text}\u001b[0m` : text;
}

/** "read" rather than "ok": a source read without error may still hold the problem (a finding cites it). */
const STATUS_LABEL: Partial<Record<CoverageStatus, string>> = { ok: 'read' };

const STATUS_TONE: Record<CoverageStatus, Tone> = {
  ok: 'green',
  empty: 'cyan',
  not_configured: 'yellow',
  not_applicable: 'gray',
  error: 'red',
};

const SEVERITY_TONE: Record<Severity, Tone> = { critical: 'red', high: 'red', medium: 'yellow', low: 'cyan', info: 'gray' };

function statusLabel(row: CoverageRow): string {
  return row.status === 'error' && row.error ? `error:${row.error.kind}` : (STATUS_LABEL[row.status] ?? row.status);
}

function countLabel(row: CoverageRow): string {
  if (row.truncated) return truncationText(row.truncated);
  return row.count === undefined ? '' : String(row.count);
}

function reasonOf(row: CoverageRow): string {
  const parts: string[] = [];
  if (row.reason) parts.push(row.reason);
  if (row.error && row.error.message !== row.reason) {
    parts.push(row.error.action ? `refused: ${row.error.action}` : row.error.message);
  }
  return parts.join(' · ');
}

function truncate(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, Math.max(0, width - 1))}…`;
}

/** The coverage table: one line per source, the fix on its own indented line. */
export function renderCoverage(rows: readonly CoverageRow[], style: Style): string {
  const sourceWidth = Math.max(6, ...rows.map((r) => r.source.length));
  const statusWidth = Math.max(6, ...rows.map((r) => statusLabel(r).length));
  const countWidth = Math.max(5, ...rows.map((r) => countLabel(r).length));
  const reasonWidth = Math.max(30, style.width - sourceWidth - statusWidth - countWidth - 6);
  const header = `${'SOURCE'.padEnd(sourceWidth)}  ${'STATUS'.padEnd(statusWidth)}  ${'COUNT'.padStart(countWidth)}  REASON`;
  const lines = [paint(style, 'bold', header)];
  for (const row of rows) {
    const status = paint(style, STATUS_TONE[row.status], statusLabel(row).padEnd(statusWidth));
    lines.push(`${row.source.padEnd(sourceWidth)}  ${status}  ${countLabel(row).padStart(countWidth)}  ${truncate(reasonOf(row), reasonWidth)}`);
    if (row.hint && row.status !== 'ok') lines.push(`${' '.repeat(sourceWidth + 2)}${paint(style, 'yellow', `fix: ${row.hint}`)}`);
  }
  return lines.join('\n');
}

export function renderFindings(findings: readonly Finding[], style: Style, report?: Pick<Report, 'target' | 'coverage'>): string {
  if (findings.length === 0) return paint(style, 'green', 'No findings: the rules found no known misconfiguration in the data above.');
  const lines: string[] = [];
  for (const f of findings) {
    const tag = paint(style, SEVERITY_TONE[f.severity], `[${f.severity.toUpperCase()}]`);
    const maybe = f.inconclusive ? paint(style, 'magenta', ' (inconclusive)') : '';
    lines.push(`${tag} ${paint(style, 'bold', f.title)}${maybe}  ${paint(style, 'gray', f.rule)}`);
    if (f.detail) lines.push(`    ${f.detail}`);
    for (const ref of f.evidence.slice(0, 4)) {
      lines.push(paint(style, 'gray', `    evidence: ${formatRef(ref)}${ref.quote ? ` — ${truncate(ref.quote, style.width - 20)}` : ''}`));
    }
    if (!f.fix) continue;
    const fix = report ? fixCommandFor(f, report) : { prose: f.fix };
    lines.push(`    ${paint(style, 'green', `fix: ${fix.prose}`)}`);
    for (const command of fix.cli?.split('\n') ?? []) lines.push(`      $ ${command}`);
    if (fix.console) lines.push(paint(style, 'gray', `      console: ${fix.console.url}`));
  }
  return lines.join('\n');
}

export function renderSummaryLine(report: Report): string {
  const counts = new Map<string, number>();
  for (const row of report.coverage) counts.set(STATUS_LABEL[row.status] ?? row.status, (counts.get(STATUS_LABEL[row.status] ?? row.status) ?? 0) + 1);
  const parts = [...counts].map(([status, n]) => `${n} ${status}`).join(', ');
  return `${describeTarget(report.target)} · ${report.window.since} → ${report.window.until} · ${report.coverage.length} sources (${parts}) in ${report.durationMs} ms · ${report.origin}`;
}

/**
 * The traffic in one line: requests and 5xx as sparklines over the window, the onset, the shares.
 * "traffic 10:00–12:00  requests ▅▅▆▅▅▆  5xx ▁▁▁▇██  onset 10:35  9,876 requests · … (access logs, stage prod)".
 */
export function trafficSparkline(traffic: Traffic, width = 24): string {
  const from = traffic.from.slice(11, 16);
  const until = traffic.until.slice(11, 16);
  const requests = sparkline(traffic.points.map((p) => p.requests), width);
  const errors = sparkline(traffic.points.map((p) => p.e5xx), width);
  const onset = traffic.onset ? `  onset ${traffic.onset.slice(11, 16)}` : '';
  return `traffic ${from}–${until} UTC  requests ${requests}  5xx ${errors}${onset}  ${trafficLine(traffic)}`;
}

export function renderReport(report: Report, style: Style): string {
  return [
    paint(style, 'bold', renderSummaryLine(report)),
    ...(report.resolution ? [report.resolution] : []),
    `verdict: ${verdictLine(report)}`,
    ...(report.traffic ? [trafficSparkline(report.traffic)] : []),
    '',
    renderCoverage(report.coverage, style),
    '',
    paint(style, 'bold', `Findings (${report.findings.length})`),
    renderFindings(report.findings, style, report),
  ].join('\n');
}
