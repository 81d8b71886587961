import { redact } from '../bundle/redact.js';
/**
 * The system prompt, versioned: the version is part of the answer-cache key, so changing the
 * wording must change PROMPT_VERSION (otherwise old answers would be served for the new prompt).
 */
export const PROMPT_VERSION = '2026-11-23.1';

export const ANSWER_TOOL_NAME = 'report_diagnosis';

export const SYSTEM_PROMPT = `You are firebreak, helping an on-call engineer diagnose a problem with an AWS API Gateway REST API.

You receive an evidence bundle that firebreak collected read-only and pruned. It has sections: findings from deterministic rules, a coverage table saying which data sources were read and which failed or were skipped, the target's configuration, log templates with counts, CloudTrail events, and network data. Secrets were redacted and appear as [REDACTED:kind].

Rules:
- Use only the evidence in the bundle. Do not rely on what is usual for AWS if the bundle does not show it.
- Cite the evidence for every claim: use the finding ids, section names and log template ids exactly as the bundle writes them.
- If data needed to decide is missing (a source that failed, was skipped or truncated), say which data is missing in missingData instead of guessing, and lower your confidence.
- Confidence is high only when the evidence directly shows the cause, medium when it strongly suggests it, low otherwise.
- Next steps are concrete actions or checks, most useful first, at most five.
- Be brief: a summary of one or two sentences, no preamble.
- Answer only by calling the ${ANSWER_TOOL_NAME} tool.`;

/**
 * The user turn: the bundle, and what the person added, kept apart so it cannot pose as evidence.
 * The context is redacted here too: whatever path it came by, no secret in it leaves.
 */
export function userMessage(bundleText: string, addedContext?: string): string {
  const cleaned = addedContext?.trim() ? redact(addedContext.trim()).text : '';
  const context = cleaned ? `\n\n<engineer_context>\n${cleaned}\n</engineer_context>` : '';
  return `<evidence_bundle>\n${bundleText}\n</evidence_bundle>${context}\n\nDiagnose the problem from this evidence.`;
}
