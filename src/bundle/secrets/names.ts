/**
 * Does a key name say "secret"? Names are split into words (`_`, `-`, `.`, spaces and camelCase:
 * `DD_API_KEY` → dd api key, `PasswordLastUsed` → password last used), so a separator never hides
 * a word and a word inside another (`bypass`, `monkey`) never counts.
 */

export type SecretFamily = 'password' | 'aws_secret_access_key' | 'aws_session_token' | 'aws_signature' | 'azure_key' | 'azure_sas' | 'authorization' | 'cookie' | 'session' | 'private_key' | 'api_key' | 'oauth_code' | 'saml' | 'secret_value';

export interface SecretName {
  /** The marker kind for its value. */
  kind: SecretFamily;
  /** Any non-empty value is a secret (passwords, cookies); otherwise it must look like a credential. */
  anyValue: boolean;
  /** The value is a whole header (a scheme, then the credential; cookies with `;`). */
  header: boolean;
  /** A bare `key`/`secret`: the value must be random enough too. */
  weak: boolean;
}

/** Cheap pre-check before splitting a name into words. */
export const NAME_HINT = /pass|pw|secret|token|cred|auth|cookie|sess|key|sig|priv|sid|saml/i;

export function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== '');
}

/** A last word that makes the name describe the secret, not carry it (`secretId`, `token_use`). */
const DESCRIPTIVE_LAST = new Set(
  'error errors exception exceptions warning warnings failure failures fault id ids name names arn arns type types ttl count length len size source sources expiration expiry expires expire expired expiresat endpoint uri url urls version versions status state policy policies rotation rotated enabled disabled required location header headers prefix used use usage time timestamp date at age format mode provider providers region scope scopes stage stages kind method methods algorithm alg hint field fields path paths file files dir stdin duration seconds interval limit max min issuer prevention reuse reset changed updated created context configuration config parameters manager store vault generator schema spec condition expression pair origin validity valid in lifetime strength complexity hint label description set reference ref fingerprint digest days hours minutes weeks months years chars characters attempts retries tries digits uppercase lowercase symbols numbers'.split(' '),
);
/** Words before `token` that name a pagination or idempotency token (AWS `NextToken`, `clientToken`). */
const NOT_SECRET_TOKEN = new Set('next pagination continuation page sequence client idempotency resume sync cancel continue marker upload'.split(' '));
/** Words before `key` that name a data key, not a credential (`routeKey`, `partitionKey`, `publicKey`). */
const NOT_SECRET_KEY = new Set(
  'route incident dedup cache partition sort primary hash range object parameter option variable idempotency dedup deduplication foreign composite lookup group index map s3 bucket message attribute tag stage resource unique shard sharding query search public hot turn dictionary dict kms data cache sse row column sequence response'.split(' '),
);
const SESSION_ID = new Set(['jsessionid', 'phpsessid', 'sessid', 'sessionid', 'aspsessionid', 'sid', 'connect']);
/** Secret words that are complete on their own. */
const KEY_WORDS = new Set(['apikey', 'secretkey', 'accesskey', 'privatekey', 'masterkey', 'signingkey', 'encryptionkey', 'appkey', 'serverkey', 'authkey', 'licensekey', 'webhookkey', 'accountkey', 'clientkey', 'consumerkey', 'subscriptionkey', 'sharedaccesskey', 'apikeys']);

function isPasswordWord(w: string): boolean {
  // `bindpw`, `rootpw` (nslcd, slapd), SSSD's `ldap_default_authtok`.
  return /passw(?:or)?d|passwd|passphrase|pwd$/.test(w) || w === 'pass' || w === 'pw' || w === 'passwd' || w === 'authtok' || (w.length >= 4 && w.length <= 10 && w.endsWith('pw'));
}

/** Words before `key` that name an incident tool's routing or integration key (PagerDuty, Opsgenie). */
const INTEGRATION_KEY = new Set(['routing', 'integration', 'service', 'events', 'webhook', 'hec', 'ingest', 'ingestion', 'license', 'write']);
/** Words before `sid` that make it a resource id (Twilio's account, message, call SIDs), not a session. */
const SESSION_SID = new Set(['connect', 'session', 'sess', 'auth', 'login', 'express', 'koa']);

const MEMO = new Map<string, SecretName | undefined>();
const MEMO_SIZE = 4096;

/** The judgement for one key name; undefined when the name says nothing about a secret. */
export function secretName(name: string): SecretName | undefined {
  if (!NAME_HINT.test(name)) return undefined;
  if (MEMO.has(name)) return MEMO.get(name);
  const judged = judgeName(name);
  // Logs repeat their keys: remember the judgements, within a bound.
  if (MEMO.size >= MEMO_SIZE) MEMO.clear();
  MEMO.set(name, judged);
  return judged;
}

/**
 * A random token read as a name: a base64 id (a WebSocket connection id `hdPwBx4ehPxbNrR=`) before
 * its `=` padding splits into many fragments of one or two letters, which no name is made of.
 */
function isTokenShaped(name: string, w: readonly string[]): boolean {
  return name.length >= 12 && /^[A-Za-z0-9+/]+$/.test(name) && /\d/.test(name) && w.length >= 4 && w.filter((x) => x.length <= 2).length * 2 >= w.length;
}

function judgeName(name: string): SecretName | undefined {
  const w = words(name);
  if (w.length === 0 || isTokenShaped(name, w)) return undefined;
  const last = w[w.length - 1] as string;
  const has = (x: string): boolean => w.includes(x);
  const result = (kind: SecretFamily, anyValue = false, header = false, weak = false): SecretName => ({ kind, anyValue, header, weak });

  // Identifiers that ARE the credential: session ids and the id of a private key.
  if (w.some((x) => SESSION_ID.has(x) && x !== 'sid' && x !== 'connect') || (has('session') && last === 'id')) return result('session', true);
  // `connect.sid` (Express) is a session cookie; a bare `Sid` is an IAM statement id, `AccountSid` a Twilio id.
  if (last === 'sid' && w.length === 2 && SESSION_SID.has(w[0] as string)) return result('session');

  if (has('private') && w.includes('key')) return result('private_key', true);

  if (w.includes('secretsmanager')) return undefined;
  if (DESCRIPTIVE_LAST.has(last) && w.length > 1) return undefined;
  // A SAML response or assertion is a bearer credential: whoever holds it logs in.
  if (has('saml') && (last === 'response' || last === 'assertion' || last === 'token')) return result('saml', true);

  if (w.some(isPasswordWord)) return result('password', true);
  if (has('cookie') || has('cookies')) return result('cookie', true, true);
  if (last === 'authorization' || has('authorization')) return result('authorization', false, true);
  if (has('security') && has('token')) return result('aws_session_token');
  if (has('session') && has('token')) return result('aws_session_token');
  if (has('secret') && has('access') && has('key')) return result('aws_secret_access_key');
  if (has('aws') && has('secret')) return result('aws_secret_access_key');
  if (has('signature')) return result(has('amz') ? 'aws_signature' : 'secret_value');
  if (last === 'sig' && w.length === 1) return result('azure_sas');
  if ((has('account') || has('shared') || has('access')) && last === 'key' && (has('account') || has('shared'))) return result('azure_key');
  if (w.some((x) => x === 'accountkey' || x === 'sharedaccesskey')) return result('azure_key');

  const tokenAt = w.findIndex((x) => x.endsWith('token') || x === 'tokens');
  // `clientRequestToken` (an idempotency token on every AWS create call).
  if (tokenAt >= 0 && has('client') && has('request')) return undefined;
  if (tokenAt >= 0) {
    const before = w[tokenAt - 1];
    if (before && NOT_SECRET_TOKEN.has(before)) return undefined;
    if (w[tokenAt] !== 'token' && w[tokenAt] !== 'tokens' && NOT_SECRET_TOKEN.has((w[tokenAt] as string).replace(/token$/, ''))) return undefined;
    if (has('api') || has('access') || has('refresh')) return result('api_key');
    return result('secret_value');
  }
  if (w.some((x) => x.includes('credential'))) return result('secret_value');
  if (has('secret') || w.some((x) => x.endsWith('secret'))) {
    if (has('client') || has('api')) return result('api_key');
    return result('secret_value', false, false, w.length === 1);
  }
  if (w.some((x) => KEY_WORDS.has(x))) return result('api_key');
  const keyAt = w.findIndex((x) => x === 'key' || x === 'keys');
  if (keyAt >= 0) {
    const before = w[keyAt - 1];
    if (before && NOT_SECRET_KEY.has(before)) return undefined;
    // `routing_key` is also AMQP's (`orders.created`): only a random value counts.
    if (before && INTEGRATION_KEY.has(before)) return result('api_key', false, false, true);
    return result('api_key', false, false, w.length === 1);
  }
  if (has('auth') || has('oauth') || w.some((x) => x === 'xauth' || x === 'basicauth' || x === 'httpauth')) return result('secret_value');
  if (has('session')) return result('session');
  return undefined;
}
