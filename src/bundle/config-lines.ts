import { describeEvidence, type DescribeKit, type EvidenceDescriber } from '../core/describe.js';
import type { Evidence, PolicyDocument } from '../core/evidence.js';
import { compactJson, pairs, time } from './format.js';

/**
 * The target's configuration, one fact per line, as each source describes its own evidence
 * (`describe` in src/sources/): API, stages, resource policy, endpoints, security groups, domains
 * and mappings, integrations, authorizers, Lambda functions and their permission verdicts, WAF,
 * DNS verdicts, in the order a request meets them. The bundle only supplies the formatters.
 */
export function configurationLines(evidence: Evidence, describers: readonly EvidenceDescriber[] = []): string[] {
  return describeEvidence(evidence, describers, DESCRIBE_KIT);
}

/** One line per statement, compact JSON: policies are read statement by statement. */
export function policyLines(label: string, policy: PolicyDocument | null | undefined): string[] {
  if (!policy) return [`${label}: none`];
  if (policy.Statement.length === 0) return [`${label}: no statements`];
  return policy.Statement.map((statement, index) => `${label} [${statement.Sid ?? index}]: ${compactJson(statement, 800)}`);
}

/** What describers format with: the bundle's own helpers (the JSON cut redacts before it cuts). */
export const DESCRIBE_KIT: DescribeKit = { pairs, time, json: compactJson, policy: policyLines };
