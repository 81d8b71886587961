import { cloudwatchAlarmsHandlers } from './cloudwatch-alarms.js';
import { cloudwatchMetricsHandlers } from './cloudwatch-metrics.js';
import type { ServiceHandlers } from './context.js';

/** CloudWatch: metrics and alarms, each in its own module. */
export const cloudwatchHandlers: ServiceHandlers = { ...cloudwatchMetricsHandlers, ...cloudwatchAlarmsHandlers };
