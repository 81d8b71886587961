import { defineLogCauseRule } from '../integration/log-cause-rule.js';

/**
 * T3: requests beyond API Gateway's limits are refused before any method runs: 413 for payloads
 * over 10 MB; REST header values are limited to 10240 bytes in total.
 */
export const t3RequestTooLarge = defineLogCauseRule({
  id: 'T3.request-too-large',
  severity: 'medium',
  title: 'Requests are larger than API Gateway accepts (413)',
  what: 'Requests too large (413)',
  signatures: ['request-too-large'],
  sources: ['logs.access', 'logs.execution'],
  cannotRuleOut: 'oversized requests (no access or execution logs)',
  explain: () => ({
    detail: 'API Gateway refuses payloads over 10 MB (and headers over 10240 bytes in total) with 413 before the integration runs; this is a hard limit.',
    fix: 'Upload large payloads to S3 with a presigned URL (or split them), and send only a reference through the API.',
  }),
});
