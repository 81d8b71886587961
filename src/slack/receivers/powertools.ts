import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { pino, type Logger as PinoLogger } from 'pino';
import { redactingReplacer, type AppObserver } from '../../app/index.js';

/**
 * Powertools for AWS Lambda, as the three handlers use it: one logger (the Lambda request
 * context, cold start, the investigation id as correlation id), EMF metrics flushed at the end
 * of each event, and X-Ray segments around the AWS reads and the Bedrock call. Settings come
 * from the POWERTOOLS_* environment the stack sets (service name, namespace, log level).
 */
/** The Lambda context object, as the Powertools logger takes it. */
export type LambdaContext = Parameters<Logger['addContext']>[0];

export interface Powertools {
  logger: Logger;
  metrics: Metrics;
  tracer: Tracer;
}

export function createPowertools(): Powertools {
  const serviceName = process.env.POWERTOOLS_SERVICE_NAME ?? 'firebreak';
  return {
    // Every value of every record passes the egress boundary as it is serialized: the message, the
    // keys appended per event, errors and their stacks, and the pino lines routed in (pinoIntoPowertools).
    logger: new Logger({ serviceName, jsonReplacerFn: redactingReplacer }),
    metrics: new Metrics({ serviceName, namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'Firebreak' }),
    tracer: new Tracer({ serviceName }),
  };
}

/** Metric names, shared with the stack's alarms (`AckLatency`) and dashboards. */
export const METRIC = {
  investigations: 'Investigations',
  sourcesFailed: 'SourcesFailed',
  findings: 'Findings',
  bundlesSent: 'BundlesSent',
  inputTokens: 'InputTokens',
  outputTokens: 'OutputTokens',
  costUsd: 'CostUsd',
  cacheHits: 'CacheHits',
  quotaRefusals: 'QuotaRefusals',
  offlineEstimateError: 'OfflineEstimateErrorPercent',
  ackLatency: 'AckLatency',
} as const;

/** The app's observer, recorded as EMF metrics and X-Ray subsegments. */
export function powertoolsObserver({ metrics, tracer }: Powertools): AppObserver {
  const byDimension = (name: string, dimension: string, counts: Map<string, number>) => {
    for (const [value, count] of counts) {
      const single = metrics.singleMetric();
      single.addDimension(dimension, value);
      single.addMetric(name, MetricUnit.Count, count);
    }
  };
  const countBy = <T>(items: readonly T[], key: (item: T) => string | undefined) => {
    const counts = new Map<string, number>();
    for (const item of items) {
      const k = key(item);
      if (k) counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    return counts;
  };
  return {
    investigated(investigation) {
      metrics.addMetric(METRIC.investigations, MetricUnit.Count, 1);
      const { coverage, findings } = investigation.report;
      byDimension(METRIC.sourcesFailed, 'errorKind', countBy(coverage, (row) => (row.status === 'error' ? (row.error?.kind ?? 'unknown') : undefined)));
      byDimension(METRIC.findings, 'rule', countBy(findings, (finding) => finding.rule));
    },
    analyzed(result) {
      if (result.replayed) return;
      if (result.cacheHit) {
        metrics.addMetric(METRIC.cacheHits, MetricUnit.Count, 1);
        return;
      }
      metrics.addMetric(METRIC.bundlesSent, MetricUnit.Count, 1);
      metrics.addMetric(METRIC.inputTokens, MetricUnit.Count, result.usage.inputTokens);
      metrics.addMetric(METRIC.outputTokens, MetricUnit.Count, result.usage.outputTokens);
      metrics.addMetric(METRIC.costUsd, MetricUnit.NoUnit, result.costUsd);
    },
    estimateChecked(offline, counted) {
      metrics.addMetric(METRIC.offlineEstimateError, MetricUnit.Percent, Math.round(((offline - counted) / counted) * 1000) / 10);
    },
    quotaRefused() {
      metrics.addMetric(METRIC.quotaRefusals, MetricUnit.Count, 1);
    },
    async trace(segment, run) {
      const parent = tracer.isTracingEnabled() ? tracer.getSegment() : undefined;
      if (!parent) return run();
      const sub = parent.addNewSubsegment(`### ${segment}`);
      tracer.setSegment(sub);
      try {
        return await run();
      } catch (err) {
        sub.addError(err as Error);
        throw err;
      } finally {
        sub.close();
        tracer.setSegment(parent);
      }
    },
  };
}

const PINO_TO_POWERTOOLS = { 10: 'debug', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'critical' } as const;

/**
 * A pino logger (what listeners and jobs log with) whose lines go through the Powertools logger,
 * so every line on Lambda carries the request id, cold start and correlation id: one JSON stream.
 */
export function pinoIntoPowertools(logger: Logger, level = process.env.POWERTOOLS_LOG_LEVEL?.toLowerCase() ?? 'info'): PinoLogger {
  return pino(
    { level, base: undefined, timestamp: false },
    {
      write(line: string) {
        const { level: number, msg, ...fields } = JSON.parse(line) as { level: keyof typeof PINO_TO_POWERTOOLS; msg?: string } & Record<string, unknown>;
        const method = PINO_TO_POWERTOOLS[number] ?? 'info';
        logger[method](msg ?? '', fields);
      },
    },
  );
}

/** Per event: the Lambda context on every line, and whatever correlates this event's work. */
export function startEvent({ logger }: Powertools, context: LambdaContext | undefined, keys: Record<string, string | undefined> = {}): void {
  logger.resetKeys();
  if (context) logger.addContext(context);
  const defined = Object.fromEntries(Object.entries(keys).filter(([, v]) => v !== undefined)) as Record<string, string>;
  if (Object.keys(defined).length > 0) logger.appendKeys(defined);
  if (defined.investigationId) logger.setCorrelationId(defined.investigationId);
}

/** Flushes this event's metrics as one EMF line (nothing when none were recorded). */
export function endEvent({ metrics }: Powertools): void {
  if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
}
