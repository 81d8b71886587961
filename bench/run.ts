/**
 * `npm run bench`: every figure the issues ask for, printed section by section. Never part of
 * `npm test`: timings depend on the machine.
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

type Bench = { name: string; load: () => Promise<() => Promise<string[]>> };

const BENCHES: Bench[] = [
  { name: 'startup', load: async () => (await import('./startup.js')).benchStartup },
  { name: 'runner', load: async () => (await import('./runner.js')).benchRunner },
  { name: 'metrics', load: async () => (await import('./metrics.js')).benchMetrics },
  { name: 'rules', load: async () => (await import('./rules.js')).benchRules },
  { name: 'bundle', load: async () => (await import('./bundle.js')).benchBundle },
  { name: 'redaction', load: async () => (await import('./redaction.js')).benchRedaction },
  { name: 'scenario-bundles', load: async () => (await import('./scenario-bundles.js')).benchScenarioBundles },
  { name: 'logs-at-scale', load: async () => (await import('./logs-at-scale.js')).benchLogsAtScale },
  { name: 'recording', load: async () => (await import('./recording.js')).benchRecording },
  { name: 'fingerprint', load: async () => (await import('./fingerprint.js')).benchFingerprint },
  { name: 'ledger', load: async () => (await import('./ledger.js')).benchLedger },
  { name: 'slack', load: async () => (await import('./slack.js')).benchSlack },
  { name: 'parsers', load: async () => (await import('./parsers.js')).benchParsers },
  { name: 'alarms', load: async () => (await import('./alarms.js')).benchAlarms },
];

const only = process.argv.slice(2);
let failed = false;
for (const bench of BENCHES) {
  if (only.length > 0 && !only.includes(bench.name)) continue;
  try {
    const run = await bench.load();
    for (const line of await run()) console.log(line);
  } catch (err) {
    failed = true;
    console.log(`${bench.name}: failed — ${(err as Error).stack ?? String(err)}`);
  }
  console.log('');
}
process.exitCode = failed ? 1 : 0;
