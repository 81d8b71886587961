import { awsError } from './aws-error.js';

/**
 * Pagination as each AWS API does it: an opaque token naming where the next page starts. Page
 * size is the smaller of the caller's limit and the scenario's `pageSize`, so a scenario can
 * force many pages; the token also names the list it belongs to, so a token replayed against
 * another request fails like AWS's do.
 */
export interface PageRequest {
  token: unknown;
  limit: unknown;
  /** The service's default (and maximum) page size. */
  serviceMax: number;
  scenarioPageSize: number | undefined;
  /** Identifies the list, e.g. `logs:FilterLogEvents:/aws/lambda/x`. */
  scope: string;
  /** The error a bad token gets: each service names it differently. */
  invalidToken: () => Error;
}

export interface PageOf<T> {
  items: T[];
  next?: string;
}

function encode(scope: string, offset: number): string {
  return Buffer.from(JSON.stringify({ s: scope, o: offset })).toString('base64url');
}

function decode(token: string, scope: string): number | undefined {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { s?: unknown; o?: unknown };
    if (parsed.s !== scope || typeof parsed.o !== 'number' || !Number.isInteger(parsed.o) || parsed.o < 0) return undefined;
    return parsed.o;
  } catch {
    return undefined;
  }
}

export function pageOf<T>(items: readonly T[], request: PageRequest): PageOf<T> {
  let offset = 0;
  if (request.token !== undefined && request.token !== null && request.token !== '') {
    const decoded = typeof request.token === 'string' ? decode(request.token, request.scope) : undefined;
    if (decoded === undefined) throw request.invalidToken();
    offset = decoded;
  }
  const asked = typeof request.limit === 'number' && request.limit > 0 ? request.limit : request.serviceMax;
  const size = Math.max(1, Math.min(asked, request.serviceMax, request.scenarioPageSize ?? Number.POSITIVE_INFINITY));
  const page = items.slice(offset, offset + size);
  const end = offset + page.length;
  return end < items.length ? { items: page, next: encode(request.scope, end) } : { items: page };
}

export const invalidTokenErrors = {
  apigateway: () => awsError('BadRequestException', 'Invalid pagination token'),
  logs: () => awsError('InvalidParameterException', 'The specified nextToken is invalid.'),
  cloudtrail: () => awsError('InvalidNextTokenException', 'Invalid NextToken'),
  ec2: () => awsError('InvalidNextToken', 'The specified token is invalid.'),
};
