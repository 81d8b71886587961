import type { MetricName, MetricsEvidence } from '../../core/evidence.js';
import { clientsFor, listText } from '../cross-account.js';
import { recordAnswers } from '../record.js';
import { writeCloudwatchAnswer } from './record.js';
import { defineSource } from '../types.js';
import { evidenceOf } from './api.js';
import { AccountBatches, formatCount as count, readNotes, totalOf } from './read.js';

/** Lambda's own counts (Lambda DG monitoring-metrics-types): invocations are "binary indicators", read with Sum. */
const LAMBDA_METRICS: [MetricName, string, string][] = [
  ['invocations', 'Invocations', 'Sum'],
  ['errors', 'Errors', 'Sum'],
  ['throttles', 'Throttles', 'Sum'],
  ['duration_p99', 'Duration', 'p99'],
  ['concurrent_executions', 'ConcurrentExecutions', 'Maximum'],
];

/**
 * Invocations, errors (timeouts included), throttles, p99 duration and peak concurrency of every
 * integration and authorizer function, per minute: the exact denominator for "what share of the
 * function's invocations failed" (never its error lines). Functions in other accounts are read
 * through their account's role, one GetMetricData round for all.
 */
export const metricsLambdaSource = defineSource({
  id: 'metrics.lambda',
  title: 'Lambda metrics',
  dependsOn: ['lambda.functions'],
  calls: { chain: 1 },
  async run(ctx) {
    const functions = (ctx.evidence['lambda.functions'] ?? []).filter((f) => f.state !== 'NotFound');
    if (functions.length === 0) return { status: 'not_applicable', evidence: evidenceOf(ctx, []), reason: 'the API uses no Lambda function' };
    const batches = new AccountBatches();
    const notRead: string[] = [];
    const names = new Set<string>();
    for (const fn of functions) {
      const access = clientsFor(ctx, fn.accountId, fn.region);
      if ('unreadable' in access) {
        notRead.push(`${fn.functionName} (${access.unreadable})`);
        continue;
      }
      const key = `${access.clients.accountId ?? ''}/${access.clients.region}`;
      if (names.has(`${key}/${fn.functionName}`)) continue;
      names.add(`${key}/${fn.functionName}`);
      for (const [metric, metricName, stat] of LAMBDA_METRICS) {
        batches.add(access.clients, { metric, scope: { kind: 'function', name: fn.functionName }, namespace: 'AWS/Lambda', metricName, dimensions: { FunctionName: fn.functionName }, stat });
      }
    }
    if (batches.size === 0) {
      return { status: 'not_configured', evidence: evidenceOf(ctx, []), reason: `no function could be read: ${listText(notRead)}`, hint: 'add a read-only role for the functions\' account to the firebreak config (accounts[].roleArn)' };
    }
    const read = await batches.read(ctx.window, ctx.limits);
    const { series } = read;
    const evidence: MetricsEvidence = evidenceOf(ctx, series);
    const functionNames = [...new Set(series.map((s) => s.scope.name))];
    const invoked = functionNames.filter((n) => (totalOf(series, 'invocations', { kind: 'function', name: n }) ?? 0) > 0 || (totalOf(series, 'throttles', { kind: 'function', name: n }) ?? 0) > 0);
    const parts = functionNames.map((n) => {
      const scope = { kind: 'function' as const, name: n };
      return `${n}: ${count(totalOf(series, 'invocations', scope))} invocations, ${count(totalOf(series, 'errors', scope))} errors, ${count(totalOf(series, 'throttles', scope))} throttles`;
    });
    const notes: string[] = [];
    if (notRead.length) notes.push(`not read: ${listText(notRead)}`);
    notes.push(...readNotes(read));
    const suffix = notes.length ? `; ${notes.join('; ')}` : '';
    // Invocations CloudWatch did not answer are unknown, not none.
    const empty = invoked.length === 0 && !read.unread.some((s) => s.metric === 'invocations' || s.metric === 'throttles');
    return {
      status: empty ? 'empty' : 'ok',
      evidence,
      count: series.length,
      reason: `${empty ? 'no invocations in the window; ' : ''}${listText(parts, 6)}${suffix}`,
    };
  },
  record: recordAnswers(writeCloudwatchAnswer),
});
