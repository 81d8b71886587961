import type { AwsClients } from '../aws/clients.js';
import type { SourceContext } from './types.js';

export type ClientsFor = { clients: AwsClients } | { unreadable: string };

/**
 * Clients for a resource that may live in another account or region. Without a configured role
 * the resource is reported as unreadable (never silently skipped), as the coverage contract asks.
 */
export function clientsFor(ctx: SourceContext, accountId: string | undefined, region?: string, seenIn?: string): ClientsFor {
  const home = ctx.aws.accountId ?? ctx.factory.homeAccountId;
  const sameAccount = !accountId || accountId === home;
  const sameRegion = !region || region === ctx.aws.region;
  if (sameAccount && sameRegion) return { clients: ctx.aws };
  if (!sameAccount && !ctx.factory.canRead(accountId)) return { unreadable: `no role for account ${accountId}${seenIn ? ` (seen in ${seenIn})` : ''}` };
  return { clients: ctx.factory.forAccount(sameAccount ? undefined : accountId, region ?? ctx.aws.region) };
}

/** The home account id, when the clients or the factory know it. */
export function homeAccountOf(ctx: SourceContext): string | undefined {
  return ctx.aws.accountId ?? ctx.factory.homeAccountId;
}

/** Joins a list as "a, b and c" for human reasons. */
export function listText(items: readonly string[], max = 5): string {
  const shown = items.slice(0, max);
  const more = items.length - shown.length;
  const tail = more > 0 ? [...shown, `${more} more`] : shown;
  if (tail.length <= 1) return tail.join('');
  return `${tail.slice(0, -1).join(', ')} and ${tail[tail.length - 1]}`;
}

export function plural(n: number, word: string, pluralWord = `${word}s`): string {
  return `${n} ${n === 1 ? word : pluralWord}`;
}
