import { createHash } from 'node:crypto';
import type { EvidenceDescriber } from '../core/describe.js';
import type { CloudTrailEventEvidence, Evidence } from '../core/evidence.js';
import { bySeverity, type Finding } from '../core/finding.js';
import type { Investigation } from '../core/report.js';
import { configurationLines } from './config-lines.js';
import { accessRecordLine, makeTemplater, type Templater } from './log-lines.js';
import { maskLine } from './template.js';

/**
 * The incident fingerprint: a hash of what identifies the situation, not the moment. Two runs
 * five minutes apart see new request ids, new timestamps, other counts and another window, so
 * their bundle texts (and sha256) differ; if the rules, the configuration, the kinds of errors,
 * what could be read and what the person added are the same, their fingerprints are equal and
 * an answer to one serves the other. Exactly what goes in is listed in docs/answer-cache.md;
 * anything that changes with the clock stays out.
 *
 * Pure and deterministic, and cheap: it reuses the bundle's templater, so log lines are
 * templated once for both.
 */
export const FINGERPRINT_VERSION = 1;

export interface FingerprintOptions {
  /** The added context, as the bundle carries it (redacted). */
  context?: string;
  /** The sections the person chose to send (default: all). */
  sections?: readonly string[];
  /** The bundle budget's name or token count. */
  budget?: string;
  /** The bundle's templater (redacts each log line before templating); a fresh one otherwise. */
  templater?: Templater;
  /** The sources' describers: the configuration lines, as the bundle renders them. */
  describers?: readonly EvidenceDescriber[];
}

export interface IncidentFingerprint {
  /** sha256 (hex) of the fingerprint's canonical text. */
  fingerprint: string;
  /** Log lines and records behind the error templates: what "the error count" means. */
  errorCount: number;
  /** The canonical text that is hashed, one fact per line (tests and docs show it). */
  text: string;
}

/** A free-text quote with its volatile parts (times, request ids, numbers, addresses) masked. */
function stable(text: string): string {
  return maskLine(text).replace(/\s+/g, ' ').trim();
}

function findingLines(findings: readonly Finding[]): string[] {
  return [...findings].sort(bySeverity).map((f) => {
    // Titles and details carry counts ("212 requests…"); the rule, its severity and what it
    // cites identify the finding, and the cited configuration is in the configuration lines.
    const refs = f.evidence.map((ref) => `${ref.source}[${ref.key ?? ''}]${ref.quote ? ` ${stable(ref.quote)}` : ''}`).sort();
    return `finding ${f.rule} ${f.severity}${f.inconclusive ? ' inconclusive' : ''} | ${[...new Set(refs)].join(' | ')}`;
  });
}

/**
 * Configuration lines as the bundle renders them, except resolved DNS addresses: a name behind
 * a load balancer or CloudFront answers with other addresses minute to minute. Its verdict,
 * expected target and CNAME chain stay.
 */
function stableConfiguration(evidence: Evidence, describers: readonly EvidenceDescriber[] | undefined): string[] {
  const dns = evidence['dns.custom-domains'];
  const steady: Evidence = dns ? { ...evidence, 'dns.custom-domains': dns.map((d) => ({ ...d, addresses: [], detail: stable(d.detail).replace(/<ip>(?:,? <ip>)*/g, '<ip>') })) } : evidence;
  return configurationLines(steady, describers).map((line) => `config ${line}`);
}

/** The set of error templates across the logs, and how many lines and records they stand for. */
function errorTemplates(evidence: Evidence, templater: Templater): { lines: string[]; count: number } {
  const templates = new Set<string>();
  let count = 0;
  const add = (kind: string, template: string, n: number) => {
    templates.add(`${kind} ${template}`);
    count += n;
  };
  for (const log of evidence['logs.execution'] ?? []) {
    for (const t of templater.template(log.lines).templates) if (t.error) add(`execution ${log.stage}`, t.template, t.count);
  }
  for (const log of evidence['logs.access'] ?? []) {
    const failed = log.records.filter((r) => r.status === undefined || r.status >= 400);
    for (const t of templater.template(failed.map((r) => ({ timestamp: r.timestamp, message: accessRecordLine(r) }))).templates) add(`access ${log.stage}`, t.template, t.count);
    for (const t of templater.template(log.unparsed).templates) if (t.error) add(`access ${log.stage} unparsed`, t.template, t.count);
  }
  for (const log of evidence['logs.lambda'] ?? []) {
    for (const t of templater.template(log.lines).templates) add(`lambda ${log.functionName}`, t.template, t.count);
  }
  for (const e of evidence['cloudtrail.denies'] ?? []) add('cloudtrail deny', denyTemplate(e), 1);
  const flow = evidence['ec2.flow-logs'];
  for (const r of flow?.rejects ?? []) {
    // The source address is the caller's and varies; what is refused is the destination.
    add('flow reject', `→ ${r.dstaddr ?? '?'}:${r.dstport ?? '?'} protocol=${r.protocol ?? '?'} eni=${r.interfaceId ?? '?'}`, 1);
  }
  return { lines: [...templates].sort().map((t) => `error ${t}`), count };
}

function denyTemplate(e: CloudTrailEventEvidence): string {
  return stable(`${e.eventSource} ${e.eventName} ${e.errorCode ?? ''}${e.scpDeny ? ' scp' : ''} ${e.errorMessage ?? ''}`);
}

/** Changes are identified by their event id: a new change is a new situation, an old one stays. */
function changeLines(evidence: Evidence): string[] {
  return [...new Set((evidence['cloudtrail.changes'] ?? []).map((e) => `change ${e.eventSource} ${e.eventName} ${e.eventId}`))].sort();
}

export function incidentFingerprint(investigation: Investigation, options: FingerprintOptions = {}): IncidentFingerprint {
  const { report, evidence } = investigation;
  const templater = options.templater ?? makeTemplater();
  const t = report.target;
  const errors = errorTemplates(evidence, templater);
  const context = options.context?.replace(/\s+/g, ' ').trim() ?? '';
  const lines = [
    `firebreak incident fingerprint v${FINGERPRINT_VERSION}`,
    `target ${t.kind} ${t.restApiId} stage=${t.stage ?? '*'} region=${t.region} account=${t.account ?? '-'}`,
    `bundle budget=${options.budget ?? 'medium'} sections=${options.sections ? [...options.sections].sort().join(',') : 'all'}`,
    `context ${JSON.stringify(context)}`,
    ...findingLines(report.findings),
    ...[...report.coverage]
      .sort((a, b) => a.source.localeCompare(b.source) || (a.account ?? '').localeCompare(b.account ?? ''))
      .map((row) => `coverage ${row.source}${row.account ? `@${row.account}` : ''} ${row.status}${row.error ? ` ${row.error.kind}${row.error.action ? ` ${row.error.action}` : ''}` : ''}`),
    ...stableConfiguration(evidence, options.describers),
    ...errors.lines,
    ...changeLines(evidence),
  ];
  const text = lines.join('\n');
  return { fingerprint: createHash('sha256').update(text).digest('hex'), errorCount: errors.count, text };
}
