import type { Event as TrailEvent } from '@aws-sdk/client-cloudtrail';
import { classifyError } from '../../aws/errors.js';
import { involvedAccounts, noRoleText } from '../accounts.js';
import { clientsFor, homeAccountOf } from '../cross-account.js';
import type { SourceContext } from '../types.js';
import { lookupBySources, type TrailRead } from './lookup.js';

export interface EveryAccountRead {
  reads: TrailRead[];
  /** Accounts whose trail was read, home first. */
  readAccounts: string[];
  /** `account 222222222222: no role for account … (seen in …)` for each account not read. */
  notRead: string[];
}

/**
 * CloudTrail is per account: read the home account's trail (its refusal is the row's error) and
 * every other involved account's through its role; an account without a role, or that refuses,
 * is named in the row instead of silently skipped.
 */
export async function lookupEveryAccount(
  ctx: SourceContext,
  range: { start: Date; end: Date },
  keep: (event: TrailEvent) => boolean,
  sources?: readonly string[],
): Promise<EveryAccountRead> {
  const home = homeAccountOf(ctx);
  const others = involvedAccounts(ctx)
    .filter((a) => !a.home && a.accountId !== home)
    .sort((a, b) => a.accountId.localeCompare(b.accountId));
  const notRead: string[] = [];
  // Every account's trail at once: the home account's refusal is the row's error, the others' notes.
  const [homeRead, otherReads] = await Promise.all([
    lookupBySources(ctx.aws, range, ctx.limits, keep, sources),
    Promise.all(
    others.map(async (account) => {
      const access = account.readable ? clientsFor(ctx, account.accountId) : { unreadable: noRoleText(account) };
      if ('unreadable' in access) {
        notRead.push(`account ${account.accountId}: ${account.readable ? access.unreadable : noRoleText(account)}`);
        return undefined;
      }
      try {
        return await lookupBySources(access.clients, range, ctx.limits, keep, sources);
      } catch (err) {
        const error = classifyError(err);
        notRead.push(`account ${account.accountId}: ${error.kind}${error.action ? ` on ${error.action}` : ''}`);
        return undefined;
      }
    }),
    ),
  ]);
  return {
    reads: [homeRead, ...otherReads.filter((r): r is TrailRead => Boolean(r))],
    readAccounts: [...(home ? [home] : []), ...others.filter((_, i) => otherReads[i]).map((a) => a.accountId)],
    notRead,
  };
}
