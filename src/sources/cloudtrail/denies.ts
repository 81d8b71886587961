import type { Event as TrailEvent } from '@aws-sdk/client-cloudtrail';
import type { CloudTrailEventEvidence } from '../../core/evidence.js';
import { listText, plural } from '../cross-account.js';
import { defineSource } from '../types.js';
import { lookupEveryAccount } from './every-account.js';
import { EVENT_SOURCES } from './lookup.js';
import { DENIED_ERROR_CODES, isDenied, parseCloudTrailRecord, toEventEvidence } from './parse.js';
import { recordTrail } from './record.js';

export const cloudTrailDeniesSource = defineSource({
  id: 'cloudtrail.denies',
  title: 'CloudTrail denied calls',
  dependsOn: [],
  calls: { chain: 1 },
  after: ['apigw.rest-api', 'apigw.resources', 'apigw.authorizers', 'lambda.functions', 'ec2.vpc-endpoints', 'apigwv2.api'],
  async run(ctx) {
    const range = { start: ctx.window.since, end: ctx.window.until };
    const keep = (event: TrailEvent) => {
      const code = parseCloudTrailRecord(event.CloudTrailEvent).errorCode;
      return Boolean(code && DENIED_ERROR_CODES.has(code));
    };
    const { reads, readAccounts, notRead } = await lookupEveryAccount(ctx, range, keep);
    const evidence: CloudTrailEventEvidence[] = reads
      .flatMap((r) => r.events.map(toEventEvidence))
      .filter(isDenied)
      .sort((a, b) => b.eventTime.localeCompare(a.eventTime))
      .slice(0, ctx.limits.maxItems);
    const truncatedParts = reads.filter((r) => r.truncated);
    const truncated = truncatedParts.length
      ? { kept: evidence.length, total: reads.reduce((n, r) => n + (r.truncated?.total ?? r.events.length), 0) }
      : undefined;
    const where = `in ${plural(reads.length, 'account')}${readAccounts.length ? ` (${readAccounts.join(', ')})` : ''}`;
    const notReadText = notRead.length ? `; not read: ${listText(notRead)}` : '';
    if (evidence.length === 0) {
      return {
        status: 'empty',
        evidence,
        count: 0,
        reason: `no denied ${EVENT_SOURCES.map((s) => s.split('.')[0]).join(', ')} calls ${where} in the window${notReadText}`,
      };
    }
    const scp = evidence.filter((e) => e.scpDeny);
    return {
      status: 'ok',
      evidence,
      count: evidence.length,
      reason: `${plural(evidence.length, 'denied call')}${scp.length ? ` (${scp.length} by a service control policy)` : ''} ${where}: ${listText([...new Set(evidence.map((e) => e.eventName))])}${notReadText}`,
      ...(truncated ? { truncated } : {}),
    };
  },
  record: recordTrail,
});
