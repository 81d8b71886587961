import type { UsagePlanEvidence } from '../../core/evidence.js';
import { accessField, classifyAccessRecord } from '../execution-log-classifier.js';
import { evidenceOf, plural } from '../helpers.js';
import { defineLogCauseRule } from '../integration/log-cause-rule.js';
import type { RuleInput } from '../types.js';

/** An API key that got "Limit Exceeded", as the logs name it and as its usage plan knows it. */
interface ExhaustedKey {
  /** `$context.identity.apiKeyId`, or the masked key of the execution log when only that names it. */
  label: string;
  refusals: number;
  id?: string;
  name?: string;
  plan?: UsagePlanEvidence;
}

// "Usage Plan check failed for API Key **********abcd and API Stage a1b2c3d4e5/prod: Limit Exceeded"
const QUOTA_LINE = /Usage Plan check failed for API Key (\S+) and API Stage \S+: Limit Exceeded/;

/**
 * The keys whose quota is used up, most refused first: from the access logs' apiKeyId on records
 * that ended QUOTA_EXCEEDED, and from the masked keys of the execution log's error lines (their
 * last 4 characters match a key of the plans), each placed in the usage plan that holds it. The
 * two logs see the same requests: the one that saw more refusals is used (error lines are read
 * over the whole window, access records may be the newest slice).
 */
export function exhaustedKeys(input: RuleInput): ExhaustedKey[] {
  const plans = evidenceOf(input, 'apigw.usage-plans') ?? [];
  const keyed = plans.flatMap((plan) => (plan.keys ?? []).map((key) => ({ key, plan })));
  const inScope = (stage: string) => !input.target.stage || stage === input.target.stage;
  const tally = (into: Map<string, ExhaustedKey>, label: string, found: (typeof keyed)[number] | undefined) => {
    const entry = into.get(label) ?? {
      label,
      refusals: 0,
      ...(found ? { id: found.key.id, plan: found.plan, ...(found.key.name ? { name: found.key.name } : {}) } : {}),
    };
    entry.refusals += 1;
    into.set(label, entry);
  };
  const fromAccess = new Map<string, ExhaustedKey>();
  for (const log of evidenceOf(input, 'logs.access') ?? []) {
    if (!inScope(log.stage)) continue;
    for (const record of log.records) {
      if (classifyAccessRecord(record)?.signature !== 'quota-exceeded') continue;
      const id = accessField(record, 'identity.apiKeyId', 'apiKeyId');
      if (id) tally(fromAccess, id, keyed.find((k) => k.key.id === id));
    }
  }
  const fromExecution = new Map<string, ExhaustedKey>();
  for (const log of evidenceOf(input, 'logs.execution') ?? []) {
    if (!inScope(log.stage)) continue;
    for (const line of log.lines) {
      const masked = QUOTA_LINE.exec(line.message)?.[1];
      if (!masked) continue;
      const suffix = masked.replace(/^\*+/, '');
      const matches = suffix.length === 4 ? keyed.filter((k) => k.key.valueSuffix === suffix) : [];
      const only = matches.length === 1 ? matches[0] : undefined;
      tally(fromExecution, only ? only.key.id : masked, only);
    }
  }
  const total = (m: Map<string, ExhaustedKey>) => [...m.values()].reduce((n, k) => n + k.refusals, 0);
  const chosen = total(fromExecution) > total(fromAccess) ? fromExecution : fromAccess;
  return [...chosen.values()].sort((a, b) => b.refusals - a.refusals || a.label.localeCompare(b.label));
}

const keyText = (k: ExhaustedKey) => (k.name ? `${k.name} (${k.id ?? k.label})` : k.label);
const quotaText = (plan: UsagePlanEvidence) => `${plan.quota?.limit} per ${plan.quota?.period}`;

/** T2: 429 Limit Exceeded: the usage plan quota of the caller's key is used up. Names the key. */
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
    const keys = exhaustedKeys(input);
    const top = keys[0];
    const plan = top?.plan ?? plans[0];
    const keyPart = top
      ? ` The exhausted key: ${keyText(top)}${top.plan ? ` of usage plan ${top.plan.name ?? top.plan.id}${top.plan.quota ? ` (quota ${quotaText(top.plan)})` : ''}` : ''}, ${plural(top.refusals, 'refusal')} in the logs read${keys.length > 1 ? `; also ${keys.slice(1, 4).map((k) => `${keyText(k)} (${k.refusals})`).join(', ')}` : ''}.`
      : '';
    const otherPlans = plans.filter((p) => p !== top?.plan);
    return {
      detail: `Callers used up their quota${plans.length && !top?.plan ? `: ${plans.map((p) => `${p.name ?? p.id} allows ${quotaText(p)}`).join('; ')}` : ''}.${keyPart}${top && !top.plan && plans.some((p) => p.keysUnreadable) ? ' The plans\u2019 keys could not be read, so the key is not placed in a plan.' : ''}`,
      evidence: [
        ...(top ? [{ source: top.plan ? 'apigw.usage-plans' : 'logs.access', key: top.id ?? top.label, quote: `API key ${keyText(top)}: ${top.refusals} × Limit Exceeded${top.plan ? ` (usage plan ${top.plan.name ?? top.plan.id} quota ${quotaText(top.plan)})` : ''}` }] : []),
        ...[...(top?.plan ? [top.plan] : []), ...otherPlans].map((p) => ({ source: 'apigw.usage-plans', key: p.id, quote: `usage plan ${p.name ?? p.id} quota ${p.quota?.limit} per ${p.quota?.period}` })),
      ],
      fix: top?.plan
        ? `Raise the quota of usage plan ${top.plan.name ?? top.plan.id} (aws apigateway update-usage-plan --usage-plan-id ${top.plan.id} --patch-operations op=replace,path=/quota/limit,value=<n>), or move key ${keyText(top)} to a larger plan; it resets at the start of the next ${top.plan.quota?.period?.toLowerCase() ?? 'period'}.`
        : `Raise the quota of ${plan ? `usage plan ${plan.name ?? plan.id}` : 'the usage plan'} or move the caller's key${top ? ` (${keyText(top)})` : ''} to a larger plan.`,
    };
  },
});
