import type { AwsClients } from '../aws/clients.js';
import type { TroubleshootRequest } from '../core/input.js';
import { TargetNotFoundError, type ApiListing, type CallAnswer } from '../core/outcome.js';
import type { ApiType } from '../core/target.js';
import type { Environment } from '../engine.js';
import { resolveTarget } from './resolve-target.js';
import { checkApi, listApis, nearestApis } from './target-check.js';

/**
 * The target as AWS knows it, before anything is posted: the account can be read, a domain or a
 * name becomes an id, and the id exists in that account and region (its kind, REST or HTTP, comes
 * with the answer, so the investigation does not ask again). Anything that cannot be read is a
 * TargetNotFoundError saying what was tried and the nearest APIs; a read that was refused or
 * throttled is left to the investigation, whose coverage says so.
 */
export async function checkTarget(asked: TroubleshootRequest, env: Environment): Promise<{ request: TroubleshootRequest; resolution?: string; apiType?: ApiType }> {
  const region = asked.region ?? env.region;
  const aws = clientsFor(asked, env, region);
  const { request, resolution } = await resolveTarget(asked, () => aws);
  const check = await checkApi(aws, request.restApiId);
  if (check.status === 'found') {
    // WebSocket is left to the investigation's own probe, which says whether it is supported.
    return { request, ...(resolution ? { resolution } : {}), ...(check.apiType !== 'WEBSOCKET' ? { apiType: check.apiType } : {}) };
  }
  if (check.status === 'unknown') return { request, ...(resolution ? { resolution } : {}) };
  const where = `account ${aws.accountId ?? 'of the credentials'}, ${region}`;
  if (check.status === 'unreadable') {
    const subject = asked.account ? 'account' : region !== env.region ? 'region' : 'account';
    throw new TargetNotFoundError(`cannot read ${where}: ${answers(check.tried)}`, {
      subject,
      asked: subject === 'region' ? region : (asked.account ?? aws.accountId ?? ''),
      ...(aws.accountId ? { account: aws.accountId } : {}),
      region,
      tried: check.tried,
      candidates: [],
    });
  }
  const { apis, tried } = await listApis(aws);
  const elsewhere = region !== env.region ? await lookElsewhere(asked, env, request.restApiId) : undefined;
  throw new TargetNotFoundError(`no API ${request.restApiId} in ${where}`, {
    subject: 'api',
    asked: asked.given ?? request.restApiId,
    ...(aws.accountId ? { account: aws.accountId } : {}),
    region,
    ...(asked.region ? { regionAsked: true } : {}),
    tried: [...check.tried, ...tried],
    candidates: [...(elsewhere ? [elsewhere] : []), ...nearestApis(apis, request.restApiId)],
    listed: apis.length,
  });
}

function answers(tried: CallAnswer[]): string {
  return tried.map((t) => `${t.call} → ${t.answer}`).join(', ');
}

/** Clients for the account asked about: an account without a role is not readable, said as such. */
function clientsFor(asked: TroubleshootRequest, env: Environment, region: string): AwsClients {
  if (!asked.account) return env.factory.forAccount(undefined, region);
  const accountId = env.factory.resolveAccount(asked.account);
  if (!accountId || !env.factory.canRead(accountId)) {
    const answer = accountId ? 'no read-only role configured for it (aws.accounts[].roleArn)' : 'not a configured alias (aws.accounts[].alias)';
    throw new TargetNotFoundError(`cannot read account ${asked.account}: ${answer}`, {
      subject: 'account',
      asked: asked.account,
      ...(accountId ? { account: accountId } : {}),
      region,
      tried: [{ call: 'configuration aws.accounts', answer }],
      candidates: [],
    });
  }
  return env.factory.forAccount(accountId, region);
}

/** The same id in the configured region, when another was asked: "it is in us-east-1" saves a round trip. */
async function lookElsewhere(asked: TroubleshootRequest, env: Environment, id: string): Promise<ApiListing | undefined> {
  try {
    const check = await checkApi(clientsFor({ ...asked, region: env.region }, env, env.region), id);
    return check.status === 'found' ? { id, apiType: check.apiType, region: env.region } : undefined;
  } catch {
    return undefined;
  }
}
