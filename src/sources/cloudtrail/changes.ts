import { listText, plural } from '../cross-account.js';
import { defineSource } from '../types.js';
import { lookupEveryAccount } from './every-account.js';
import { EVENT_SOURCES, WAF_EVENT_SOURCE } from './lookup.js';
import { isWriteEvent, toEventEvidence } from './parse.js';
import { concerns, relatedIds } from './relevance.js';
import { recordTrail } from './record.js';

const DAY_MS = 24 * 3600_000;

function lookbackText(ms: number): string {
  return ms % DAY_MS === 0 ? plural(ms / DAY_MS, 'day') : plural(Math.round(ms / 3600_000), 'hour');
}

export const cloudTrailChangesSource = defineSource({
  id: 'cloudtrail.changes',
  title: 'CloudTrail changes',
  dependsOn: [],
  calls: { chain: 1 },
  after: ['apigw.rest-api', 'apigw.stages', 'apigw.domains', 'ec2.vpc-endpoints', 'lambda.functions', 'ec2.security-groups', 'apigwv2.api', 'apigwv2.domains', 'apigwv2.vpc-links'],
  async run(ctx) {
    // A change last week can break today: read further back than the window.
    const end = ctx.window.until;
    const lookbackMs = Math.max(ctx.limits.changeLookbackMs, end.getTime() - ctx.window.since.getTime());
    const start = new Date(end.getTime() - lookbackMs);
    const related = relatedIds(ctx.target.restApiId, ctx.evidence);
    const sources = (ctx.evidence['apigw.stages'] ?? []).some((s) => s.webAclArn) ? [...EVENT_SOURCES, WAF_EVENT_SOURCE] : EVENT_SOURCES;
    const { reads, readAccounts, notRead } = await lookupEveryAccount(ctx, { start, end }, (event) => isWriteEvent(event) && concerns(event, related), sources);
    const evidence = reads
      .flatMap((r) => r.events.map(toEventEvidence))
      .sort((a, b) => b.eventTime.localeCompare(a.eventTime))
      .slice(0, ctx.limits.maxItems);
    const truncated = reads.some((r) => r.truncated)
      ? { kept: evidence.length, total: reads.reduce((n, r) => n + (r.truncated?.total ?? r.events.length), 0) }
      : undefined;
    const accountsText = readAccounts.length > 1 ? ` in accounts ${listText(readAccounts)}` : '';
    const notReadText = notRead.length ? `; not read: ${listText(notRead)}` : '';
    const about = `API ${ctx.target.restApiId}${related.ids.size + related.names.size > 1 ? ' and what it depends on' : ''}`;
    const span = `in the last ${lookbackText(lookbackMs)} (${sources.map((s) => s.split('.')[0]).join(', ')})`;
    if (evidence.length === 0) {
      return { status: 'empty', evidence, count: 0, reason: `no changes to ${about} ${span}${accountsText}${notReadText}` };
    }
    const names = [...new Set(evidence.map((e) => e.eventName))];
    return {
      status: 'ok',
      evidence,
      count: evidence.length,
      reason: `${plural(evidence.length, 'change')} to ${about} ${span}${accountsText}: ${listText(names)}${notReadText}`,
      ...(truncated ? { truncated } : {}),
    };
  },
  record: recordTrail,
});
