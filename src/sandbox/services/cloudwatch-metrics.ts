import type { ServiceHandlers } from './context.js';

/**
 * CloudWatch metrics (GetMetricData, ListMetrics). Placeholder answers (no series) until the
 * metrics generator lands: the same seeded traffic that writes the logs gives the series.
 */
export const cloudwatchMetricsHandlers: ServiceHandlers = {
  GetMetricData: () => ({ MetricDataResults: [], Messages: [] }),
  ListMetrics: () => ({ Metrics: [] }),
};
