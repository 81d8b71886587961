import { evidenceOf, stagesInScope } from '../helpers.js';
import { defineLogCauseRule } from '../integration/log-cause-rule.js';

/** T1: 429 Too Many Requests from API Gateway throttling: stage/method, usage plan, then account. */
export const t1Throttled = defineLogCauseRule({
  id: 'T1.throttled',
  severity: 'high',
  title: 'API Gateway throttles requests (429)',
  what: 'Throttled requests (429)',
  signatures: ['throttled', 'status-429'],
  sources: ['logs.access', 'logs.execution'],
  family: 'throttle',
  cannotRuleOut: 'API Gateway throttling (no access or execution logs)',
  explain: (_counts, input) => {
    const limits: { source: string; key?: string; quote: string }[] = [];
    for (const stage of stagesInScope(input)) {
      for (const [key, s] of Object.entries(stage.methodSettings)) {
        if (s.throttlingRateLimit !== undefined || s.throttlingBurstLimit !== undefined) {
          limits.push({ source: 'apigw.stages', key: stage.stageName, quote: `${stage.stageName} ${key} throttling rate ${s.throttlingRateLimit ?? '-'} burst ${s.throttlingBurstLimit ?? '-'}` });
        }
      }
    }
    for (const plan of evidenceOf(input, 'apigw.usage-plans') ?? []) {
      if (plan.throttle && plan.apiStages.some((s) => s.apiId === input.target.restApiId)) {
        limits.push({ source: 'apigw.usage-plans', key: plan.id, quote: `usage plan ${plan.name ?? plan.id} throttle rate ${plan.throttle.rateLimit ?? '-'} burst ${plan.throttle.burstLimit ?? '-'}` });
      }
    }
    const account = evidenceOf(input, 'apigw.account')?.throttleSettings;
    if (account) limits.push({ source: 'apigw.account', quote: `account throttle rate ${account.rateLimit ?? '-'} burst ${account.burstLimit ?? '-'}` });
    return {
      detail: `Requests exceed a throttle limit; the lowest applicable limit decides: ${limits.map((l) => l.quote).join('; ') || 'no limits readable'}.`,
      evidence: limits.slice(0, 4),
      fix: `Raise the lowest limit above the peak rate (${limits[0]?.quote ?? 'stage, usage plan or account'}), or have callers back off and retry.`,
    };
  },
});
