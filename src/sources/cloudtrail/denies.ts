import type { Event as TrailEvent } from '@aws-sdk/client-cloudtrail';
import type { CloudTrailEventEvidence } from '../../core/evidence.js';
import { classifyError } from '../../aws/errors.js';
import { clientsFor, homeAccountOf, listText, plural } from '../cross-account.js';
import { defineSource, type SourceContext } from '../types.js';
import { lookupBySources, EVENT_SOURCES } from './lookup.js';
import { DENIED_ERROR_CODES, isDenied, parseCloudTrailRecord, toEventEvidence } from './parse.js';

/** The home account and every other account the evidence shows this API depends on. */
function accountsInvolved(ctx: SourceContext): { home: string | undefined; others: string[] } {
  const home = homeAccountOf(ctx);
  const others = new Set<string>();
  for (const fn of ctx.evidence['lambda.functions'] ?? []) if (fn.accountId) others.add(fn.accountId);
  for (const endpoint of ctx.evidence['ec2.vpc-endpoints']?.endpoints ?? []) if (endpoint.accountId) others.add(endpoint.accountId);
  if (home) others.delete(home);
  return { home, others: [...others].sort() };
}

export const cloudTrailDeniesSource = defineSource({
  id: 'cloudtrail.denies',
  title: 'CloudTrail denied calls',
  dependsOn: [],
  after: ['apigw.rest-api', 'lambda.functions', 'ec2.vpc-endpoints', 'apigwv2.api'],
  async run(ctx) {
    const range = { start: ctx.window.since, end: ctx.window.until };
    const keep = (event: TrailEvent) => {
      const code = parseCloudTrailRecord(event.CloudTrailEvent).errorCode;
      return Boolean(code && DENIED_ERROR_CODES.has(code));
    };
    const { home, others } = accountsInvolved(ctx);
    const notRead: string[] = [];
    // The home account's refusal propagates: the row must say cloudtrail:LookupEvents was denied.
    const homeRead = await lookupBySources(ctx.aws, range, ctx.limits, keep);
    const otherReads = await Promise.all(
      others.map(async (accountId) => {
        const access = clientsFor(ctx, accountId);
        if ('unreadable' in access) {
          notRead.push(`account ${accountId}: ${access.unreadable}`);
          return undefined;
        }
        try {
          return await lookupBySources(access.clients, range, ctx.limits, keep);
        } catch (err) {
          const error = classifyError(err);
          notRead.push(`account ${accountId}: ${error.kind}${error.action ? ` on ${error.action}` : ''}`);
          return undefined;
        }
      }),
    );
    const readAccounts = [...(home ? [home] : []), ...others.filter((_, i) => otherReads[i])];
    const reads = [homeRead, ...otherReads.filter((r): r is NonNullable<typeof r> => Boolean(r))];
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
});
