import { GetRestApiCommand, GetRestApisCommand } from '@aws-sdk/client-api-gateway';
import { GetApiCommand, GetApisCommand } from '@aws-sdk/client-apigatewayv2';
import type { AwsClients } from '../aws/clients.js';
import { errorKindOf, errorName } from '../aws/errors.js';
import type { ApiListing, CallAnswer } from '../core/outcome.js';

/**
 * Whether the API a person named can be read, asked of AWS before anything is posted: an id that
 * does not exist (a typo, a request id, the wrong region or account) gets a private answer with
 * the nearest APIs, never a public thread of red rows. Read-only: GetApi and GetRestApi for one
 * id, GetApis and GetRestApis for the candidates (all on the read-only list).
 */
export type ApiCheck =
  | { status: 'found'; apiType: 'REST' | 'HTTP' | 'WEBSOCKET'; tried: CallAnswer[] }
  /** Both control planes said NotFound. */
  | { status: 'not-found'; tried: CallAnswer[] }
  /** Neither answered because the account or region cannot be used (credentials, no endpoint): nothing else would read either. */
  | { status: 'unreadable'; tried: CallAnswer[] }
  /** Refused or throttled: the investigation will say which reads failed, so it runs. */
  | { status: 'unknown'; tried: CallAnswer[] };

/** Pages read per list: an account has at most a few hundred APIs per region. */
const MAX_PAGES = 20;

/** Errors that mean no read in this account and region can work: credentials, an unreachable endpoint. */
const UNUSABLE = new Set([
  'ExpiredTokenException',
  'ExpiredToken',
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'CredentialsProviderError',
  'NoRoleForAccountError',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNREFUSED',
  'UnknownEndpoint',
]);

/** An answer in a few words: `NotFoundException`, `AccessDeniedException`, `found (REST)`. */
export function answerOf(err: unknown): string {
  return errorName(err);
}

function unusable(err: unknown): boolean {
  const cause = (err as { cause?: unknown } | null)?.cause;
  return UNUSABLE.has(errorName(err)) || (cause !== undefined && UNUSABLE.has(errorName(cause)));
}

/** GetApi (HTTP and WebSocket) and GetRestApi at once: whichever knows the id says its kind. */
export async function checkApi(aws: AwsClients, id: string): Promise<ApiCheck> {
  const [v2, rest] = await Promise.allSettled([
    aws.apigatewayv2.send(new GetApiCommand({ ApiId: id })),
    aws.apigateway.send(new GetRestApiCommand({ restApiId: id })),
  ]);
  const tried: CallAnswer[] = [
    { call: 'apigatewayv2:GetApi', answer: v2.status === 'fulfilled' ? `found (${v2.value.ProtocolType ?? 'HTTP'})` : answerOf(v2.reason) },
    { call: 'apigateway:GetRestApi', answer: rest.status === 'fulfilled' ? 'found (REST)' : answerOf(rest.reason) },
  ];
  if (v2.status === 'fulfilled') return { status: 'found', apiType: v2.value.ProtocolType === 'WEBSOCKET' ? 'WEBSOCKET' : 'HTTP', tried };
  if (rest.status === 'fulfilled') return { status: 'found', apiType: 'REST', tried };
  const failures = [v2.reason, rest.reason];
  if (failures.every((err) => errorKindOf(err) === 'not_found')) return { status: 'not-found', tried };
  if (failures.every(unusable)) return { status: 'unreadable', tried };
  return { status: 'unknown', tried };
}

/** Every REST, HTTP and WebSocket API in the account and region, with what each list call answered. */
export async function listApis(aws: AwsClients): Promise<{ apis: ApiListing[]; tried: CallAnswer[] }> {
  const apis: ApiListing[] = [];
  const tried: CallAnswer[] = [];
  try {
    let position: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const res = await aws.apigateway.send(new GetRestApisCommand({ limit: 500, ...(position ? { position } : {}) }));
      for (const api of res.items ?? []) if (api.id) apis.push({ id: api.id, apiType: 'REST', ...(api.name ? { name: api.name } : {}), ...(api.createdDate ? { created: api.createdDate.toISOString().slice(0, 10) } : {}) });
      position = res.position;
      if (!position) break;
    }
    tried.push({ call: 'apigateway:GetRestApis', answer: `${apis.length} REST API${apis.length === 1 ? '' : 's'}` });
  } catch (err) {
    tried.push({ call: 'apigateway:GetRestApis', answer: answerOf(err) });
  }
  const before = apis.length;
  try {
    let token: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const res = await aws.apigatewayv2.send(new GetApisCommand({ MaxResults: '500', ...(token ? { NextToken: token } : {}) }));
      for (const api of res.Items ?? []) {
        if (!api.ApiId) continue;
        apis.push({ id: api.ApiId, apiType: api.ProtocolType === 'WEBSOCKET' ? 'WEBSOCKET' : 'HTTP', ...(api.Name ? { name: api.Name } : {}), ...(api.CreatedDate ? { created: api.CreatedDate.toISOString().slice(0, 10) } : {}) });
      }
      token = res.NextToken;
      if (!token) break;
    }
    const v2 = apis.length - before;
    tried.push({ call: 'apigatewayv2:GetApis', answer: `${v2} HTTP/WebSocket API${v2 === 1 ? '' : 's'}` });
  } catch (err) {
    tried.push({ call: 'apigatewayv2:GetApis', answer: answerOf(err) });
  }
  return { apis, tried };
}

/** Edit distance, bounded: two short strings (ids, names), so the plain table is enough. */
function distance(a: string, b: string): number {
  if (a === b) return 0;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length] ?? Math.max(a.length, b.length);
}

/**
 * The APIs nearest to what was asked, nearest first: ids a few characters away (a typo), names
 * that contain it or are a few edits from it. In an account with only a few APIs, all of them
 * (the person may simply be in the wrong place).
 */
export function nearestApis(apis: readonly ApiListing[], asked: string, limit = 5): ApiListing[] {
  const wanted = asked.toLowerCase().slice(0, 256);
  const scored = apis.map((api) => {
    const name = (api.name ?? '').toLowerCase().slice(0, 256);
    const byId = distance(api.id, wanted);
    const byName = name ? (name.includes(wanted) || wanted.includes(name) ? 1 : distance(name, wanted)) : Number.POSITIVE_INFINITY;
    return { api, score: Math.min(byId <= 3 ? byId : Number.POSITIVE_INFINITY, byName <= Math.max(2, Math.floor(wanted.length / 3)) ? byName + 0.5 : Number.POSITIVE_INFINITY) };
  });
  const close = scored.filter((s) => Number.isFinite(s.score)).sort((a, b) => a.score - b.score);
  if (close.length > 0) return close.slice(0, limit).map((s) => s.api);
  return apis.length <= limit ? [...apis] : [];
}
