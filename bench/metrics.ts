import type { CallRecord } from '../src/aws/call-context.js';
import { sourcesFor } from '../src/sources/registry.js';
import { measuredChain, minimalChain } from './critical-path.js';
import { investigateScenario } from './rules.js';

/**
 * What the CloudWatch metrics reads add to the critical path, in rounds of dependent calls (a
 * count that does not depend on the machine's load): every call traced with 100 ms of latency,
 * the chain of calls that waited on each other measured with and without the metrics sources'
 * calls (nothing waits on them, so without their calls is the run without them), and the minimal
 * chain from the source graph with and without them. GetMetricData takes up to 500 queries a
 * call; the batches go out at once.
 */
const SCENARIOS = ['long-night', 'logging-off', 'i4-lambda-function-error', 'a8-waf-blocks', 'http-healthy', 'counts-data-trace-route-release'];
const isMetrics = (source: string) => source.startsWith('metrics.');

export async function benchMetrics(latencyMs = 100): Promise<string[]> {
  const lines = [`metrics — rounds of dependent AWS calls the metrics sources add to the critical path (${latencyMs} ms added to each call)`];
  let worst = 0;
  for (const scenario of SCENARIOS) {
    const records: CallRecord[] = [];
    const { report } = await investigateScenario(scenario, { latencyMs, onCall: (r) => records.push(r) });
    const withMetrics = measuredChain(records).length;
    const without = measuredChain(records.filter((r) => !isMetrics(r.source))).length;
    const sources = sourcesFor(report.target.apiType);
    const minimal = minimalChain(sources, report.coverage, records).rounds;
    const minimalWithout = minimalChain(sources.filter((s) => !isMetrics(s.id)), report.coverage, records).rounds;
    const added = withMetrics - without;
    worst = Math.max(worst, added);
    const own = report.coverage
      .filter((r) => isMetrics(r.source))
      .map((r) => `${r.source} ${measuredChain(records.filter((c) => c.source === r.source)).length}`)
      .join(', ');
    lines.push(`  ${scenario.padEnd(34)} chain ${without} → ${withMetrics} rounds (+${added}), minimal ${minimalWithout} → ${minimal}; own rounds: ${own}`);
  }
  lines.push(`  worst: +${worst} round(s) (target ≤ 1)`);
  return lines;
}
