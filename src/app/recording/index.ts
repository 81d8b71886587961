import { redactDeep } from '../../bundle/egress.js';
import { anonymizeScenario } from './anonymize.js';
import { recordScenario, type RecordInput } from './record.js';
import { serializeScenario, type RecordingFormat } from './serialize.js';

export { formatOf, type RecordingFormat } from './serialize.js';
export type { RecordInput } from './record.js';

/** The scenario loader's limit (`sandbox/load.ts`): a recording over it could not be replayed. */
export const MAX_RECORDING_BYTES = 8 * 1024 * 1024;

export interface RecordingOptions {
  format: RecordingFormat;
  /** Map account and resource ids to made-up ones (for sharing outside the team). */
  anonymize?: boolean;
}

export interface Recording {
  text: string;
  bytes: number;
  /** What the recording could not keep, one line each (also written in the file). */
  leftOut: readonly string[];
  /** Ids mapped by `--anonymize`. */
  anonymized?: number;
}

/** The recording is larger than the loader reads: it is not written (a file no replay can load helps nobody). */
export class RecordingTooLargeError extends Error {
  override name = 'RecordingTooLargeError';
}

/**
 * A recorded investigation as a scenario file. A recording is an egress: every string of it
 * (log lines, policies, CloudTrail events, error messages, even keys) passes the one redaction
 * boundary before it is anonymised and written, so nothing secret is in the file.
 */
export function writeRecording(input: RecordInput, options: RecordingOptions): Recording {
  const { scenario, leftOut } = recordScenario(input);
  const redacted = redactDeep(scenario);
  const anonymized = options.anonymize ? anonymizeScenario(redacted) : undefined;
  const header = [
    'A recorded firebreak investigation (docs/scenarios.md, "Recording an incident"): replay it with',
    '  firebreak troubleshoot api-gw <api> --scenario <this file>',
    'Redacted like every other output of firebreak.' + (anonymized ? ' Account and resource ids are made up (--anonymize).' : ''),
    ...(leftOut.length ? ['Left out (see recorded.leftOut):', ...leftOut.map((note) => `  - ${note}`)] : []),
  ];
  const text = serializeScenario(anonymized?.scenario ?? redacted, options.format, header);
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_RECORDING_BYTES) {
    throw new RecordingTooLargeError(
      `the recording is ${(bytes / 1024 / 1024).toFixed(1)} MB, over the ${MAX_RECORDING_BYTES / 1024 / 1024} MB a scenario may be; record a shorter window (--since) or one stage`,
    );
  }
  return { text, bytes, leftOut, ...(anonymized ? { anonymized: anonymized.mapped } : {}) };
}
