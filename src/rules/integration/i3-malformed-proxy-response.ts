import { defineLogCauseRule } from './log-cause-rule.js';

/** I3: the Lambda proxy response lacks statusCode or has a non-string body: 502. */
export const i3MalformedProxyResponse = defineLogCauseRule({
  id: 'I3.malformed-proxy-response',
  severity: 'high',
  title: 'The Lambda function returns a malformed proxy response',
  what: 'Malformed Lambda proxy responses (502)',
  signatures: ['malformed-proxy-response'],
  sources: ['logs.execution'],
  cannotRuleOut: 'malformed Lambda proxy responses (no execution logs)',
  explain: () => ({
    detail: 'API Gateway could not read the function\'s answer and returned 502 Bad Gateway.',
    fix: 'Make the function return {statusCode: <number>, headers: {...}, body: "<string>"} (JSON.stringify the body) on every path, including errors.',
  }),
});
