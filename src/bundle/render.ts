import type { EvidenceDescriber } from '../core/describe.js';
import type { Investigation } from '../core/report.js';
import { configurationLines } from './config-lines.js';
import { plainLogLines, type Templater } from './log-lines.js';
import { buildSections, coverageLines, findingsLines, section, sectionText, type BundleSection, type FocusPlan } from './sections.js';

/** The prioritised, templated sections of an investigation (before packing and redaction). */
export function renderSections(
  investigation: Investigation,
  context?: string,
  prepareLogLine?: (message: string) => string,
  focus?: FocusPlan,
  templater?: Templater,
  describers?: readonly EvidenceDescriber[],
): BundleSection[] {
  return buildSections(investigation, context, prepareLogLine, focus, templater, describers);
}

/** Sections joined as the model reads them: a blank line between sections. */
export function joinSections(sections: readonly BundleSection[]): string {
  return sections.map(sectionText).join('\n\n');
}

/**
 * Everything collected, rendered plainly: no templating, no pruning, every log line. This is
 * what pasting the raw data into a chat would cost, the baseline for "tokens collected".
 */
export function renderPlain(investigation: Investigation, describers?: readonly EvidenceDescriber[]): string {
  return joinSections([
    section('findings', findingsLines(investigation)),
    section('coverage', coverageLines(investigation)),
    section('configuration', configurationLines(investigation.evidence, describers)),
    { name: 'log-errors', heading: '## everything collected', lines: plainLogLines(investigation.evidence) },
  ]);
}
