import { GetWebACLCommand, type Rule } from '@aws-sdk/client-wafv2';
import type { WafEvidence } from '../../core/evidence.js';
import { clientsFor, listText, plural } from '../cross-account.js';
import type { Describer } from '../../core/describe.js';
import { defineSource } from '../types.js';
import { recordAnswers } from '../record.js';
import { writeWafAnswer } from './record.js';

export interface WebAclArnParts {
  region: string;
  accountId: string;
  scope: 'REGIONAL' | 'CLOUDFRONT';
  name: string;
  id: string;
}

/** `arn:aws:wafv2:{region}:{account}:{regional|global}/webacl/{name}/{id}` */
export function parseWebAclArn(arn: string): WebAclArnParts | undefined {
  const match = /^arn:aws[\w-]*:wafv2:([a-z0-9-]+):(\d{12}):(regional|global)\/webacl\/([^/]+)\/([^/]+)$/.exec(arn);
  if (!match) return undefined;
  const [, region = '', accountId = '', scope, name = '', id = ''] = match;
  return { region, accountId, scope: scope === 'global' ? 'CLOUDFRONT' : 'REGIONAL', name, id };
}

/** A rule's effective action: its own, or for rule groups the override (NONE = the group's actions). */
function ruleAction(rule: Rule): string | undefined {
  const own = rule.Action ? Object.keys(rule.Action).find((k) => (rule.Action as Record<string, unknown>)[k] !== undefined) : undefined;
  if (own) return own.toUpperCase();
  if (rule.OverrideAction?.Count) return 'COUNT (override)';
  if (rule.OverrideAction?.None) return 'RULE_GROUP';
  return undefined;
}

const describeWebAcls: Describer<'waf.web-acl'> = {
  order: 100,
  lines: (acls, kit) =>
    acls.map((waf) => {
      const rules = waf.rules.map((r) => `${r.name}(${r.priority ?? '?'}:${r.action ?? '?'})`);
      return `waf stage=${waf.stage} ${kit.pairs({ acl: waf.webAclArn, name: waf.name, defaultAction: waf.defaultAction })} rules=${rules.join(',') || '-'}`;
    }),
};

export const webAclSource = defineSource({
  id: 'waf.web-acl',
  title: 'WAF web ACL',
  dependsOn: ['apigw.stages'],
  calls: { chain: 1 },
  async run(ctx) {
    const stages = (ctx.evidence['apigw.stages'] ?? []).filter((s) => !ctx.target.stage || s.stageName === ctx.target.stage);
    const protectedStages = stages.filter((s) => s.webAclArn);
    if (protectedStages.length === 0) {
      const names = stages.map((s) => s.stageName);
      return {
        status: 'not_configured',
        reason: `no web ACL on ${names.length ? `stage ${listText(names)}` : 'any stage'}: WAF cannot be blocking requests`,
        evidence: [],
      };
    }
    const acls = new Map<string, Promise<Omit<WafEvidence, 'stage'>>>();
    const notes: string[] = [];
    const read = async (arn: string): Promise<Omit<WafEvidence, 'stage'>> => {
      const parts = parseWebAclArn(arn);
      if (!parts) {
        notes.push(`cannot parse ${arn}`);
        return { webAclArn: arn, rules: [] };
      }
      const access = clientsFor(ctx, parts.accountId, parts.scope === 'CLOUDFRONT' ? 'us-east-1' : parts.region);
      if ('unreadable' in access) {
        notes.push(`${parts.name}: ${access.unreadable}`);
        return { webAclArn: arn, name: parts.name, rules: [] };
      }
      const out = await access.clients.wafv2.send(new GetWebACLCommand({ Name: parts.name, Id: parts.id, Scope: parts.scope }));
      const acl = out.WebACL;
      const evidence: Omit<WafEvidence, 'stage'> = {
        webAclArn: arn,
        name: acl?.Name ?? parts.name,
        rules: (acl?.Rules ?? [])
          .map((rule) => {
            const action = ruleAction(rule);
            const metricName = rule.VisibilityConfig?.MetricName;
            return { name: rule.Name ?? '', ...(rule.Priority !== undefined ? { priority: rule.Priority } : {}), ...(action ? { action } : {}), ...(metricName ? { metricName } : {}) };
          })
          .sort((a, b) => (a.priority ?? 0) - (b.priority ?? 0)),
      };
      if (acl?.VisibilityConfig?.MetricName) evidence.metricName = acl.VisibilityConfig.MetricName;
      if (acl?.DefaultAction?.Block) evidence.defaultAction = 'BLOCK';
      else if (acl?.DefaultAction?.Allow) evidence.defaultAction = 'ALLOW';
      return evidence;
    };
    for (const stage of protectedStages) {
      const arn = stage.webAclArn ?? '';
      if (!acls.has(arn)) acls.set(arn, read(arn));
    }
    const evidence: WafEvidence[] = await Promise.all(
      protectedStages.map(async (stage) => ({ stage: stage.stageName, ...(await acls.get(stage.webAclArn ?? '')!) })),
    );
    const describe = evidence.map((e) => `${e.stage}: ${e.name ?? e.webAclArn} (default ${e.defaultAction ?? '?'}, ${plural(e.rules.length, 'rule')})`);
    const unprotected = stages.filter((s) => !s.webAclArn).map((s) => s.stageName);
    if (unprotected.length) notes.push(`no web ACL on ${listText(unprotected)}`);
    return {
      status: 'ok',
      evidence,
      count: evidence.length,
      reason: `${listText(describe)}${notes.length ? `; ${notes.join('; ')}` : ''}`,
    };
  },
  describe: describeWebAcls,
  record: recordAnswers(writeWafAnswer),
});
