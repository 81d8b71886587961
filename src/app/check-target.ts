import type { AwsClients } from '../aws/clients.js';
import type { ExtractedTarget } from '../core/extract-target.js';
import { validateTroubleshoot, type TroubleshootRequest } from '../core/input.js';
import { TargetNotFoundError, TargetResolutionError, type ApiListing, type CallAnswer } from '../core/outcome.js';
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
export interface CheckedTarget {
  request: TroubleshootRequest;
  resolution?: string;
  /** REST or HTTP when a read said so (WebSocket is left to the investigation's own probe). */
  apiType?: ApiType;
  /** `unknown`: the reads were refused or throttled, so existence was not confirmed. */
  checked: 'found' | 'unknown';
  found?: 'REST' | 'HTTP' | 'WEBSOCKET';
  account?: string;
  region: string;
}

export async function checkTarget(asked: TroubleshootRequest, env: Environment, options: { nearest?: boolean } = {}): Promise<CheckedTarget> {
  const region = asked.region ?? env.region;
  const aws = clientsFor(asked, env, region);
  const { request, resolution } = await resolveTarget(asked, () => aws);
  const check = await checkApi(aws, request.restApiId);
  const base = { request, ...(resolution ? { resolution } : {}), ...(aws.accountId ? { account: aws.accountId } : {}), region };
  if (check.status === 'found') return { ...base, checked: 'found', found: check.apiType, ...(check.apiType !== 'WEBSOCKET' ? { apiType: check.apiType } : {}) };
  if (check.status === 'unknown') return { ...base, checked: 'unknown' };
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
  const { apis, tried } = options.nearest === false ? { apis: [], tried: [] } : await listApis(aws);
  const elsewhere = region !== env.region && options.nearest !== false ? await lookElsewhere(asked, env, request.restApiId) : undefined;
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

/** What "Troubleshoot this" proposes from a message: the first candidate a read confirmed. */
export interface TargetProposal {
  target?: string;
  stage?: string;
  region?: string;
  /** True when a read found the API; false when none could be checked (refused, throttled). */
  confirmed: boolean;
  /** What the read said about the proposal: "REST API a1b2c3d4e5 in account 1111…, us-east-1". */
  note?: string;
  /** Candidates a read ruled out, and why: a request id is not an API id. */
  rejected: { text: string; why: string }[];
}

/** A candidate as the grammar would read it, with the message's region when the candidate has none. */
function requestOf(text: string, region: string | undefined): TroubleshootRequest | undefined {
  const parsed = validateTroubleshoot({ restApiId: text });
  if (!parsed.ok) return undefined;
  return { ...parsed.value, ...(!parsed.value.region && region ? { region } : {}) };
}

/**
 * Checks each candidate a message names (links, dimensions, domains, names, bare ids), all at
 * once and read-only, and proposes the likeliest one that exists; one that could not be checked
 * is proposed only when none was confirmed, and said so. Nothing is listed for the ones that do
 * not exist: a proposal is a guess to confirm, not a search.
 */
export async function proposeTarget(found: ExtractedTarget, env: Environment): Promise<TargetProposal> {
  const checks = await Promise.all(
    found.candidates.map(async (candidate) => {
      const request = requestOf(candidate.text, found.region);
      if (!request) return { candidate, outcome: 'rejected' as const, why: 'not a form an API is named by' };
      try {
        return { candidate, outcome: 'checked' as const, result: await checkTarget(request, env, { nearest: false }) };
      } catch (err) {
        if (err instanceof TargetNotFoundError) return { candidate, outcome: 'rejected' as const, why: err.message };
        if (err instanceof TargetResolutionError) return { candidate, outcome: 'rejected' as const, why: err.message };
        throw err;
      }
    }),
  );
  const rejected = checks.flatMap((c) => (c.outcome === 'rejected' ? [{ text: c.candidate.text, why: c.why }] : []));
  const pick = checks.find((c) => c.outcome === 'checked' && c.result.checked === 'found') ?? checks.find((c) => c.outcome === 'checked');
  if (!pick || pick.outcome !== 'checked') return { confirmed: false, rejected };
  const { result } = pick;
  const where = `${result.account ? `account ${result.account}, ` : ''}${result.region}`;
  const note =
    result.checked === 'found'
      ? `${result.found} API ${result.request.restApiId} in ${where}${result.resolution ? ` (${result.resolution})` : ''}`
      : `could not check ${result.request.restApiId} in ${where}: the reads were refused or throttled`;
  const stage = result.request.stage ?? found.stage;
  return {
    target: pick.candidate.text,
    ...(stage ? { stage } : {}),
    ...(result.region !== env.region || found.region ? { region: result.region } : {}),
    confirmed: result.checked === 'found',
    note,
    rejected,
  };
}
