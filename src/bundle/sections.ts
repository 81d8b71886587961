import type { CoverageRow } from '../core/coverage.js';
import type { Finding } from '../core/finding.js';
import { bySeverity, formatRef } from '../core/finding.js';
import type { Investigation } from '../core/report.js';
import { describeTarget } from '../core/target.js';
import { configurationLines } from './config-lines.js';
import { clip } from './format.js';
import { cloudTrailLines, flowLogLines, logErrorLines, makeTemplater, trafficLines, type Templater } from './log-lines.js';

/**
 * The bundle's sections, highest priority first. The packer drops from the end of this list;
 * protected sections are only ever truncated, and last.
 */
export const SECTION_ORDER = [
  'findings',
  'context',
  'coverage',
  'configuration',
  'log-errors',
  'cloudtrail',
  'flow-logs',
  'traffic',
] as const;
export type SectionName = (typeof SECTION_ORDER)[number];

export const PROTECTED_SECTIONS: ReadonlySet<string> = new Set<SectionName>(['findings', 'context', 'coverage']);

const TITLES: Record<SectionName, string> = {
  findings: 'findings and blind spots',
  context: "context added by the user",
  coverage: 'every data source considered',
  configuration: 'target configuration',
  'log-errors': 'errors from the logs (templated)',
  cloudtrail: 'cloudtrail denies and changes',
  'flow-logs': 'vpc flow log rejects',
  traffic: 'healthy traffic summary (templated)',
};

export interface BundleSection {
  name: SectionName;
  /** `## <name>: <title>` (titles do not repeat the name). */
  heading: string;
  /** One fact per line. */
  lines: string[];
}

export function section(name: SectionName, lines: string[]): BundleSection {
  return { name, heading: `## ${name}: ${TITLES[name]}`, lines };
}

/** Statuses a reader must know about: the data is missing, not absent. */
const BLIND_SPOT_STATUSES = new Set(['error', 'not_configured']);

/** Runs on free text (quotes, error messages) before it is clipped: the bundle passes redaction. */
type Prepare = (text: string) => string;
const asIs: Prepare = (text) => text;

export function findingsLines(investigation: Investigation, prepare: Prepare = asIs): string[] {
  const { report } = investigation;
  const lines: string[] = [`target: ${describeTarget(report.target)}; window ${report.window.since}..${report.window.until}`];
  const findings = [...report.findings].sort(bySeverity);
  if (findings.length === 0) lines.push('- no finding from the deterministic rules');
  for (const finding of findings) lines.push(...findingLines(finding, prepare));
  const blind = report.coverage.filter((row) => BLIND_SPOT_STATUSES.has(row.status));
  if (blind.length > 0) {
    lines.push('blind spots (data that could not be read; do not assume it is clean):');
    for (const row of blind) lines.push(`- ${coverageLine(row, prepare)}`);
  }
  return lines;
}

function findingLines(finding: Finding, prepare: Prepare): string[] {
  const lines = [
    `- [${finding.severity}] ${finding.rule}${finding.inconclusive ? ' (inconclusive)' : ''}: ${finding.title}`,
    `  detail: ${finding.detail}`,
  ];
  if (finding.evidence.length > 0) {
    // Redact, then clip: a secret cut at the clip boundary would no longer match its pattern.
    const refs = finding.evidence.map((ref) => (ref.quote ? `${formatRef(ref)} "${clip(prepare(ref.quote), 300)}"` : formatRef(ref)));
    lines.push(`  evidence: ${refs.join('; ')}`);
  }
  lines.push(`  fix: ${finding.fix}`);
  return lines;
}

export function coverageLine(row: CoverageRow, prepare: Prepare = asIs): string {
  const parts = [`${row.source}: ${row.status}`];
  if (row.count !== undefined) parts.push(`count=${row.count}`);
  if (row.truncated) parts.push(`truncated=kept ${row.truncated.kept} of ${row.truncated.total}`);
  if (row.reason) parts.push(`— ${row.reason}`);
  if (row.error) {
    const action = row.error.action ? ` ${row.error.action}` : '';
    const dependency = row.error.dependency ? ` (after ${row.error.dependency})` : '';
    parts.push(`error=${row.error.kind}${action}${dependency}: ${clip(prepare(row.error.message), 300)}`);
  }
  if (row.hint) parts.push(`hint: ${row.hint}`);
  return parts.join(' ');
}

export function coverageLines(investigation: Investigation, prepare: Prepare = asIs): string[] {
  return investigation.report.coverage.map((row) => coverageLine(row, prepare));
}

/**
 * Every section, in priority order, from an investigation (templated and compact).
 * `prepareLogLine` runs on each log message before templating, and on finding quotes and error
 * messages before clipping (the bundle passes redaction). A `templater` built with the same
 * `prepareLogLine` may be shared with other readers of the logs (the incident fingerprint).
 */
export function buildSections(
  investigation: Investigation,
  context?: string,
  prepareLogLine?: (message: string) => string,
  templater: Templater = makeTemplater(prepareLogLine),
): BundleSection[] {
  const prepare = prepareLogLine ?? asIs;
  const sections: BundleSection[] = [section('findings', findingsLines(investigation, prepare))];
  if (context && context.trim() !== '') sections.push(section('context', context.trim().split(/\r?\n/)));
  sections.push(section('coverage', coverageLines(investigation, prepare)));
  sections.push(section('configuration', configurationLines(investigation.evidence)));
  sections.push(section('log-errors', logErrorLines(investigation.evidence, templater)));
  sections.push(section('cloudtrail', cloudTrailLines(investigation.evidence)));
  sections.push(section('flow-logs', flowLogLines(investigation.evidence)));
  sections.push(section('traffic', trafficLines(investigation.evidence, templater)));
  return sections;
}

export function sectionText(s: BundleSection): string {
  return [s.heading, ...s.lines].join('\n');
}
