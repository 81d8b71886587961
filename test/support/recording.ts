import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFirebreak, type TroubleshootOptions } from '../../src/app/firebreak.js';
import type { Recording } from '../../src/app/recording/index.js';
import { loadConfig } from '../../src/config.js';
import { troubleshootRequestSchema } from '../../src/core/input.js';
import type { Investigation, Report } from '../../src/core/report.js';

/**
 * Record an investigation of a scenario (a built-in name or a file) through the application, as
 * `--record` does, write the file, and replay it: the run, the recording and the replay.
 */
const tmp = mkdtempSync(join(tmpdir(), 'firebreak-recording-'));
let written = 0;

export interface RoundTrip {
  original: Investigation;
  recording: Recording;
  file: string;
  replay: Investigation;
}

async function run(scenario: string, options: TroubleshootOptions = {}, asked: { restApiId?: string; stage?: string } = {}) {
  const app = await createFirebreak(loadConfig({}, { logLevel: 'silent' }), { world: { scenario } });
  try {
    const world = await app.world();
    const d = world.defaults;
    if (!d) throw new Error(`scenario ${scenario} has no defaults`);
    const restApiId = asked.restApiId ?? d.restApiId;
    const stage = asked.stage ?? d.stage;
    const plan = await app.plan(troubleshootRequestSchema.parse({ restApiId, ...(stage ? { stage } : {}) }));
    return await app.troubleshoot(plan, options);
  } finally {
    await app.close();
  }
}

export async function roundTrip(scenario: string, options: { anonymize?: boolean; format?: 'yaml' | 'json'; extraSources?: TroubleshootOptions['extraSources'] } = {}): Promise<RoundTrip> {
  const format = options.format ?? 'yaml';
  const original = await run(scenario, {
    record: { format, ...(options.anonymize ? { anonymize: true } : {}) },
    ...(options.extraSources ? { extraSources: options.extraSources } : {}),
  });
  const recording = original.recording;
  if (!recording) throw new Error('no recording');
  const file = join(tmp, `recording-${++written}.${format}`);
  writeFileSync(file, recording.text);
  // The replay asks about the scenario's own API (made up when anonymised) with nothing else added.
  const replay = await run(file, options.extraSources ? { extraSources: options.extraSources } : {});
  return { original, recording, file, replay };
}

/** What must replay the same: coverage statuses, findings (rule, severity, counts), fingerprint. */
export function outcome(report: Report) {
  return {
    coverage: report.coverage.map((row) => `${row.source}: ${row.status}${row.error ? ` ${row.error.kind}` : ''}`),
    findings: report.findings
      .map((f) => `${f.rule} ${f.severity}${f.inconclusive ? ' inconclusive' : ''} ${(f.figures ?? []).map((g) => `${g.numerator}/${g.denominator ?? '-'}`).join(' ')}`)
      .sort(),
    fingerprint: report.bundle?.fingerprint,
  };
}
