import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/**
 * The preview answers its own page only. It listens on loopback, but any web page the user visits
 * can still send requests there (a cross-origin `text/plain` POST needs no preflight), and a
 * DNS-rebinding page can even read the answers. So every request must name the preview itself as
 * its Host; a POST must come from the preview's own origin, as JSON (which a page elsewhere cannot
 * send without a preflight the preview never grants), carrying the token the preview wrote into the
 * page it served, and within a size cap.
 */
export interface PreviewGuard {
  /** A fresh token for a page being served (kept among the last few issued). */
  issueToken(): string;
  /** Why a request is refused (status and reason), or undefined when it may proceed. */
  refusal(req: IncomingMessage): { status: number; reason: string } | undefined;
  /** The body of an accepted POST, parsed as JSON; refused when over the cap or not JSON. */
  readJson(req: IncomingMessage): Promise<Record<string, unknown>>;
}

export const TOKEN_HEADER = 'x-firebreak-token';
/** Far above anything the page sends (a 3,000-character context, a modal's values). */
export const MAX_BODY_BYTES = 64 * 1024;
/** Tokens of the pages served most recently; an older tab reloads. */
const KEEP_TOKENS = 64;

export class PreviewRequestError extends Error {
  override name = 'PreviewRequestError';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export function createPreviewGuard(port: () => number): PreviewGuard {
  const tokens: string[] = [];
  const ownHosts = () => new Set([`127.0.0.1:${port()}`, `localhost:${port()}`]);
  const ownOrigins = () => new Set([...ownHosts()].map((host) => `http://${host}`));

  return {
    issueToken() {
      const token = randomBytes(24).toString('base64url');
      tokens.push(token);
      if (tokens.length > KEEP_TOKENS) tokens.shift();
      return token;
    },
    refusal(req) {
      // DNS rebinding: the browser sends the attacker's name as Host.
      const host = (req.headers.host ?? '').toLowerCase();
      if (!ownHosts().has(host)) return { status: 421, reason: `this preview answers only to ${[...ownHosts()].join(' or ')}` };
      const origin = req.headers.origin;
      if (origin !== undefined && !ownOrigins().has(origin.toLowerCase())) return { status: 403, reason: 'requests from another origin are refused' };
      if (req.headers['sec-fetch-site'] === 'cross-site') return { status: 403, reason: 'cross-site requests are refused' };
      if (req.method !== 'POST') return undefined;
      // A POST comes from the page itself: its origin, JSON, its token.
      if (origin === undefined) return { status: 403, reason: 'a POST must come from the preview page (no Origin header)' };
      const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
      if (type !== 'application/json') return { status: 415, reason: 'the preview accepts JSON only' };
      const token = req.headers[TOKEN_HEADER];
      if (typeof token !== 'string' || !tokens.includes(token)) return { status: 403, reason: 'missing or unknown page token: reload the preview page' };
      const length = Number(req.headers['content-length'] ?? 0);
      if (length > MAX_BODY_BYTES) return { status: 413, reason: `the body is over ${MAX_BODY_BYTES} bytes` };
      return undefined;
    },
    async readJson(req) {
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of req) {
        size += (chunk as Buffer).length;
        if (size > MAX_BODY_BYTES) throw new PreviewRequestError(413, `the body is over ${MAX_BODY_BYTES} bytes`);
        chunks.push(chunk as Buffer);
      }
      const text = Buffer.concat(chunks).toString('utf8');
      if (!text) return {};
      try {
        const parsed: unknown = JSON.parse(text);
        if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
        return parsed as Record<string, unknown>;
      } catch {
        throw new PreviewRequestError(400, 'the body is not a JSON object');
      }
    },
  };
}
