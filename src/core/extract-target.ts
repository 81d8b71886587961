/**
 * What an alarm notification, a pasted error or a link says about the failing API: the words the
 * grammar understands (an invoke URL, a console link, an id, a name) and the alarm's time. Pure:
 * the message shortcut proposes these in a confirmation modal; nothing runs on a guess.
 */
export interface ExtractedTarget {
  /** An invoke URL, a console link, a custom-domain URL, an API id or an API name. */
  target?: string;
  stage?: string;
  /** The alarm's (or the error's) time, when the text has one. */
  at?: Date;
}

const INVOKE_URL = /https:\/\/[a-z0-9]{10}\.execute-api\.[a-z0-9-]+\.amazonaws\.com(?:\/[^\s<>|"')]*)?/i;
const CONSOLE_URL = /https:\/\/(?:[a-z0-9-]+\.)?console\.aws\.amazon\.com\/apigateway\/[^\s<>|"')]*/i;
/** CloudWatch alarm dimensions as Amazon Q and SNS print them: `ApiId = a1b2c3d4e5`, `ApiName: shop-api`. */
const DIMENSION = (name: string) => new RegExp(`\\b${name}\\s*[=:]\\s*["']?([\\w.$-]{1,128})`, 'i');
const BARE_ID = /\b(?=[a-z0-9]*\d)(?=[a-z0-9]*[a-z])[a-z0-9]{10}\b/;
const ISO_TIME = /\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})\b/;

/** Slack wraps links as `<url|label>`: the URL is what matters. */
function unwrapLinks(text: string): string {
  return text.replace(/<(https?:\/\/[^|>]+)(?:\|[^>]*)?>/g, '$1');
}

function timeIn(text: string): Date | undefined {
  const match = ISO_TIME.exec(text)?.[0];
  if (!match) return undefined;
  // `+0000` (SNS) → `+00:00`, which Date parses everywhere.
  const at = new Date(match.replace(' ', 'T').replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  return Number.isNaN(at.getTime()) ? undefined : at;
}

export function extractTarget(raw: string): ExtractedTarget {
  const text = unwrapLinks(raw);
  const at = timeIn(text);
  const stage = DIMENSION('Stage').exec(text)?.[1];
  const base = { ...(stage ? { stage } : {}), ...(at ? { at } : {}) };
  const url = INVOKE_URL.exec(text)?.[0] ?? CONSOLE_URL.exec(text)?.[0];
  if (url) return { target: url.replace(/[.,;]+$/, ''), ...base };
  const id = DIMENSION('ApiId').exec(text)?.[1];
  if (id) return { target: id, ...base };
  const name = DIMENSION('ApiName').exec(text)?.[1];
  if (name) return { target: name, ...base };
  const bare = BARE_ID.exec(text)?.[0];
  return bare ? { target: bare, ...base } : base;
}

/** The text of a Slack message as a shortcut delivers it: text, attachments (alarm posts) and blocks. */
export function messageText(message: { text?: string; attachments?: unknown[]; blocks?: unknown[] }): string {
  const parts: string[] = [message.text ?? ''];
  JSON.stringify([message.attachments ?? [], message.blocks ?? []], (key, value: unknown) => {
    if (typeof value === 'string' && ['text', 'title', 'fallback', 'pretext', 'value', 'title_link', 'url'].includes(key)) parts.push(value);
    return value;
  });
  return parts.join('\n');
}
