import { evidenceOf } from '../helpers.js';
import { defineLogCauseRule } from './log-cause-rule.js';

/** I6: the integration exceeds timeoutInMillis (default 29 s): 504 Endpoint request timed out. */
export const i6IntegrationTimeout = defineLogCauseRule({
  id: 'I6.integration-timeout',
  severity: 'high',
  title: 'The integration times out',
  what: 'Integration timeouts (504)',
  signatures: ['integration-timeout', 'lambda-function-timeout'],
  sources: ['logs.execution', 'logs.access', 'logs.lambda'],
  cannotRuleOut: 'integration timeouts (no execution, access or Lambda logs)',
  explain: (_counts, input) => {
    const methods = (evidenceOf(input, 'apigw.resources') ?? []).filter((m) => m.integration?.timeoutInMillis !== undefined);
    const functions = evidenceOf(input, 'lambda.functions') ?? [];
    const longer = methods.flatMap((m) => {
      const fn = functions.find((f) => f.functionArn === m.integration?.lambdaArn);
      return fn?.timeout !== undefined && fn.timeout * 1000 > (m.integration?.timeoutInMillis ?? 29000) ? [{ m, fn }] : [];
    });
    return {
      detail: `Callers get 504 Endpoint request timed out.${longer.length ? ` ${longer.map(({ m, fn }) => `${m.httpMethod} ${m.path} waits ${m.integration?.timeoutInMillis} ms but ${fn.functionName} may run ${fn.timeout} s`).join('; ')}.` : ''}`,
      evidence: longer.map(({ m, fn }) => ({ source: 'apigw.resources', key: `${m.httpMethod} ${m.path}`, quote: `timeoutInMillis ${m.integration?.timeoutInMillis} vs ${fn.functionName} Timeout ${fn.timeout}s` })),
      fix: longer.length
        ? `Make ${longer[0]?.fn.functionName} answer within ${longer[0]?.m.integration?.timeoutInMillis} ms (or move slow work to an async path); raise timeoutInMillis only on Regional/private APIs.`
        : 'Find what the backend waits for in the slow requests (downstream calls, cold starts) and make it answer within the integration timeout.',
    };
  },
});
