import { bySeverity, type Finding } from './finding.js';
import type { Report } from './report.js';

/** The most severe finding that names a cause: not an "inconclusive", not an informational one. */
export function decisiveFinding(findings: readonly Finding[]): Finding | undefined {
  return findings.filter((f) => !f.inconclusive && f.severity !== 'info').sort(bySeverity)[0];
}

/** The rules' verdict in one line, for lists (App Home): "high: <title>" or "no known cause". */
export function verdictLine(report: Pick<Report, 'findings' | 'coverage'>): string {
  const top = decisiveFinding(report.findings);
  if (top) return `${top.severity}: ${top.title}`;
  const problems = report.coverage.filter((r) => r.status === 'error' || r.status === 'not_configured').length;
  return `no known cause (${problems} source${problems === 1 ? '' : 's'} with problems)`;
}
