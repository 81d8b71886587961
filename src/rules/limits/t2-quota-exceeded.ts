import { evidenceOf } from '../helpers.js';
import { defineLogCauseRule } from '../integration/log-cause-rule.js';

/** T2: 429 Limit Exceeded: the usage plan quota for the caller's key is used up. */
export const t2QuotaExceeded = defineLogCauseRule({
  id: 'T2.quota-exceeded',
  severity: 'high',
  title: 'Usage plan quota exceeded (429 Limit Exceeded)',
  what: 'Requests over the usage plan quota (429)',
  signatures: ['quota-exceeded'],
  sources: ['logs.access', 'logs.execution'],
  family: 'throttle',
  cannotRuleOut: 'usage plan quota exhaustion (no access or execution logs)',
  explain: (_counts, input) => {
    const plans = (evidenceOf(input, 'apigw.usage-plans') ?? []).filter((p) => p.quota && p.apiStages.some((s) => s.apiId === input.target.restApiId));
    return {
      detail: `Callers used up their quota${plans.length ? `: ${plans.map((p) => `${p.name ?? p.id} allows ${p.quota?.limit} per ${p.quota?.period}`).join('; ')}` : ''}.`,
      evidence: plans.map((p) => ({ source: 'apigw.usage-plans', key: p.id, quote: `usage plan ${p.name ?? p.id} quota ${p.quota?.limit} per ${p.quota?.period}` })),
      fix: `Raise the quota of ${plans[0] ? `usage plan ${plans[0].name ?? plans[0].id}` : 'the usage plan'} or move the caller's key to a larger plan.`,
    };
  },
});
