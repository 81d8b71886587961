import { createHmac } from 'node:crypto';

/**
 * Signs an inbound Slack request the way Slack does (v0: HMAC-SHA256 of `v0:<timestamp>:<raw body>`),
 * so tests drive Bolt's real signature check instead of turning it off.
 */
export function slackSignature(signingSecret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', signingSecret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

export interface SignedRequest {
  headers: Record<string, string>;
  body: string;
}

export function signedRequest(
  signingSecret: string,
  body: string,
  options: { timestamp?: number; contentType?: string } = {},
): SignedRequest {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  return {
    body,
    headers: {
      'content-type': options.contentType ?? 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': slackSignature(signingSecret, timestamp, body),
    },
  };
}

/** A slash command body: form fields, as Slack sends them. */
export function commandBody(fields: Record<string, string>): string {
  return new URLSearchParams(fields).toString();
}

/** An interaction body (block_actions, view_submission): `payload=<json>`, form encoded. */
export function interactionBody(payload: unknown): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}
