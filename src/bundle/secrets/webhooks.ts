/**
 * Webhook and integration URLs whose secret is in the PATH (no key name, no vendor prefix to see):
 * Discord and Microsoft Teams webhooks, Telegram bot URLs, PagerDuty and Splunk On-Call
 * integration URLs, Zapier catch hooks, IFTTT keys, and the generic `/hooks/<token>` form
 * (Mattermost, Rocket.Chat, self-hosted tools). Slack's incoming webhooks are a vendor pattern.
 *
 * The host and the path that carries the secret stay readable; the secret becomes one marker.
 * Linear: one regex of literal anchors, then a bounded walk along the URL from each anchor.
 */
import { entropy } from './shape.js';
import { RANK, type Span } from './span.js';

/**
 * The anchors, one literal-led pattern each (tried only when their hint is in the text). A named
 * host's secret runs to the end of the URL path (`path`) or of one segment (`segment`); a generic
 * `/hooks/` keeps readable segments and redacts from the first random-looking one (`random`).
 */
interface Anchor {
  hint: string;
  pattern: RegExp;
  extent: 'path' | 'segment' | 'random';
  kind: string;
}

export const WEBHOOK_ANCHORS: Anchor[] = [
  { hint: 'discord', pattern: /discord(?:app)?\.com\/api(?:\/v\d{1,2})?\/webhooks\//gi, extent: 'path', kind: 'webhook_url' },
  { hint: 'webhook.office.com', pattern: /webhook\.office\.com\/webhookb2\//gi, extent: 'path', kind: 'webhook_url' },
  { hint: 'outlook.office', pattern: /outlook\.office(?:365)?\.com\/webhook\//gi, extent: 'path', kind: 'webhook_url' },
  { hint: 'api.telegram.org', pattern: /api\.telegram\.org\/(?:file\/)?bot/gi, extent: 'segment', kind: 'telegram_bot_token' },
  { hint: 'pagerduty.com', pattern: /events(?:\.eu)?\.pagerduty\.com\/(?:integration|x-ere)\//gi, extent: 'segment', kind: 'webhook_url' },
  { hint: 'alert.victorops.com', pattern: /alert\.victorops\.com\/integrations\/[a-z]{1,20}\/\d{1,12}\/alert\//gi, extent: 'path', kind: 'webhook_url' },
  { hint: 'hooks.zapier.com', pattern: /hooks\.zapier\.com\/hooks\/catch\//gi, extent: 'path', kind: 'webhook_url' },
  { hint: 'ifttt.com', pattern: /maker\.ifttt\.com\/(?:trigger\/[A-Za-z0-9_-]{1,64}\/(?:json\/)?with\/)?key\//gi, extent: 'segment', kind: 'webhook_url' },
  { hint: 'hook', pattern: /\/(?:web)?hooks?\//gi, extent: 'random', kind: 'webhook_url' },
];

const PATH_END = new Set([' ', '\t', '\n', '\r', '"', "'", '`', '?', '#', '<', '>', '(', ')', '[', ']', '{', '}', ',', '\\', '|', ';']);
const MAX_URL = 1024;

/** End of the URL path that starts at `from`; with `segment`, the end of one path segment. */
function pathEnd(text: string, from: number, segment: boolean): number {
  const limit = Math.min(text.length, from + MAX_URL);
  let p = from;
  while (p < limit && !PATH_END.has(text[p] as string) && !(segment && text[p] === '/')) p++;
  return p;
}

/** A path segment that is a token, not a word or a name: long, mixing letters and digits, random. */
function isRandomSegment(segment: string): boolean {
  if (segment.length < 16 || !/\d/.test(segment) || !/[A-Za-z]/.test(segment)) return false;
  if (/^\d{4}-\d{2}-\d{2}/.test(segment)) return false;
  return entropy(segment) >= 3.2;
}

function push(text: string, spans: Span[], start: number, end: number, kind: string): void {
  // A trailing slash belongs to the URL, not to the secret.
  while (end > start && text[end - 1] === '/') end--;
  if (end - start >= 8) spans.push({ start, end, kind, rank: RANK.vendor });
}

/** Cheap check before any anchor runs. */
const GATE = /hook|telegram|pagerduty|victorops|ifttt|discord|office/i;

export function webhookSpans(text: string, spans: Span[]): void {
  if (!GATE.test(text)) return;
  const lower = text.toLowerCase();
  for (const anchor of WEBHOOK_ANCHORS) {
    if (!lower.includes(anchor.hint)) continue;
    for (const m of text.matchAll(anchor.pattern)) {
      const from = m.index + m[0].length;
      if (from >= text.length || text.startsWith('[REDACTED', from)) continue;
      if (anchor.extent !== 'random') {
        push(text, spans, from, pathEnd(text, from, anchor.extent === 'segment'), anchor.kind);
        continue;
      }
      // Generic `/hooks/…`: keep the readable segments, redact from the first random one to the path's end.
      const end = pathEnd(text, from, false);
      let p = from;
      while (p < end) {
        let s = p;
        while (s < end && text[s] !== '/') s++;
        if (isRandomSegment(text.slice(p, s))) {
          push(text, spans, p, end, anchor.kind);
          break;
        }
        p = s + 1;
      }
    }
  }
}
