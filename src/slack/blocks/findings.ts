import type { CoverageRow } from '../../core/coverage.js';
import { bySeverity, formatRef, SEVERITY_RANK, type Finding, type Severity } from '../../core/finding.js';
import { fixCommandFor } from '../../core/fix-commands.js';
import type { Report } from '../../core/report.js';
import { askedAbout, byRelevance } from '../../core/verdict.js';
import { codeSpans } from './code-spans.js';
import { context, escapeMrkdwn, header, MAX_MESSAGE_BLOCKS, section, truncate, type Block, type SlackMessage } from './kit.js';

export const SEVERITY_EMOJI: Record<Severity, string> = {
  critical: ':rotating_light:',
  high: ':red_circle:',
  medium: ':large_orange_circle:',
  low: ':large_yellow_circle:',
  info: ':information_source:',
};

/** Text with identifiers (ARNs, resource ids, IAM actions) in code spans, escaped and shortened. */
const prose = (text: string, max: number): string => codeSpans(escapeMrkdwn(truncate(text, max)));

/**
 * One finding: what, why, where, the fix. Evidence is named, not quoted: the detail says what the
 * evidence shows, and the quotes are in the bundle download; on a phone each quote was a screen.
 */
/** What a fix needs from the report to be written as a command: the target, the accounts read. */
export type FixContext = Pick<Report, 'target' | 'coverage'>;

/**
 * The fix as Slack shows it: the words, then the command in a code block (every known value filled
 * in), then a link to the resource in the console. Without a report, the words only.
 */
export function fixText(finding: Finding, report: FixContext | undefined, rule?: string): string {
  const tag = rule ? ` · \`${escapeMrkdwn(rule)}\`` : '';
  if (!report) return `_Fix:_ ${prose(finding.fix, 600)}${tag}`;
  const fix = fixCommandFor(finding, report);
  const lines = [`_Fix:_ ${prose(fix.prose, 500)}${tag}`];
  if (fix.cli) lines.push(`\`\`\`\n${escapeMrkdwn(truncate(fix.cli, 1_200))}\n\`\`\``);
  if (fix.console) lines.push(`<${fix.console.url}|Open ${escapeMrkdwn(fix.console.label)} in the AWS console>`);
  return lines.join('\n');
}

export function findingText(finding: Finding, report?: FixContext): string {
  const refs = finding.evidence.slice(0, 3).map((ref) => `\`${escapeMrkdwn(truncate(formatRef(ref), 80))}\``);
  const more = finding.evidence.length > 3 ? ` (+${finding.evidence.length - 3} more)` : '';
  return [
    `${SEVERITY_EMOJI[finding.severity]} *${escapeMrkdwn(truncate(finding.title, 200))}*${finding.inconclusive ? ' _(inconclusive)_' : ''}`,
    prose(finding.detail, 1_000),
    refs.length ? `_Evidence:_ ${refs.join(' · ')}${more}` : '',
    fixText(finding, report, finding.rule),
  ]
    .filter(Boolean)
    .join('\n');
}

/** Findings that all stand on one refused permission: one entry saying what it hides. */
export interface RefusalGroup {
  /** The IAM action that was refused, e.g. `cloudtrail:LookupEvents`. */
  action: string;
  severity: Severity;
  findings: Finding[];
}

/**
 * Groups findings whose evidence comes only from sources refused one same IAM action (the rule
 * that reports the refusal and the "cannot rule out" findings it causes). Two or more make a
 * group; a finding with any other evidence stays on its own.
 */
export function groupByRefusal(findings: readonly Finding[], coverage: readonly CoverageRow[]): { groups: RefusalGroup[]; single: Finding[] } {
  const refused = new Map(coverage.filter((r) => r.error?.kind === 'access_denied' && r.error.action).map((r) => [r.source, r.error?.action as string]));
  const byAction = new Map<string, Finding[]>();
  const single: Finding[] = [];
  for (const finding of findings) {
    const actions = new Set(finding.evidence.map((ref) => refused.get(ref.source)));
    const [action] = actions;
    if (finding.evidence.length > 0 && actions.size === 1 && action) byAction.set(action, [...(byAction.get(action) ?? []), finding]);
    else single.push(finding);
  }
  const groups: RefusalGroup[] = [];
  for (const [action, members] of byAction) {
    if (members.length < 2) {
      single.push(...members);
      continue;
    }
    const severity = members.map((f) => f.severity).sort((a, b) => SEVERITY_RANK[a] - SEVERITY_RANK[b])[0] as Severity;
    groups.push({ action, severity, findings: [...members].sort(bySeverity) });
  }
  return { groups, single: single.sort(bySeverity) };
}

const CANNOT_RULE_OUT = /^cannot rule out:?\s*/i;

export function refusalGroupText(group: RefusalGroup, report?: FixContext): string {
  const decisive = group.findings.find((f) => !f.inconclusive);
  const hidden = group.findings.filter((f) => f.inconclusive).map((f) => f.title.replace(CANNOT_RULE_OUT, ''));
  const fix: Finding = { ...(decisive ?? group.findings[0] as Finding), fix: `Allow ${group.action} to the firebreak role, then run the investigation again.` };
  return [
    `${SEVERITY_EMOJI[group.severity]} *\`${escapeMrkdwn(group.action)}\` refused*${decisive ? `: ${escapeMrkdwn(truncate(decisive.title, 200))}` : ''}`,
    hidden.length ? `Cannot rule out: ${escapeMrkdwn(truncate(hidden.join(', '), 1_000))}.` : '',
    fixText(fix, report),
    `_Rules:_ ${group.findings.map((f) => `\`${escapeMrkdwn(f.rule)}\``).join(' ')}`,
  ]
    .filter(Boolean)
    .join('\n');
}

/**
 * Findings, most severe first, one section each; those that stand on one refused permission are
 * one entry. Beyond the block limit they are counted.
 */
export function findingsMessage(findings: readonly Finding[], coverage: readonly CoverageRow[] = [], report?: Pick<Report, 'target'> & { given?: string }): SlackMessage {
  const fixContext: FixContext | undefined = report ? { target: report.target, coverage: [...coverage] } : undefined;
  if (findings.length === 0) {
    return {
      text: 'No findings from the rules',
      blocks: [section(':mag_right: *No known misconfiguration matched.* The rules found nothing; the coverage below shows what was read and what could not be.')],
    };
  }
  const { groups, single } = groupByRefusal(findings, coverage);
  // The person's own subject (a custom domain) first among equals; refusals after the causes.
  const ordered = report ? [...single].sort(byRelevance(askedAbout(report))) : single;
  const entries = [...ordered.map((f) => ({ severity: f.severity, text: findingText(f, fixContext) })), ...groups.map((g) => ({ severity: g.severity, text: refusalGroupText(g, fixContext) }))];
  // Stable: a group sorts among the single findings by its severity, after those of equal rank.
  entries.sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity]);
  const room = MAX_MESSAGE_BLOCKS - 2;
  const shown = entries.slice(0, room);
  const blocks: Block[] = [header(`Findings: ${findings.length}`), ...shown.map((e) => section(e.text))];
  if (entries.length > shown.length) blocks.push(context(`… and ${entries.length - shown.length} more findings (in the bundle download)`));
  const top = [...findings].sort(bySeverity)[0];
  return { text: `${findings.length} findings: ${top?.title ?? ''}`, blocks };
}
