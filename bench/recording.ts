import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createFirebreak } from '../src/app/firebreak.js';
import { loadConfig } from '../src/config.js';
import { troubleshootRequestSchema } from '../src/core/input.js';
import type { Report } from '../src/core/report.js';
import { loadScenario } from '../src/sandbox/load.js';
import { scaleTraffic } from '../src/sandbox/scale.js';

/**
 * A recording of a busy stage: `multi-timeout-and-throttling` scaled to about 3M log events in
 * the window, recorded with `--record` through the application and replayed from the file. The
 * file must stay under the loader's 8 MB and replay to the same findings (rule, severity, counts).
 */
const BASE_SCENARIO = 'multi-timeout-and-throttling';
const BASE_EVENTS = 26_700;
const SIZE = Number(process.env.FIREBREAK_RECORDING_EVENTS ?? 3_000_000);

const findingsOf = (report: Report) =>
  report.findings.map((f) => `${f.rule} ${f.severity} ${(f.figures ?? []).map((g) => `${g.numerator}/${g.denominator ?? '-'}`).join(' ')}`).sort();

async function investigate(scenario: string, record: boolean) {
  const app = await createFirebreak(loadConfig({ FIREBREAK_SOURCE_TIMEOUT_MS: '300000', FIREBREAK_DEADLINE_MS: '600000' }, { logLevel: 'silent' }), { world: { scenario } });
  try {
    const d = (await app.world()).defaults;
    if (!d) throw new Error('no defaults');
    const plan = await app.plan(troubleshootRequestSchema.parse({ restApiId: d.restApiId, ...(d.stage ? { stage: d.stage } : {}) }));
    const started = Date.now();
    const result = await app.troubleshoot(plan, record ? { record: { format: 'yaml' } } : {});
    return { result, ms: Date.now() - started };
  } finally {
    await app.close();
  }
}

export async function benchRecording(): Promise<string[]> {
  const base = await loadScenario(BASE_SCENARIO);
  const dir = await mkdtemp(path.join(tmpdir(), 'firebreak-recording-bench-'));
  try {
    const scaled = path.join(dir, 'scaled.json');
    await writeFile(scaled, JSON.stringify({ ...scaleTraffic(base, SIZE / BASE_EVENTS), name: `${BASE_SCENARIO}-${SIZE}` }));
    const recorded = await investigate(scaled, true);
    const recording = recorded.result.recording;
    if (!recording) throw new Error('nothing recorded');
    const file = path.join(dir, 'recording.yaml');
    await writeFile(file, recording.text);
    const replayed = await investigate(file, false);
    const same = JSON.stringify(findingsOf(replayed.result.report)) === JSON.stringify(findingsOf(recorded.result.report));
    return [
      `recording: ${BASE_SCENARIO} scaled to about ${SIZE.toLocaleString('en-US')} events, recorded through the application and replayed from the file`,
      `  file ${((await stat(file)).size / 1024 / 1024).toFixed(2)} MB (limit 8 MB); left out: ${recording.leftOut.length ? recording.leftOut.join('; ') : 'nothing'}`,
      `  recorded run ${(recorded.ms / 1000).toFixed(1)} s, replay ${(replayed.ms / 1000).toFixed(1)} s (wall, shared machine)`,
      `  findings ${same ? 'the same' : 'DIFFERENT'}: ${findingsOf(recorded.result.report).join('; ')}`,
      ...(same ? [] : [`  replay: ${findingsOf(replayed.result.report).join('; ')}`]),
    ];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
