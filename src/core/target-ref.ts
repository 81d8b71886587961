/**
 * What people paste to name an API: its id, an invoke URL, an API Gateway console link, a custom
 * domain (or a URL on it), or the API's name. Parsing is pure; the forms that need AWS to become
 * an id (domain, name) are resolved by the app (app/resolve-target.ts), read-only.
 */
export type TargetRef =
  | { kind: 'id'; id: string }
  /** `https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/prod/orders`, or a WebSocket API's `wss://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/prod` */
  | { kind: 'invoke-url'; id: string; region: string; stage?: string }
  /** `https://us-east-1.console.aws.amazon.com/apigateway/main/apis/a1b2c3d4e5/stages?api=…&region=…` */
  | { kind: 'console-url'; id: string; region?: string; stage?: string }
  /** `orders.shop.example.com` or `https://orders.shop.example.com/v1/orders`: the first path segment may be a base path. */
  | { kind: 'domain'; domain: string; path: string[] }
  | { kind: 'name'; name: string };

/** AWS makes 10-character ids; a bare word of that shape is taken as one without a lookup. */
const API_ID = /^[a-z0-9]{10}$/;
/**
 * Where the text says it is an id (an invoke URL's host, a console link), any id API Gateway
 * accepts is taken: emulators and older APIs make other lengths (moto's HTTP APIs have 8).
 */
const ANY_API_ID = /^[a-z0-9]{1,64}$/;
const REGION = /^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d$/;
const INVOKE_HOST = /^([a-z0-9]{1,64})\.execute-api\.([a-z0-9-]+)\.amazonaws\.com$/;
const HOSTNAME = /^(?=.{4,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
/** API Gateway allows names of up to 1,024 characters; people type short ones. */
const API_NAME = /^[\w][\w .:/@+-]{0,127}$/;

/** Malformed percent-encoding (`%zz`, a lone `%`): said plainly instead of "URI malformed". */
class BadPercentEncoding extends Error {}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new BadPercentEncoding(segment);
  }
}

/** Slack wraps links as `<https://…>` or `<https://…|label>`; a person may paste them bare. */
export function unwrapSlackLink(text: string): string {
  const match = /^<([^|>]+)(?:\|[^>]*)?>$/.exec(text.trim());
  return (match?.[1] ?? text).trim();
}

function stageIn(segments: string[], after: string): string | undefined {
  const at = segments.indexOf(after);
  return at >= 0 ? segments[at + 1] : undefined;
}

function consoleRef(url: URL): TargetRef | undefined {
  // The classic console keeps its route in the fragment: /apigateway/home?region=…#/apis/<id>/stages/<stage>.
  const route = `${url.pathname}/${url.hash.replace(/^#/, '')}`.split('/').filter(Boolean);
  const id = url.searchParams.get('api') ?? stageIn(route, 'apis');
  if (!id || !ANY_API_ID.test(id)) return undefined;
  const hostRegion = /^([a-z0-9-]+)\.console\.aws\.amazon\.com$/.exec(url.hostname)?.[1];
  const region = url.searchParams.get('region') ?? (hostRegion && REGION.test(hostRegion) ? hostRegion : undefined);
  const stage = url.searchParams.get('stage') ?? stageIn(route, 'stages');
  return { kind: 'console-url', id, ...(region ? { region } : {}), ...(stage ? { stage: decodeSegment(stage) } : {}) };
}

/** The reference a text names, or an error saying which forms are understood. */
export function parseTargetRef(input: string): { ok: true; value: TargetRef } | { ok: false; error: string } {
  try {
    return parseRef(unwrapSlackLink(input));
  } catch (err) {
    if (!(err instanceof BadPercentEncoding)) throw err;
    const shown = err.message.length > 60 ? `${err.message.slice(0, 59)}…` : err.message;
    return { ok: false, error: `"${shown}" is not valid percent-encoding (a % must be followed by two hex digits; write a literal % as %25)` };
  }
}

function parseRef(text: string): { ok: true; value: TargetRef } | { ok: false; error: string } {
  if (API_ID.test(text)) return { ok: true, value: { kind: 'id', id: text } };
  // WebSocket clients connect to wss:// (ws:// is refused by API Gateway, but read the same).
  if (/^(?:https?|wss?):\/\//i.test(text)) {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      return { ok: false, error: `"${text}" is not a URL I can read` };
    }
    const host = url.hostname.toLowerCase();
    const segments = url.pathname.split('/').filter(Boolean).map(decodeSegment);
    const invoke = INVOKE_HOST.exec(host);
    if (invoke) return { ok: true, value: { kind: 'invoke-url', id: invoke[1] as string, region: invoke[2] as string, ...(segments[0] ? { stage: segments[0] } : {}) } };
    if (host === 'console.aws.amazon.com' || host.endsWith('.console.aws.amazon.com')) {
      const ref = consoleRef(url);
      return ref ? { ok: true, value: ref } : { ok: false, error: 'that console link names no API (expected …/apis/<id>/… or ?api=<id>)' };
    }
    if (HOSTNAME.test(host)) return { ok: true, value: { kind: 'domain', domain: host, path: segments } };
    return { ok: false, error: `"${host}" is not a host name` };
  }
  const lower = text.toLowerCase();
  if (lower.includes('.') && HOSTNAME.test(lower.split('/')[0] ?? '')) {
    const [host, ...segments] = lower.split('/');
    return { ok: true, value: { kind: 'domain', domain: host as string, path: segments.filter(Boolean) } };
  }
  if (API_NAME.test(text)) return { ok: true, value: { kind: 'name', name: text } };
  return {
    ok: false,
    error:
      'name the API by its id (a1b2c3d4e5), an invoke URL (https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/prod or wss://… for a WebSocket API), a custom domain (orders.example.com), its name, or a console link',
  };
}
