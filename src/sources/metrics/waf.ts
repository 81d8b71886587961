import type { MetricName } from '../../core/evidence.js';
import { clientsFor, listText } from '../cross-account.js';
import { parseWebAclArn } from '../waf/web-acl.js';
import { recordAnswers } from '../record.js';
import { writeCloudwatchAnswer } from './record.js';
import { defineSource } from '../types.js';
import { evidenceOf } from './api.js';
import { AccountBatches, formatCount as count, readNotes, totalOf, type SeriesRequest } from './read.js';

/** The web ACL's totals use `Rule=ALL` (reported dashboards; WAF DG waf-metrics). */
const ALL = 'ALL';

/**
 * WAF's own counts per minute: requests allowed, blocked and counted by each web ACL on the
 * API's stages, and blocked and counted per rule. WAF reports only nonzero values, so a rule
 * without a point blocked nothing. Dimension values are the VisibilityConfig metric names.
 */
export const metricsWafSource = defineSource({
  id: 'metrics.waf',
  title: 'WAF metrics',
  dependsOn: ['waf.web-acl'],
  calls: { chain: 1 },
  async run(ctx) {
    if (ctx.target.apiType === 'HTTP' || ctx.target.apiType === 'WEBSOCKET') {
      return { status: 'not_applicable', evidence: evidenceOf(ctx, []), reason: `${ctx.target.apiType === 'HTTP' ? 'HTTP' : 'WebSocket'} APIs do not support AWS WAF web ACLs` };
    }
    const acls = ctx.evidence['waf.web-acl'] ?? [];
    if (acls.length === 0) return { status: 'not_configured', evidence: evidenceOf(ctx, []), reason: 'no web ACL on the API\'s stages: no WAF metrics to read' };
    const batches = new AccountBatches();
    const notRead: string[] = [];
    const done = new Set<string>();
    for (const acl of acls) {
      if (done.has(acl.webAclArn)) continue;
      done.add(acl.webAclArn);
      const parts = parseWebAclArn(acl.webAclArn);
      const region = parts?.scope === 'CLOUDFRONT' ? 'us-east-1' : (parts?.region ?? ctx.aws.region);
      const access = clientsFor(ctx, parts?.accountId, region);
      if ('unreadable' in access) {
        notRead.push(`${acl.name ?? acl.webAclArn} (${access.unreadable})`);
        continue;
      }
      const aclMetric = acl.metricName ?? acl.name ?? parts?.name ?? acl.webAclArn;
      const base = { WebACL: aclMetric, Region: parts?.scope === 'CLOUDFRONT' ? 'CloudFront' : region };
      const add = (metric: MetricName, metricName: string, rule: string, scope: SeriesRequest['scope']) =>
        batches.add(access.clients, { metric, scope, namespace: 'AWS/WAFV2', metricName, dimensions: { ...base, Rule: rule }, stat: 'Sum' });
      const aclScope = { kind: 'web-acl' as const, name: aclMetric };
      add('waf_allowed', 'AllowedRequests', ALL, aclScope);
      add('waf_blocked', 'BlockedRequests', ALL, aclScope);
      add('waf_counted', 'CountedRequests', ALL, aclScope);
      for (const rule of acl.rules) {
        const scope = { kind: 'rule' as const, name: rule.metricName ?? rule.name, stage: acl.stage };
        add('waf_blocked', 'BlockedRequests', scope.name, scope);
        add('waf_counted', 'CountedRequests', scope.name, scope);
      }
    }
    if (batches.size === 0) return { status: 'not_configured', evidence: evidenceOf(ctx, []), reason: `no web ACL could be read: ${listText(notRead)}` };
    const read = await batches.read(ctx.window, ctx.limits);
    const { series } = read;
    const aclNames = [...new Set(series.filter((s) => s.scope.kind === 'web-acl').map((s) => s.scope.name))];
    const seen = series.reduce((n, s) => n + (s.total ?? 0), 0);
    const parts = aclNames.map((name) => {
      const scope = { kind: 'web-acl' as const, name };
      const blockingRules = series.filter((s) => s.scope.kind === 'rule' && s.metric === 'waf_blocked' && (s.total ?? 0) > 0 && s.dimensions.WebACL === name);
      const rules = blockingRules.length ? ` (blocked by ${listText(blockingRules.map((s) => `${s.scope.name} ${count(s.total)}`))})` : '';
      return `${name}: ${count(totalOf(series, 'waf_allowed', scope))} allowed, ${count(totalOf(series, 'waf_blocked', scope))} blocked${rules}, ${count(totalOf(series, 'waf_counted', scope))} counted`;
    });
    const notes: string[] = [];
    if (notRead.length) notes.push(`not read: ${listText(notRead)}`);
    notes.push(...readNotes(read));
    // Counts CloudWatch did not answer are unknown, not none.
    const empty = seen === 0 && read.unread.length === 0;
    return {
      status: empty ? 'empty' : 'ok',
      evidence: evidenceOf(ctx, series),
      count: series.length,
      reason: `${empty ? 'WAF evaluated no request in the window (it reports only nonzero values); ' : ''}${parts.join('; ')}${notes.length ? `; ${notes.join('; ')}` : ''}`,
    };
  },
  record: recordAnswers(writeCloudwatchAnswer),
});
