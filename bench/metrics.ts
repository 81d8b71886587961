import { ListMetricsCommand } from '@aws-sdk/client-cloudwatch';
import { DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { loadConfig } from '../src/config.js';
import { resolveWindow, troubleshootRequestSchema } from '../src/core/input.js';
import { openWorld } from '../src/app/world.js';
import { investigate } from '../src/engine.js';
import { sourcesFor } from '../src/sources/registry.js';
import { criticalPath } from './runner.js';

/**
 * What the CloudWatch metrics reads add to the critical path, in rounds of dependent calls (a
 * count that does not depend on the machine's load): every AWS call takes the same injected
 * latency, the sources run one after another so each one's duration is its own chain of calls,
 * and the longest chain through the dependency graph is computed with and without the metrics
 * sources. Durations are rounded to whole rounds: CPU time under load blurs them a little. GetMetricData takes up to 500 queries a call; the batches go out at once.
 */
const SCENARIOS = ['long-night', 'logging-off', 'i4-lambda-function-error', 'a8-waf-blocks', 'http-healthy', 'counts-data-trace-route-release'];

export async function benchMetrics(latencyMs = 100): Promise<string[]> {
  const config = loadConfig({});
  const lines = [`metrics — rounds of dependent AWS calls the metrics sources add to the critical path (${latencyMs} ms injected per call, sources run one at a time)`];
  let worst = 0;
  for (const scenario of SCENARIOS) {
    const env = await openWorld({ scenario, latencyMs }, config);
    const d = env.defaults;
    if (!d) continue;
    // The sandbox builds its log and metric stores on the first read: build them first, so a
    // source's duration is its chain of calls, not the simulator's CPU (which the load inflates).
    const clients = env.factory.forAccount(undefined, d.region);
    await Promise.all([clients.cloudwatch.send(new ListMetricsCommand({})), clients.logs.send(new DescribeLogGroupsCommand({}))]);
    const request = troubleshootRequestSchema.parse({ restApiId: d.restApiId, ...(d.stage ? { stage: d.stage } : {}) });
    const { report } = await investigate({ kind: 'api-gw', restApiId: d.restApiId, region: d.region, ...(d.stage ? { stage: d.stage } : {}) }, resolveWindow(request, env.now()), env, { concurrency: 1 });
    const sources = sourcesFor(report.target.apiType);
    const withMetrics = criticalPath(sources, report.coverage);
    const without = criticalPath(sources.filter((s) => !s.id.startsWith('metrics.')), report.coverage);
    const added = Math.max(0, Math.round((withMetrics.ms - without.ms) / latencyMs));
    worst = Math.max(worst, added);
    const rows = report.coverage.filter((r) => r.source.startsWith('metrics.'));
    const own = rows.map((r) => `${r.source} ${Math.round(r.durationMs / latencyMs)}`).join(', ');
    const calls = rows.flatMap((r) => r.calls).filter((c) => c === 'cloudwatch:GetMetricData').length;
    lines.push(`  ${scenario.padEnd(34)} critical path ${Math.round(without.ms / latencyMs)} → ${Math.round(withMetrics.ms / latencyMs)} rounds (+${added}); own rounds: ${own}; GetMetricData in ${calls} source(s)`);
  }
  lines.push(`  worst: +${worst} round(s) (target ≤ 1)`);
  return lines;
}
