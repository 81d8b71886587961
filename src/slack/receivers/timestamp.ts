import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Slack's replay rule, both ways. Bolt refuses a signed request more than five minutes OLD; one
 * stamped in the future passes (a captured request re-signed with a later stamp, a clock gone
 * wrong), so firebreak refuses that too before Bolt sees it: Slack's own clock is never ahead of
 * ours by minutes.
 */
export const MAX_CLOCK_SKEW_SECONDS = 300;

/** Why a request's timestamp header is refused, or undefined when it is not in the future (Bolt checks the rest). */
export function futureTimestamp(header: string | string[] | undefined, nowMs = Date.now()): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined) return undefined;
  const seconds = Number(value);
  if (!Number.isFinite(seconds)) return undefined;
  const ahead = seconds - Math.floor(nowMs / 1000);
  return ahead > MAX_CLOCK_SKEW_SECONDS ? `x-slack-request-timestamp is ${ahead} s in the future (at most ${MAX_CLOCK_SKEW_SECONDS} s allowed)` : undefined;
}

type Listener = (req: IncomingMessage, res: ServerResponse) => void;

/** Bolt's HTTPReceiver with future-stamped requests refused (401) before its own checks. */
export function refuseFutureRequests(receiver: { requestListener: Listener }, onRefused?: (reason: string) => void): void {
  const listener = receiver.requestListener;
  receiver.requestListener = (req, res) => {
    const reason = futureTimestamp(req.headers['x-slack-request-timestamp']);
    if (!reason) {
      listener(req, res);
      return;
    }
    onRefused?.(reason);
    req.resume();
    res.writeHead(401, { 'content-type': 'text/plain' });
    res.end();
  };
}

/** The Lambda front's handler with future-stamped requests refused (401) before Bolt's. */
export function refuseFutureEvents<E extends { headers?: Record<string, string | undefined> | null }, C, R>(
  handler: (event: E, context: C) => Promise<R>,
  onRefused?: (reason: string) => void,
): (event: E, context: C) => Promise<R | { statusCode: number; body: string }> {
  return async (event, context) => {
    const headers = event.headers ?? {};
    const name = Object.keys(headers).find((key) => key.toLowerCase() === 'x-slack-request-timestamp');
    const reason = name ? futureTimestamp(headers[name]) : undefined;
    if (!reason) return handler(event, context);
    onRefused?.(reason);
    return { statusCode: 401, body: '' };
  };
}
