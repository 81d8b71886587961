import type { CapturedCall, ScenarioWriter } from '../../core/recording.js';

/**
 * CloudWatch answers (GetMetricData series, ListMetrics, DescribeAlarms) are kept verbatim for the
 * request that asked them: a replay gives back the same datapoints and alarms, which the sandbox's
 * generated metrics could not reproduce from the kept log lines alone.
 */
export function writeCloudwatchAnswer(call: CapturedCall, w: ScenarioWriter): void {
  if (call.service === 'cloudwatch' && call.output) w.answer(call);
}
