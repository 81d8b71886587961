import { truncationText, type CoverageRow } from '../core/coverage.js';
import type { Finding } from '../core/finding.js';
import { bySeverity, formatRef } from '../core/finding.js';
import type { Investigation } from '../core/report.js';
import { describeTarget } from '../core/target.js';
import type { EvidenceDescriber } from '../core/describe.js';
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
  traffic: 'healthy traffic (2xx/3xx per route and status)',
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
    // The coverage section carries each row in full; here the fact is enough.
    for (const row of blind) lines.push(`- ${row.source}: ${row.status}${row.error ? ` ${row.error.kind}${row.error.action ? ` ${row.error.action}` : ''}` : ''}${row.reason && !row.error ? ` — ${clip(prepare(row.reason), 160)}` : ''}`);
  }
  return lines;
}

function findingLines(finding: Finding, prepare: Prepare): string[] {
  // "Cannot rule out" findings say everything in their detail: evidence and fix repeat the refusal.
  if (finding.inconclusive) return [`- [${finding.severity}] ${finding.rule} (inconclusive): ${finding.detail}`];
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
  if (row.truncated) parts.push(`truncated=${truncationText(row.truncated)}`);
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
  focus?: FocusPlan,
  templater: Templater = makeTemplater(prepareLogLine),
  describers: readonly EvidenceDescriber[] = [],
): BundleSection[] {
  const prepare = prepareLogLine ?? asIs;
  const sections: BundleSection[] = [section('findings', findingsLines(investigation, prepare))];
  if (context && context.trim() !== '') sections.push(section('context', context.trim().split(/\r?\n/)));
  sections.push(section('coverage', coverageLines(investigation, prepare)));
  const configuration = configurationLines(investigation.evidence, describers);
  sections.push(section('configuration', focus ? configuration.filter((line) => concerns(line, focus.sources)) : configuration));
  sections.push(section('log-errors', logErrorLines(investigation.evidence, templater)));
  sections.push(section('cloudtrail', cloudTrailLines(investigation.evidence)));
  sections.push(section('flow-logs', flowLogLines(investigation.evidence)));
  sections.push(section('traffic', trafficLines(investigation.evidence)));
  return sections;
}

export function sectionText(s: BundleSection): string {
  return [s.heading, ...s.lines].join('\n');
}

// ---------------------------------------------------------------- focus: what a named cause needs

/** A finding that names its cause with high confidence: decided, and severe enough to act on. */
export function namesTheCause(finding: Finding): boolean {
  return !finding.inconclusive && (finding.severity === 'critical' || finding.severity === 'high');
}

export interface FocusPlan {
  /** The findings whose cause the bundle is focused on. */
  rules: string[];
  /** Sources those findings cite: their configuration lines are kept. */
  sources: Set<string>;
  /** Sections left out of the default bundle, each with why (the Add context modal can add them back). */
  leftOut: { name: SectionName; reason: string }[];
}

/** Sections a focused bundle keeps only when a focused finding cites one of their sources. */
const OPTIONAL_SECTIONS: Partial<Record<SectionName, readonly string[]>> = {
  cloudtrail: ['cloudtrail.changes', 'cloudtrail.denies'],
  'flow-logs': ['ec2.flow-logs'],
  traffic: [],
};

/** Configuration kept in every focused bundle: what the API and its stages are. */
const ALWAYS_SOURCES = ['apigw.rest-api', 'apigw.stages'];

/** The source each configuration line describes, by its leading words. */
const CONFIG_PREFIXES: [string, string][] = [
  ['api ', 'apigw.rest-api'],
  ['apigw account', 'apigw.account'],
  ['stage ', 'apigw.stages'],
  ['method ', 'apigw.resources'],
  ['authorizer ', 'apigw.authorizers'],
  ['domain ', 'apigw.domains'],
  ['gateway response', 'apigw.gateway-responses'],
  ['usage plan', 'apigw.usage-plans'],
  ['vpc endpoint', 'ec2.vpc-endpoints'],
  ['vpc ', 'ec2.vpc-endpoints'],
  ['security group', 'ec2.security-groups'],
  ['lambda ', 'lambda.functions'],
  ['dns ', 'dns.custom-domains'],
];

function concerns(line: string, sources: ReadonlySet<string>): boolean {
  const source = CONFIG_PREFIXES.find(([prefix]) => line.startsWith(prefix))?.[1];
  // A line of a kind not listed here is kept: leaving out evidence by accident is worse.
  return source === undefined || sources.has(source);
}

/**
 * When the rules name a cause with high confidence, the default bundle carries what that cause
 * needs — the findings and their evidence, the configuration they cite, the errors around them —
 * and leaves out the rest, saying what and why. Undefined when no finding is that sure: then
 * everything goes, within the budget.
 */
export function focusPlan(investigation: Investigation): FocusPlan | undefined {
  const named = investigation.report.findings.filter(namesTheCause);
  if (named.length === 0) return undefined;
  const sources = new Set<string>(ALWAYS_SOURCES);
  for (const finding of named) for (const ref of finding.evidence) sources.add(ref.source);
  const rules = named.map((f) => f.rule);
  const leftOut: FocusPlan['leftOut'] = [];
  for (const [name, cited] of Object.entries(OPTIONAL_SECTIONS) as [SectionName, readonly string[]][]) {
    if (cited.some((source) => sources.has(source))) continue;
    leftOut.push({ name, reason: `${rules.join(', ')} named the cause; ${name} is not part of its evidence` });
  }
  return { rules, sources, leftOut };
}

/** The note a focused bundle ends with, so a reader knows what was not sent and how to get it. */
export function leftOutNote(plan: FocusPlan): string {
  return `## left out: ${plan.leftOut.map((s) => s.name).join(', ')} (${plan.rules.join(', ')} named the cause with high confidence; add them back with Add context)`;
}
