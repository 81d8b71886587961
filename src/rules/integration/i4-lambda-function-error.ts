import { defineLogCauseRule } from './log-cause-rule.js';

/** I4: the function throws (unhandled error) and API Gateway answers 502. */
export const i4LambdaFunctionError = defineLogCauseRule({
  id: 'I4.lambda-function-error',
  severity: 'high',
  title: 'The integration Lambda function fails',
  what: 'Lambda function errors (502)',
  signatures: ['function-error', 'status-502', 'lambda-function-error'],
  sources: ['logs.execution', 'logs.access', 'logs.lambda'],
  cannotRuleOut: 'Lambda function errors (no execution, access or Lambda logs)',
  explain: (counts) => {
    const fn = counts.find((c) => c.source === 'logs.lambda');
    return {
      detail: `The function raised errors${fn ? ` (${fn.label})` : ''}; callers get 502.`,
      fix: `Read the failing invocations in /aws/lambda/<function> around the examples and fix the error; check recent deployments of the function.`,
    };
  },
});
