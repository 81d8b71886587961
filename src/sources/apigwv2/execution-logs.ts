import { defineSource } from '../types.js';

/** HTTP APIs write no execution logs (DG http-api-vs-rest): the row says so instead of staying silent. */
export const httpExecutionLogsSource = defineSource({
  id: 'logs.execution',
  title: 'Execution logs',
  dependsOn: [],
  calls: { chain: 0, why: 'HTTP APIs have no execution logs: no AWS call' },
  async run() {
    return {
      status: 'not_applicable',
      evidence: [],
      reason: 'HTTP APIs have no execution logs; the access log ($context.error.message, $context.integrationErrorMessage, $context.authorizer.error, $context.integration.status) is the request log',
    };
  },
});
