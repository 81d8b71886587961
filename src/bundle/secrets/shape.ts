/**
 * What a value looks like: a credential (random-looking, long enough), or a setting, a number, a
 * time, a path, a word. Used as the second signal once a key name says "secret".
 */

/** Shannon entropy in bits per character (gitleaks' measure for "random enough"). */
export function entropy(value: string): number {
  if (value.length === 0) return 0;
  const freq = new Map<string, number>();
  for (const ch of value) freq.set(ch, (freq.get(ch) ?? 0) + 1);
  let bits = 0;
  for (const n of freq.values()) {
    const p = n / value.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

const PLACEHOLDER =
  /^(?:true|false|null|nil|none|undefined|n\/a|na|empty|-+|\*+|x{3,}|\.{3}|…|\?+|<[^<>]{0,80}>|\$\{[^{}]{0,80}\}|\$\([^()]{0,80}\)|%[A-Za-z_][A-Za-z0-9_]{0,60}%|\{\{[^{}]{0,80}\}\}|%s|\[REDACTED[^\]]{0,40}\].*|\[?redacted\]?|\[?hidden\]?|\[?masked\]?|\[?filtered\]?)$/i;
/** CloudTrail's own mask, and other tools' words for a withheld value. */
const WITHHELD = /^(?:HIDDEN_DUE_TO_SECURITY_REASONS|\(?sensitive(?: value)?\)?|<sensitive>|\[?secure\]?|\[?protected\]?|\[?omitted\]?|\[?removed\]?|\*{3,}[^*\s]{0,4})$/i;
/**
 * API Gateway mapping expressions and identity sources NAME where a value comes from
 * (`method.request.header.X-Api-Key`, `$request.header.Authorization`, `$context.authorizer.token`,
 * `stageVariables.apiKey`): the value's address, never the value.
 */
const MAPPING_EXPRESSION =
  /^(?:(?:method|integration)\.(?:request|response)\.(?:header|querystring|path|multivalueheader|multivaluequerystring|body)\.[A-Za-z0-9._~-]{1,128}|\$?(?:context|stageVariables|request|input|util|route\.request)\.[A-Za-z0-9._$()'"-]{1,128}|route\.request\.(?:header|querystring)\.[A-Za-z0-9._-]{1,128})$/;
/** Keys that are public by design: Stripe/Clerk publishable keys, Mapbox public tokens, PostHog project keys. */
const PUBLIC_BY_DESIGN = /^(?:pk_(?:live|test)_|pk\.eyJ|phc_)[A-Za-z0-9._-]{8,}$/;
/** A shell or template variable standing for the value (`$DB_PASSWORD`). */
const SHELL_VAR = /^\$[A-Z_][A-Z0-9_]{0,60}$/;
/** API Gateway settings and modes (`authorization=NONE`, `AuthorizationType: AWS_IAM`), HTTP methods. */
const SETTING_WORD = /^(?:aws_iam|custom|cognito_user_pools|jwt|token|request|header|headers|query|cookie|authorizer|get|post|put|patch|delete|head|options|any|bearer|basic|digest|none|required|optional|enabled|disabled|on|off|yes|no|access|id|refresh)$/i;
/** SCREAMING_SNAKE enum constants (`WHEN_NO_MATCH`, `COGNITO_USER_POOLS`). */
const ENUM_CONSTANT = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/;
const NUMBER = /^[+-]?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?(?:ms|s|m|h|d|kb|mb|gb)?$/i;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;
const ARN = /^arn:aws[a-z-]{0,20}:/;
/** AWS resource ids (`vpce-0a1b…`, `sg-…`, `subnet-…`): identifiers, never credentials. */
const AWS_RESOURCE_ID = /^(?:vpce|vpc|sg|subnet|rtb|eni|igw|nat|tgw|tgw-attach|pcx|acl|i|ami|vol|snap|fl|lt|eipalloc|vgw|cgw|dopt|pl|vpce-svc|d)-[0-9a-z]{3,20}$/;
const PATH = /^(?:~|\.{1,2})?\/[^\s]*$|^[A-Za-z]:\\/;
const FILE_NAME = /\.(?:pem|key|crt|cer|p12|pfx|json|txt|ya?ml|env|ini|cfg|conf|gpg|asc|pub)$/i;
const URL_NO_USERINFO = /^[a-z][a-z0-9+.-]{1,30}:\/\/[^@\s]*$/i;
const IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}(?::\d{1,5})?$/;

/** A value withheld or standing in for one: empty, masked, a placeholder, a variable, an already-written marker. */
export function isWithheld(value: string): boolean {
  const v = value.trim();
  return v === '' || PLACEHOLDER.test(v) || SHELL_VAR.test(v) || WITHHELD.test(v);
}

/** A value that stands for "no secret here": withheld, a mapping expression, or a key public by design. */
export function isPlaceholder(value: string): boolean {
  const v = value.trim();
  return isWithheld(v) || MAPPING_EXPRESSION.test(v) || PUBLIC_BY_DESIGN.test(v);
}

/** A value that is a setting, number, time, ARN, URL without credentials, path or IP: not a secret by itself. */
export function isNonSecretValue(value: string): boolean {
  const v = value.trim();
  return (
    isPlaceholder(v) ||
    SETTING_WORD.test(v) ||
    ENUM_CONSTANT.test(v) ||
    NUMBER.test(v) ||
    ISO_TIME.test(v) ||
    ARN.test(v) ||
    AWS_RESOURCE_ID.test(v) ||
    URL_NO_USERINFO.test(v) ||
    PATH.test(v) ||
    FILE_NAME.test(v) ||
    IPV4.test(v)
  );
}

/**
 * Credential-shaped: at least `min` characters of token material, mixing character classes (or
 * random enough), and not a plain word. `correct-horse-battery` passes (a passphrase in a token
 * position); `expired`, `Bearer`, `access` do not.
 */
export function isCredentialShaped(value: string, min = 8): boolean {
  const v = value.trim();
  if (v.length < min || isNonSecretValue(v)) return false;
  if (/\s/.test(v)) return v.split(/\s+/).some((word) => isCredentialShaped(word, Math.max(min, 8)));
  const lower = /[a-z]/.test(v);
  const upper = /[A-Z]/.test(v);
  const digit = /\d/.test(v);
  const symbol = /[^A-Za-z0-9]/.test(v);
  const classes = Number(lower) + Number(upper) + Number(digit) + Number(symbol);
  if (/^[A-Za-z][a-z]+$/.test(v) && v.length < 24) return false;
  if (classes >= 2) return true;
  return v.length >= 16 && entropy(v) >= 3.5;
}
