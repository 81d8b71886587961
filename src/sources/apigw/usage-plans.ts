import { GetUsagePlanKeysCommand, GetUsagePlansCommand, type UsagePlan } from '@aws-sdk/client-api-gateway';
import { classifyError } from '../../aws/errors.js';
import type { UsagePlanEvidence } from '../../core/evidence.js';
import { collectPages } from '../paginate.js';
import type { Describer } from '../../core/describe.js';
import { defineSource, type SourceContext } from '../types.js';
import { recordAnswers } from '../record.js';
import { writeApigwAnswer } from './record.js';

function toEvidence(plan: UsagePlan): UsagePlanEvidence {
  const evidence: UsagePlanEvidence = {
    id: plan.id ?? '',
    apiStages: (plan.apiStages ?? []).map((s) => ({ apiId: s.apiId ?? '', stage: s.stage ?? '' })),
  };
  if (plan.name) evidence.name = plan.name;
  if (plan.throttle) {
    const { burstLimit, rateLimit } = plan.throttle;
    evidence.throttle = { ...(burstLimit === undefined ? {} : { burstLimit }), ...(rateLimit === undefined ? {} : { rateLimit }) };
  }
  if (plan.quota) {
    const { limit, period, offset } = plan.quota;
    evidence.quota = {
      ...(limit === undefined ? {} : { limit }),
      ...(period === undefined ? {} : { period }),
      ...(offset === undefined ? {} : { offset }),
    };
  }
  return evidence;
}

/**
 * The keys of one plan: which key a throttled or exhausted caller sent (T2, A7). Their values are
 * secrets: only the last 4 characters are kept, the part execution logs print. A refused read
 * leaves the plan without keys, said on the plan.
 */
async function readKeys(ctx: SourceContext, plan: UsagePlanEvidence): Promise<void> {
  try {
    const collected = await collectPages(async (position) => {
      const out = await ctx.aws.apigateway.send(new GetUsagePlanKeysCommand({ usagePlanId: plan.id, limit: 500, ...(position ? { position } : {}) }));
      return { items: out.items ?? [], ...(out.position ? { next: out.position } : {}) };
    }, ctx.limits);
    plan.keys = collected.items.map((key) => ({
      id: key.id ?? '',
      ...(key.name ? { name: key.name } : {}),
      ...(key.type ? { type: key.type } : {}),
      ...(key.value && key.value.length >= 8 ? { valueSuffix: key.value.slice(-4) } : {}),
    }));
  } catch (err) {
    const error = classifyError(err);
    plan.keysUnreadable = `${error.kind}${error.action ? ` (${error.action})` : ''}`;
  }
}

/** Usage plans bound to this API (and to the targeted stage): their throttle and quota cause 429s. */
const describeUsagePlans: Describer<'apigw.usage-plans'> = {
  order: 140,
  lines: (plans, kit) =>
    plans.map(
      (plan) =>
        `usage plan ${plan.id} ${kit.pairs({
          name: plan.name,
          stages: plan.apiStages.map((s) => `${s.apiId}/${s.stage}`),
          burstLimit: plan.throttle?.burstLimit,
          rateLimit: plan.throttle?.rateLimit,
          quota: plan.quota?.limit !== undefined ? `${plan.quota.limit}/${plan.quota.period ?? '?'}` : undefined,
        })}`,
    ),
};

export const usagePlansSource = defineSource({
  id: 'apigw.usage-plans',
  title: 'Usage plans',
  dependsOn: [],
  calls: { chain: 2, why: 'GetUsagePlanKeys needs the plan ids GetUsagePlans lists (every plan\'s keys side by side)' },
  after: ['apigw.rest-api'],
  async run(ctx) {
    const { restApiId, stage } = ctx.target;
    const collected = await collectPages(async (position) => {
      const out = await ctx.aws.apigateway.send(new GetUsagePlansCommand({ limit: 500, ...(position ? { position } : {}) }));
      return { items: out.items ?? [], ...(out.position ? { next: out.position } : {}) };
    }, ctx.limits);
    const bound = (plan: UsagePlan) => (plan.apiStages ?? []).some((s) => s.apiId === restApiId && (!stage || s.stage === stage));
    const evidence = collected.items.filter(bound).map(toEvidence);
    await Promise.all(evidence.map((plan) => readKeys(ctx, plan)));
    const scope = stage ? `API ${restApiId} stage ${stage}` : `API ${restApiId}`;
    const truncated = collected.truncated ? { truncated: collected.truncated } : {};
    if (evidence.length === 0) {
      return { status: 'empty', evidence, count: 0, reason: collected.items.length === 0 ? `no usage plans in ${ctx.target.region}` : `none of ${collected.items.length} usage plan(s) is bound to ${scope}`, ...truncated };
    }
    const describe = (p: UsagePlanEvidence) => {
      const limits = [
        p.throttle ? `${p.throttle.rateLimit ?? '?'} rps burst ${p.throttle.burstLimit ?? '?'}` : undefined,
        p.quota ? `quota ${p.quota.limit ?? '?'}/${p.quota.period ?? '?'}` : undefined,
      ].filter(Boolean);
      const keys = p.keys ? `${p.keys.length} key${p.keys.length === 1 ? '' : 's'}` : p.keysUnreadable ? `keys not read: ${p.keysUnreadable}` : undefined;
      const parts = [...limits, ...(keys ? [keys] : [])];
      return `${p.name ?? p.id}${parts.length ? ` (${parts.join(', ')})` : ''}`;
    };
    return { status: 'ok', evidence, count: evidence.length, reason: `bound to ${scope}: ${evidence.map(describe).join(', ')}`, ...truncated };
  },
  describe: describeUsagePlans,
  record: recordAnswers(writeApigwAnswer),
});
