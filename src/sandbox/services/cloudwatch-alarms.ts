import type { ServiceHandlers } from './context.js';

/** CloudWatch alarms (DescribeAlarms). Placeholder answer (no alarms) until scenarios declare them. */
export const cloudwatchAlarmsHandlers: ServiceHandlers = {
  DescribeAlarms: () => ({ MetricAlarms: [], CompositeAlarms: [] }),
};
