/**
 * Identifiers in `code spans`, so an ARN, a resource id or an IAM action reads as one token on a
 * phone (no wrapping inside it, no autolinking) and can be copied whole. Applied to text that is
 * already mrkdwn-escaped; text already inside backticks is left alone. Exported so the ReDoS check
 * proves it like a literal.
 */
export const IDENTIFIER_SOURCE = [
  // ARNs, whole or not at all: one cut by a placeholder (`&lt;account&gt;`) is left as it is. The
  // run stops where another ARN starts (else each of many ARNs in one token re-reads the rest).
  String.raw`arn:aws[a-z-]*:(?:(?!arn:aws)[^\s,;()"'\`&])+[^\s,;()"'\`&.](?=[\s,;()"']|\.(?:\s|$)|$)`,
  // API Gateway host names: d-abc123xyz0.execute-api.us-east-1.amazonaws.com.
  // (From the start of the name only: a start at every dot of a long name re-reads the rest.)
  String.raw`(?<![\w.-])\w[\w.-]*\.execute-api\.[a-z0-9-]+\.amazonaws\.com\b`,
  // EC2 / API Gateway resource ids: vpce-0a1b…, sg-…, vpc-…, subnet-…, d-abc123xyz0.
  String.raw`\b(?:vpce|sg|vpc|subnet|acl|eni|rtb|igw|nat)-[0-9a-z]{4,}\b`,
  String.raw`\bd-[0-9a-z]{8,}\b`,
  // IAM actions: cloudtrail:LookupEvents, execute-api:Invoke.
  String.raw`(?<![\w-])[a-z][a-z0-9-]+:[A-Z][A-Za-z]+\b`,
].join('|');
const IDENTIFIER = new RegExp(IDENTIFIER_SOURCE, 'g');

export function codeSpans(text: string): string {
  // Split on existing code spans: the odd parts are inside backticks.
  return text
    .split(/(`[^`]*`)/)
    .map((part, i) => (i % 2 === 1 ? part : part.replace(IDENTIFIER, (id) => `\`${id}\``)))
    .join('');
}
