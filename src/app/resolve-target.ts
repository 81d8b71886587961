import { GetBasePathMappingsCommand } from '@aws-sdk/client-api-gateway';
import { GetApiMappingsCommand } from '@aws-sdk/client-apigatewayv2';
import type { AwsClients } from '../aws/clients.js';
import type { TroubleshootRequest } from '../core/input.js';
import { TargetNotFoundError, TargetResolutionError, type ApiListing, type CallAnswer } from '../core/outcome.js';
import { answerOf, listApis, nearestApis } from './target-check.js';

/** Pages read per list before giving up: an account has at most a few hundred APIs per region. */
const MAX_PAGES = 20;

interface Mapping {
  /** '' for the domain's root (REST's `(none)`, v2's empty key). */
  key: string;
  apiId: string;
  stage?: string;
}

const isNotFound = (err: unknown): boolean => answerOf(err) === 'NotFoundException';

/** The mapping a path on the domain reaches: the longest key that prefixes it, else the root, else the only one. */
function pickMapping(mappings: Mapping[], path: string[]): Mapping | 'ambiguous' | undefined {
  const joined = path.join('/');
  const byPrefix = mappings.filter((m) => m.key && (joined === m.key || joined.startsWith(`${m.key}/`))).sort((a, b) => b.key.length - a.key.length)[0];
  if (byPrefix) return byPrefix;
  const root = mappings.find((m) => m.key === '');
  if (root) return root;
  if (mappings.length === 1) return mappings[0];
  return mappings.length ? 'ambiguous' : undefined;
}

const describeMapping = (m: Mapping) => `/${m.key} → ${m.apiId}${m.stage ? ` / ${m.stage}` : ''}`;

async function restMappings(aws: AwsClients, domain: string): Promise<Mapping[]> {
  const out: Mapping[] = [];
  let position: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const res = await aws.apigateway.send(new GetBasePathMappingsCommand({ domainName: domain, limit: 500, ...(position ? { position } : {}) }));
    for (const m of res.items ?? []) if (m.restApiId) out.push({ key: m.basePath && m.basePath !== '(none)' ? m.basePath : '', apiId: m.restApiId, ...(m.stage ? { stage: m.stage } : {}) });
    position = res.position;
    if (!position) break;
  }
  return out;
}

async function httpMappings(aws: AwsClients, domain: string): Promise<Mapping[]> {
  const out: Mapping[] = [];
  let token: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const res = await aws.apigatewayv2.send(new GetApiMappingsCommand({ DomainName: domain, MaxResults: '500', ...(token ? { NextToken: token } : {}) }));
    for (const m of res.Items ?? []) if (m.ApiId) out.push({ key: m.ApiMappingKey ?? '', apiId: m.ApiId, ...(m.Stage ? { stage: m.Stage } : {}) });
    token = res.NextToken;
    if (!token) break;
  }
  return out;
}

async function byDomain(aws: AwsClients, domain: string, path: string[]): Promise<{ apiId: string; stage?: string; via: string }> {
  const tried: CallAnswer[] = [];
  for (const [call, via, read] of [
    ['apigateway:GetBasePathMappings', 'base path mapping', restMappings],
    ['apigatewayv2:GetApiMappings', 'API mapping', httpMappings],
  ] as const) {
    let mappings: Mapping[];
    try {
      mappings = await read(aws, domain);
    } catch (err) {
      tried.push({ call, answer: isNotFound(err) ? 'no such domain (NotFoundException)' : answerOf(err) });
      continue;
    }
    const picked = pickMapping(mappings, path);
    if (picked === 'ambiguous') {
      throw new TargetResolutionError(`${domain} maps ${mappings.length} APIs; name one by its path or id: ${mappings.map(describeMapping).join(', ')}`);
    }
    if (picked) return { apiId: picked.apiId, ...(picked.stage ? { stage: picked.stage } : {}), via };
    tried.push({ call, answer: 'no mapping' });
  }
  throw new TargetNotFoundError(`no custom domain ${domain} maps an API in ${aws.region}`, {
    subject: 'api',
    asked: domain,
    ...(aws.accountId ? { account: aws.accountId } : {}),
    region: aws.region,
    tried,
    candidates: [],
  });
}

/** The API whose name, or whose id, is `name`: the lists answer both without another read. */
async function byName(aws: AwsClients, name: string): Promise<{ apiId: string; stage?: string; via: string }> {
  const { apis, tried } = await listApis(aws);
  const named = apis.filter((api) => api.name === name || api.id === name);
  const label = (api: ApiListing) => `${api.id} (${api.apiType}${api.created ? `, created ${api.created}` : ''})`;
  if (named.length > 1) throw new TargetResolutionError(`${named.length} APIs are named "${name}" in ${aws.region}; name one by its id: ${named.map(label).join(', ')}`);
  const [only] = named;
  if (!only) {
    const candidates = nearestApis(apis, name);
    throw new TargetNotFoundError(`no API is named exactly "${name}" in ${aws.region}`, {
      subject: 'api',
      asked: name,
      ...(aws.accountId ? { account: aws.accountId } : {}),
      region: aws.region,
      tried,
      candidates,
      listed: apis.length,
    });
  }
  // An id of another length than AWS's 10 (an emulator's) is found in the same lists.
  return { apiId: only.id, via: only.id === name ? 'API id' : 'API name' };
}

/**
 * Turns a request that names its API by a custom domain or a name into one with the id (and the
 * stage a mapping names), read-only; says how ("resolved orders.shop.example.com → a1b2c3d4e5 /
 * prod via base path mapping"). A request by id or URL needs no AWS call.
 */
export async function resolveTarget(request: TroubleshootRequest, aws: () => AwsClients): Promise<{ request: TroubleshootRequest; resolution?: string }> {
  const { lookup, given } = request;
  if (!lookup) {
    if (!given) return { request };
    const from = /console\.aws\.amazon\.com/.test(given) ? 'the console link' : /^<?wss?:/i.test(given) ? 'the WebSocket URL' : 'the invoke URL';
    return { request, resolution: `resolved ${given} → ${request.restApiId}${request.stage ? ` / ${request.stage}` : ''} from ${from}` };
  }
  const clients = aws();
  const found = lookup.kind === 'domain' ? await byDomain(clients, lookup.value, lookup.path ?? []) : await byName(clients, lookup.value);
  const stage = request.stage ?? found.stage;
  const { lookup: _resolved, ...rest } = request;
  const resolved: TroubleshootRequest = { ...rest, restApiId: found.apiId, ...(stage ? { stage } : {}) };
  return { request: resolved, resolution: `resolved ${given ?? lookup.value} → ${found.apiId}${stage ? ` / ${stage}` : ''} via ${found.via}` };
}
