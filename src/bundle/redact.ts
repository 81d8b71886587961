/**
 * Redaction of everything that must not leave the account: credentials, tokens, keys, cookies.
 * Each rule names a kind; a redacted value becomes `[REDACTED:<kind>]` and is counted.
 *
 * Account ids and IP addresses are evidence (which caller, which endpoint ENI), so they are kept
 * unless the caller asks for them to be masked.
 *
 * Rules run in order, most specific first (a PEM block before generic `key=` pairs, a JWT before
 * the Authorization header that carries it), and value rules skip text already redacted, so one
 * secret is counted once.
 */

export interface RedactOptions {
  maskAccountIds?: boolean;
  maskIps?: boolean;
}

export interface RedactResult {
  text: string;
  /** Redactions applied, by kind. Kinds with no redaction are absent. */
  counts: Record<string, number>;
}

export const REDACTED_MARKER = /\[REDACTED:([a-z0-9_]+)\]/g;

export function marker(kind: string): string {
  return `[REDACTED:${kind}]`;
}

interface Rule {
  kind: string;
  pattern: RegExp;
  /**
   * Builds the replacement from the match; absent means the whole match is replaced by the
   * marker. Returning the match unchanged means "not a secret after all" and is not counted.
   */
  replace?: (kind: string, match: string, groups: string[], before: string) => string;
}

/** Keep a prefix group (a header name and its separator), redact the value group after it. */
const keepPrefix =
  (prefixGroups: number) =>
  (kind: string, _match: string, groups: string[]): string =>
    `${groups.slice(0, prefixGroups).join('')}${marker(kind)}`;

/** A value that is already a marker, masked by the service (****), or empty is left alone. */
const NOT_REDACTED = String.raw`(?!\s*\[REDACTED)(?!\s*\*{3})`;

/** Header-like separators: `Name: v`, `Name=v`, `"Name": "v"`, `'Name':'v'`. */
const SEP = String.raw`["']?\s*[:=]\s*["']?`;

/** Key names whose value is an identifier or a setting, not a secret (secretId, tokenType …). */
const HARMLESS_KEY_SUFFIX =
  /(?:id|ids|name|names|arn|arns|type|ttl|count|length|source|sources|expiration|expiry|expires|endpoint|uri|url|version|status|policy|rotation|enabled|location|header|prefix)$/i;
/** IAM action prefixes: `secretsmanager:GetSecretValue` names an action, not a secret. */
const SERVICE_PREFIX = /^(?:secretsmanager|ssm|kms|sts)$/i;
const HARMLESS_VALUE = /^(?:true|false|null|none|undefined|-|\*+|x+|<[^>]*>|\$\{[^}]*\})$/i;
/**
 * Setting values that name a mode, not a secret: API Gateway authorization types and API key
 * sources (`authorization=NONE`, `AuthorizationType: AWS_IAM`, `tokenSource=header`), HTTP methods
 * (`Missing Authentication Token: GET /user`), and SCREAMING_SNAKE enum constants.
 */
const SETTING_VALUE =
  /^(?:aws_iam|custom|cognito_user_pools|header|authorizer|request|get|post|put|patch|delete|head|options|any|[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)$/;
const SETTING_VALUE_ANY_CASE = /^(?:aws_iam|custom|cognito_user_pools|header|authorizer)$/i;
/** Password-like keys: a digits-only value (a PIN, a numeric password) is still a secret there. */
const PASSWORD_KEY = /(?:password|passwd|pwd|passphrase|pass|pin)$/i;

/** True when a `key=value` value reads as a setting or a number rather than a credential. */
function isSettingValue(key: string, value: string): boolean {
  if (HARMLESS_VALUE.test(value) || SETTING_VALUE.test(value) || SETTING_VALUE_ANY_CASE.test(value)) return true;
  return /^\d+$/.test(value) && !PASSWORD_KEY.test(key);
}

/**
 * A capitalised word, a space, then a capitalised key and `:` is prose, not a `key: value` pair:
 * "Missing Authentication Token: GET /user" is API Gateway's 403 message. Password-like keys are
 * exempt ("Database Password: …" is more likely a leak than a sentence), and so is `=`.
 */
function isProseKey(key: string, separator: string, before: string): boolean {
  return /^[A-Z][a-z]+$/.test(key) && !PASSWORD_KEY.test(key) && /^\s*:/.test(separator) && /\b[A-Z][a-z]+ $/.test(before);
}

const RULES: Rule[] = [
  {
    kind: 'private_key',
    pattern:
      /-----BEGIN ((?:[A-Z0-9]+ )*)PRIVATE KEY( BLOCK)?-----[\s\S]*?(?:-----END \1PRIVATE KEY\2-----|$)/g,
  },
  { kind: 'putty_private_key', pattern: /PuTTY-User-Key-File-\d: [\s\S]*?Private-MAC: [0-9a-f]+/g },
  { kind: 'slack_webhook', pattern: /https:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/[A-Za-z0-9/_-]+/g },
  { kind: 'slack_token', pattern: /\b(?:xox[abposre]|xoxe\.xox[bp])-[A-Za-z0-9-]{10,}/g },
  { kind: 'slack_token', pattern: /\bxapp-\d-[A-Za-z0-9-]{10,}/g },
  // scheme://user:password@host — connection strings (postgres, mysql, mongodb+srv, redis, amqp) and URLs.
  {
    kind: 'url_password',
    pattern: new RegExp(String.raw`\b([a-z][a-z0-9+.-]*://[^\s:/@"'<>]*:)${NOT_REDACTED}([^\s@/"'<>]+)(@)`, 'gi'),
    replace: (kind, _m, g) => `${g[0]}${marker(kind)}${g[2]}`,
  },
  { kind: 'jwt', pattern: /\beyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g },
  { kind: 'aws_access_key_id', pattern: /\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b/g },
  // STS session tokens have recognisable base64 prefixes ("origin_ec…", "FwoGZXIvYXdz…").
  // URL-encoded tokens (`%2F`, `%2B`, `%3D` in presigned URLs) keep going through the `%`.
  { kind: 'aws_session_token', pattern: /\b(?:IQoJb3JpZ2lu|FwoGZXIvYXdz|FQoGZXIvYXdz)[A-Za-z0-9/+=%]{20,}/g },
  {
    kind: 'aws_session_token',
    pattern: new RegExp(
      String.raw`\b((?:aws_?session_?token|session_?token|x-amz-security-token|security_?token)${SEP})${NOT_REDACTED}([A-Za-z0-9/+=%]{16,})`,
      'gi',
    ),
    replace: keepPrefix(1),
  },
  {
    kind: 'aws_secret_access_key',
    pattern: new RegExp(
      String.raw`\b((?:aws_?secret_?access_?key|secret_?access_?key|aws_?secret_?key|aws_?secret)${SEP})${NOT_REDACTED}([A-Za-z0-9/+=%]{30,})`,
      'gi',
    ),
    replace: keepPrefix(1),
  },
  // A 40-character base64 string right after an access key id (CSV exports, `aws configure` output)
  // or within a short distance after the word "secret".
  {
    kind: 'aws_secret_access_key',
    pattern: /(\[REDACTED:aws_access_key_id\][\s,;:|"'=]{1,6})([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])/g,
    replace: keepPrefix(1),
  },
  {
    kind: 'aws_secret_access_key',
    pattern: /(secret[^\n]{0,60}?)(?<![A-Za-z0-9/+])([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])/gi,
    replace: (kind, match, g) => (/[A-Z]/.test(g[1] ?? '') && /[a-z]/.test(g[1] ?? '') ? `${g[0]}${marker(kind)}` : match),
  },
  { kind: 'aws_signature', pattern: /\b((?:X-Amz-)?Signature=)([0-9a-f]{64})\b/g, replace: keepPrefix(1) },
  { kind: 'github_token', pattern: /\bgh[pousr]_[A-Za-z0-9]{36,255}\b/g },
  { kind: 'github_token', pattern: /\bgithub_pat_[A-Za-z0-9_]{22,255}\b/g },
  { kind: 'gitlab_token', pattern: /\bglpat-[A-Za-z0-9_-]{20,}\b/g },
  { kind: 'stripe_key', pattern: /\b(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{10,99}\b/g },
  { kind: 'stripe_key', pattern: /\bwhsec_[A-Za-z0-9]{20,}\b/g },
  { kind: 'google_api_key', pattern: /\bAIza[0-9A-Za-z_-]{35}\b/g },
  { kind: 'google_oauth_token', pattern: /\bya29\.[0-9A-Za-z_-]{20,}/g },
  { kind: 'llm_api_key', pattern: /\bsk-(?:ant-|proj-)?[A-Za-z0-9_-]{20,}/g },
  { kind: 'npm_token', pattern: /\bnpm_[A-Za-z0-9]{36}\b/g },
  { kind: 'sendgrid_key', pattern: /\bSG\.[A-Za-z0-9_-]{16,32}\.[A-Za-z0-9_-]{16,64}\b/g },
  { kind: 'azure_key', pattern: /\b((?:AccountKey|SharedAccessKey)=)([A-Za-z0-9/+=%]{20,})/g, replace: keepPrefix(1) },
  // Azure SAS tokens: the `sig=` query parameter is the HMAC that grants access.
  { kind: 'azure_sas', pattern: /([?&]sig=)([A-Za-z0-9/+=%]{16,})/g, replace: keepPrefix(1) },
  // OAuth authorization codes in redirect URLs (`/callback?code=…&state=…`) can be exchanged for tokens.
  { kind: 'oauth_code', pattern: /([?&]code=)([A-Za-z0-9._~%/+=-]{8,})/g, replace: keepPrefix(1) },
  // Headers that carry credentials. The value runs to the end of the header: a newline, a closing
  // quote or brace, or the next `, Name=` in API Gateway's `{A=1, B=2}` header dumps.
  {
    kind: 'authorization',
    pattern: new RegExp(
      String.raw`\b((?:Proxy-)?Authorization${SEP})((?:Bearer|Basic|Digest|Token|Bot|AWS4-HMAC-SHA256|Negotiate|SharedAccessSignature)\s+)?${NOT_REDACTED}([^\r\n"'}]+?)(?=\s*,\s*[A-Za-z][\w-]*[=:]|["'}\r\n]|$)`,
      'gi',
    ),
    // A value already (partly) redacted keeps its more specific kind (jwt, aws_access_key_id).
    // `authorization=NONE` / `AWS_IAM` in method settings is an authorization type, not a credential.
    replace: (kind, match, g) => {
      if (g[2]?.includes('[REDACTED:')) return match;
      // In a space-separated `k=v k=v` line the value runs on to the next pairs: judge its first word.
      const [first = '', rest = ''] = /^(\S*)(.*)$/s.exec(g[2] ?? '')?.slice(1) ?? [];
      if (!g[1] && isSettingValue('authorization', first) && (rest === '' || /^\s+[\w.-]+[=:]/.test(rest))) return match;
      return `${g[0]}${g[1] ?? ''}${marker(kind)}`;
    },
  },
  {
    kind: 'cookie',
    pattern: new RegExp(
      String.raw`\b((?:Set-)?Cookie${SEP})${NOT_REDACTED}([^\r\n"'}]+?)(?=\s*,\s*[A-Za-z][\w-]*[=:]\s*(?![^,]*;)|["'}\r\n]|$)`,
      'gi',
    ),
    replace: keepPrefix(1),
  },
  {
    kind: 'bearer_token',
    pattern: new RegExp(String.raw`\b(Bearer\s+)${NOT_REDACTED}([A-Za-z0-9._~+/=-]{8,})`, 'g'),
    replace: keepPrefix(1),
  },
  {
    kind: 'basic_auth',
    pattern: new RegExp(String.raw`\b(Basic\s+)${NOT_REDACTED}([A-Za-z0-9+/]{8,}={0,2})`, 'g'),
    replace: keepPrefix(1),
  },
  {
    kind: 'api_key',
    pattern: new RegExp(
      String.raw`\b((?:x-api-key|x-auth-token|x-access-token|api[_-]?key|apikey|api[_-]?token|access[_-]?token|refresh[_-]?token|client[_-]?secret)${SEP})${NOT_REDACTED}([^\s"',;&}]{6,})`,
      'gi',
    ),
    replace: keepPrefix(1),
  },
  // Generic `password=…`, `secret: …`, `token=…` pairs, in config, URLs' query strings and JSON.
  {
    kind: 'secret_value',
    pattern: new RegExp(
      // The key is one identifier right before the separator; `pass` counts only as a whole key
      // or a `_pass` suffix (not "bypass", "passthrough").
      String.raw`\b([\w.-]*(?:password|passwd|pwd|passphrase|secret|token|private[_-]?key|credentials?)[\w.-]*|(?:[\w.-]*[_.-])?pass)(${SEP})${NOT_REDACTED}([^\s"',;&}]{3,})`,
      'gi',
    ),
    replace: (kind, match, g, before) => {
      const key = g[0] ?? '';
      const value = g[2] ?? '';
      if (HARMLESS_KEY_SUFFIX.test(key) || SERVICE_PREFIX.test(key)) return match;
      if (isSettingValue(key, value) || isProseKey(key, g[1] ?? '', before)) return match;
      return `${key}${g[1] ?? ''}${marker(kind)}`;
    },
  },
];

const ACCOUNT_ID_RULE: Rule = { kind: 'account_id', pattern: /(?<![\d.])\b\d{12}\b(?![\d.])/g };
const IP_RULES: Rule[] = [
  { kind: 'ip', pattern: /\b(?:25[0-5]|2[0-4]\d|1?\d?\d)(?:\.(?:25[0-5]|2[0-4]\d|1?\d?\d)){3}\b/g },
  { kind: 'ip', pattern: /\b(?:[0-9a-fA-F]{1,4}:){7}[0-9a-fA-F]{1,4}\b|\b(?:[0-9a-fA-F]{1,4}:){1,6}:(?:[0-9a-fA-F]{1,4}(?::[0-9a-fA-F]{1,4})*)?\b/g },
];

export function redact(text: string, options: RedactOptions = {}): RedactResult {
  const counts: Record<string, number> = {};
  const rules = [...RULES, ...(options.maskAccountIds ? [ACCOUNT_ID_RULE] : []), ...(options.maskIps ? IP_RULES : [])];
  let out = text;
  for (const rule of rules) {
    out = out.replace(rule.pattern, (match: string, ...rest: unknown[]) => {
      // `rest` holds the capture groups, then the offset, the whole string (and named groups).
      const offsetAt = rest.findIndex((g) => typeof g === 'number');
      const groups = rest.slice(0, offsetAt) as (string | undefined)[] as string[];
      const input = rest[offsetAt + 1] as string;
      // The text right before the match, for rules that judge a key by the words in front of it.
      const preceding = input.slice(Math.max(0, (rest[offsetAt] as number) - 80), rest[offsetAt] as number);
      const replaced = rule.replace ? rule.replace(rule.kind, match, groups, preceding) : marker(rule.kind);
      if (replaced === match) return match;
      if (!match.includes('[REDACTED:')) {
        counts[rule.kind] = (counts[rule.kind] ?? 0) + 1;
        return replaced;
      }
      // A wider match can swallow an earlier marker: keep the counts equal to what the text shows.
      const before = countMarkers(match);
      const after = countMarkers(replaced);
      for (const kind of new Set([...Object.keys(before), ...Object.keys(after)])) {
        const left = (counts[kind] ?? 0) + (after[kind] ?? 0) - (before[kind] ?? 0);
        if (left > 0) counts[kind] = left;
        else delete counts[kind];
      }
      return replaced;
    });
  }
  return { text: out, counts };
}

/*
 * Cheap pre-check for log lines: every rule above needs one of these words or prefixes, so a line
 * without any is returned as is after one regex test (most log lines), instead of ~35 passes.
 */
const SECRET_HINT =
  /PRIVATE KEY|PuTTY|[?&](?:code|sig)=|pass["']?\s*[:=]|hooks\.slack|xox|xapp-|:\/\/[^\s/]*@|eyJ|AKIA|ASIA|ABIA|ACCA|IQoJb3JpZ2lu|FwoGZXIvYXdz|FQoGZXIvYXdz|token|secret|signature=|gh[pousr]_|github_pat_|glpat-|_live_|_test_|whsec_|AIza|ya29\.|sk-|npm_|SG\.|AccountKey|SharedAccessKey|authorization|cookie|bearer|basic|api[_-]?key|password|passwd|pwd|passphrase|credential/i;

/**
 * Redact one log line before templating. Templating splits a line into a template and sample
 * values, which would strip the context (`Authorization=`, `password=`) the rules rely on; so log
 * lines are redacted first, and quickly.
 */
export function redactLine(text: string, options: RedactOptions = {}): string {
  if (!options.maskAccountIds && !options.maskIps && !SECRET_HINT.test(text)) return text;
  return redact(text, options).text;
}

/** Count the redaction markers in a text, by kind (for a text assembled from redacted parts). */
export function countMarkers(text: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const m of text.matchAll(REDACTED_MARKER)) {
    const kind = m[1] as string;
    counts[kind] = (counts[kind] ?? 0) + 1;
  }
  return counts;
}

/** Sum redaction counts. */
export function addCounts(into: Record<string, number>, from: Record<string, number>): Record<string, number> {
  for (const [kind, n] of Object.entries(from)) into[kind] = (into[kind] ?? 0) + n;
  return into;
}
