import type { PolicyDocument, PolicyStatement } from '../../core/evidence.js';

export interface ParsedPolicy {
  /** null when there is no policy, or when it could not be parsed (see `error`). */
  policy: PolicyDocument | null;
  error?: string;
}

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * API Gateway returns the resource policy as a JSON document whose quotes are backslash-escaped
 * (`{\"Version\":...}`), Lambda and EC2 return plain JSON, and scenario files may give an object.
 * Accept all three and normalise `Statement` to an array, so rules read one shape.
 */
export function parsePolicyDocument(raw: unknown): ParsedPolicy {
  if (raw === undefined || raw === null || raw === '') return { policy: null };
  let value: unknown = raw;
  if (typeof raw === 'string') {
    value = tryJson(raw);
    // Escaped form: unescape it as the body of a JSON string literal, then parse the result.
    if (value === undefined) {
      const unescaped = tryJson(`"${raw}"`);
      if (typeof unescaped === 'string') value = tryJson(unescaped);
    }
    // A policy double-encoded as a JSON string literal.
    if (typeof value === 'string') value = tryJson(value);
    if (value === undefined) return { policy: null, error: `resource policy is not valid JSON (${raw.length} characters)` };
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    return { policy: null, error: 'resource policy is not a JSON object' };
  }
  const doc = value as { Version?: unknown; Id?: unknown; Statement?: unknown };
  const statements = Array.isArray(doc.Statement) ? doc.Statement : doc.Statement ? [doc.Statement] : [];
  const valid = statements.filter(
    (s): s is PolicyStatement => Boolean(s) && typeof s === 'object' && ((s as PolicyStatement).Effect === 'Allow' || (s as PolicyStatement).Effect === 'Deny'),
  );
  const policy: PolicyDocument = { Statement: valid };
  if (typeof doc.Version === 'string') policy.Version = doc.Version;
  if (typeof doc.Id === 'string') policy.Id = doc.Id;
  if (valid.length !== statements.length) {
    return { policy, error: `${statements.length - valid.length} statement(s) without Effect Allow or Deny were dropped` };
  }
  return { policy };
}
