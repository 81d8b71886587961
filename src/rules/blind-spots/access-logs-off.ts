import { finding, stagesInScope } from '../helpers.js';
import { defineRule } from '../types.js';

/** Without access logs, statuses and $context.error.responseType (WAF, throttling, keys) are unknown. */
export const accessLogsOff = defineRule({
  id: 'B.access-logs-off',
  severity: 'low',
  title: 'Access logging is off: response statuses and error types are invisible',
  evaluate(input) {
    return stagesInScope(input)
      .filter((s) => !s.accessLog?.destinationArn)
      .map((stage) =>
        finding(this, {
          detail: `Stage ${stage.stageName} has no access log destination: the status and $context.error.responseType of each request (WAF_FILTERED, THROTTLED, QUOTA_EXCEEDED, INVALID_API_KEY…) are unknown, so A7, A8, T1 and T2 cannot be seen.`,
          evidence: [{ source: 'apigw.stages', key: stage.stageName, quote: `${stage.stageName} accessLogSettings: none` }],
          fix: `Turn on access logging for stage ${stage.stageName} with a JSON format including $context.error.responseType, $context.status and $context.identity.vpceId.`,
        }),
      );
  },
});
