import { coverageRow, finding, stagesInScope } from '../helpers.js';
import { defineRule } from '../types.js';

/** Execution logging OFF hides integration, authorizer and permission errors (I1–I6, A1–A4, A7). */
export const executionLoggingOff = defineRule({
  id: 'B.execution-logging-off',
  severity: 'low',
  title: 'Execution logging is off: integration and authorizer errors are invisible',
  evaluate(input) {
    const off = stagesInScope(input).filter((s) => !s.loggingLevel || s.loggingLevel.toUpperCase() === 'OFF');
    const row = coverageRow(input, 'logs.execution');
    return off.map((stage) =>
      finding(this, {
        detail: `Stage ${stage.stageName} has execution logging OFF: Lambda permission errors, timeouts, malformed responses, authorizer results and API-key refusals leave no trace, so causes I1–I6, A1–A4 and A7 can only be judged from configuration.`,
        evidence: [{ source: row ? 'logs.execution' : 'apigw.stages', key: stage.stageName, quote: `${stage.stageName} methodSettings */* loggingLevel ${stage.loggingLevel || 'OFF'}` }],
        fix: `Set logging level ERROR (or INFO) on stage ${stage.stageName}: aws apigateway update-stage --rest-api-id ${input.target.restApiId} --stage-name ${stage.stageName} --patch-operations op=replace,path=/*/*/logging/loglevel,value=ERROR`,
      }),
    );
  },
});
