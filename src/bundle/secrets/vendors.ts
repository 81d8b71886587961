/**
 * Vendor credentials recognised by their documented shape (a fixed prefix, then a fixed or bounded
 * alphabet), so they are caught wherever they appear, without a key name. Each pattern starts with
 * a literal prefix, which keeps it linear: a failed attempt never rescans the same run.
 */
import { HintIndex } from './hints.js';
import { entropy, isCredentialShaped } from './shape.js';
import { RANK, type Span } from './span.js';

export interface VendorPattern {
  kind: string;
  pattern: RegExp;
  /** Literal strings one of which every match contains: the regex runs only when one is present. */
  hints?: string[];
  /**
   * Shortest match that counts, prefix included. Checked here rather than with counted repetition
   * (`{20,}`) in the pattern: a literal prefix then one character class stays trivially linear,
   * and the ReDoS proof stays fast. No longest: a longer run is still the whole secret.
   */
  minLength?: number;
  /** Judges a match; false means "not a secret after all". */
  accept?: (match: string) => boolean;
  rank?: number;
}

/** Basic credentials are base64 of `user:password`: decode to check, so "Basic authentication" stays. */
function isBasicCredential(value: string): boolean {
  if (value.length < 8 || !/^[A-Za-z0-9+/]+={0,2}$/.test(value)) return false;
  const decoded = Buffer.from(value, 'base64').toString('latin1');
  return decoded.includes(':') && /^[\x20-\x7e]+$/.test(decoded);
}

/** A run starting `eyJ`: a JWT when its first two dot-separated parts are base64url JSON (`eyJ…`). */
function isJwt(run: string): boolean {
  const [header = '', payload = ''] = run.split('.');
  return header.length >= 8 && payload.startsWith('eyJ') && payload.length >= 8;
}

function isBearerCredential(value: string): boolean {
  // `token_type=Bearer expires_in=3600`: the next pair, not a credential.
  if (/^[A-Za-z_][A-Za-z0-9_]*=[^=]/.test(value)) return false;
  return isCredentialShaped(value, 12) || (value.length >= 20 && entropy(value) >= 3.5);
}

/** The vendor prefixes a UUID key carries (LaunchDarkly sdk-/mob-/api-, Plaid access-production-…). */
const SDK_KEY_PREFIX = /^(?:sdk|mob|api|srv|server|secret|private|key|token|tok|sk|access-sandbox|access-development|access-production|link-sandbox|link-development|link-production|public-sandbox|public-development|public-production)[-_]/;

export const VENDOR_PATTERNS: VendorPattern[] = [
  // AWS: access key ids (long-term AKIA, temporary ASIA), STS session tokens by their base64 prefix.
  { kind: 'aws_access_key_id', hints: ['AKIA', 'ASIA', 'ABIA', 'ACCA'], pattern: /\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b/g },
  { kind: 'aws_session_token', hints: ['IQoJb3JpZ2lu', 'FwoGZXIvYXdz', 'FQoGZXIvYXdz'], pattern: /(?:IQoJb3JpZ2lu|FwoGZXIvYXdz|FQoGZXIvYXdz)[A-Za-z0-9/+=%]+/g, minLength: 32 },
  // GitHub: classic (ghp_, gho_, ghu_, ghs_, ghr_) and fine-grained (github_pat_).
  { kind: 'github_token', hints: ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_'], pattern: /\bgh[pousr]_[A-Za-z0-9]+/g, minLength: 34 },
  { kind: 'github_token', hints: ['github_pat_'], pattern: /\bgithub_pat_[A-Za-z0-9_]+/g, minLength: 33 },
  // GitLab: personal, deploy, runner, pipeline trigger, OAuth, CI job, feed, incoming mail, agent tokens.
  { kind: 'gitlab_token', hints: ['glpat-', 'gldt-', 'glrt-', 'glptt-', 'glsoat-', 'glcbt-', 'glffct-', 'glimt-', 'glagent-', 'gloas-', 'glft-'], pattern: /\b(?:glpat|gldt|glrt|glptt|glsoat|glcbt|glffct|glimt|glagent|gloas|glft)-[A-Za-z0-9_-]+/g, minLength: 26 },
  { kind: 'gitlab_token', hints: ['GR1348941'], pattern: /\bGR1348941[A-Za-z0-9_-]+/g, minLength: 29 },
  // Slack: bot, user, app-level, config and refresh tokens; incoming webhooks and workflow triggers.
  { kind: 'slack_token', hints: ['xox'], pattern: /\bxox[abposre]-[A-Za-z0-9-]+/g, minLength: 15 },
  { kind: 'slack_token', hints: ['xoxe.'], pattern: /\bxoxe\.xox[bp]-[A-Za-z0-9-]+/g, minLength: 20 },
  { kind: 'slack_token', hints: ['xoxe-'], pattern: /\bxoxe-[A-Za-z0-9-]+/g, minLength: 15 },
  { kind: 'slack_token', hints: ['xapp-'], pattern: /\bxapp-\d-[A-Za-z0-9-]+/g, minLength: 17 },
  { kind: 'slack_webhook', hints: ['hooks.slack.com'], pattern: /hooks\.slack\.com\/(?:services|workflows|triggers)\/[A-Za-z0-9/_-]+/g },
  // Stripe: secret, restricted and publishable keys; webhook signing secrets.
  // (Publishable `pk_live_…` keys are public by design: left alone.)
  { kind: 'stripe_key', hints: ['_live_', '_test_'], pattern: /\b(?:sk|rk)_(?:live|test)_[A-Za-z0-9]+/g, minLength: 18 },
  { kind: 'stripe_key', hints: ['whsec_'], pattern: /\bwhsec_[A-Za-z0-9]+/g, minLength: 26 },
  // Shopify: admin API access, custom app, private app tokens and shared secrets (32 hex).
  { kind: 'shopify_token', hints: ['shpat_', 'shpca_', 'shppa_', 'shpss_'], pattern: /\bshp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}/g },
  // Mailgun: private API keys (`key-` + 32), public validation keys, and the newer hex-hex-hex keys.
  { kind: 'mailgun_key', hints: ['key-'], pattern: /\b(?:key|pubkey)-[0-9a-zA-Z]{32}\b/g },
  // (Mailgun's newer hex-hex-hex keys have no prefix: structure.ts finds them on its scan of runs.)
  // SendGrid: SG.<22>.<43>.
  { kind: 'sendgrid_key', hints: ['SG.'], pattern: /\bSG\.[A-Za-z0-9_-]{16,32}\.[A-Za-z0-9_-]+/g, minLength: 36 },
  // Twilio API key SIDs (SK…, the user name of an API key). Account, message and call SIDs (AC…, SM…, CA…) are ids: kept.
  { kind: 'twilio_key', hints: ['SK'], pattern: /\bSK[0-9a-fA-F]{32}\b/g },
  // npm and PyPI publish tokens.
  { kind: 'npm_token', hints: ['npm_'], pattern: /\bnpm_[A-Za-z0-9]{36}/g },
  { kind: 'pypi_token', hints: ['pypi-'], pattern: /\bpypi-AgE[A-Za-z0-9_-]+/g, minLength: 58 },
  // Google: API keys, OAuth access tokens, OAuth client secrets.
  { kind: 'google_api_key', hints: ['AIza'], pattern: /\bAIza[0-9A-Za-z_-]{35}/g },
  { kind: 'google_oauth_token', hints: ['ya29.'], pattern: /\bya29\.[0-9A-Za-z_-]+/g, minLength: 25 },
  { kind: 'google_oauth_token', hints: ['GOCSPX-'], pattern: /\bGOCSPX-[A-Za-z0-9_-]+/g, accept: (m) => m.length >= 31 },
  // Heroku platform API keys (the new prefixed form; the UUID form is caught by its name).
  { kind: 'heroku_key', hints: ['HRKU-'], pattern: /\bHRKU-[A-Za-z0-9_-]+/g, minLength: 25 },
  // Model providers (OpenAI, Anthropic), Hugging Face, DigitalOcean, Postman, Doppler, Databricks, Vault, age.
  { kind: 'llm_api_key', hints: ['sk-'], pattern: /\bsk-(?:ant-|proj-|svcacct-)?[A-Za-z0-9_-]+/g, minLength: 23 },
  { kind: 'api_token', hints: ['hf_'], pattern: /\bhf_[A-Za-z]+/g, minLength: 33 },
  { kind: 'api_token', hints: ['_v1_'], pattern: /\bdo[opr]_v1_[a-f0-9]{64}/g },
  { kind: 'api_token', hints: ['PMAK-'], pattern: /\bPMAK-[a-f0-9]{24}-[a-f0-9]{34}/g },
  { kind: 'api_token', hints: ['dp.'], pattern: /\bdp\.(?:pt|st|sa|ct|scim|audit)\.[A-Za-z0-9]+/g, minLength: 46 },
  { kind: 'api_token', hints: ['dapi'], pattern: /\bdapi[a-f0-9]{32}/g },
  { kind: 'api_token', hints: ['hvs.', 'hvb.'], pattern: /\bhv[sb]\.[A-Za-z0-9_-]+/g, minLength: 28 },
  { kind: 'api_token', hints: ['AGE-SECRET-KEY-1'], pattern: /\bAGE-SECRET-KEY-1[0-9A-Z]{58}/g },
  // Mailchimp (32 hex and the data center), Square, Amazon MWS.
  { kind: 'api_token', hints: ['-us'], pattern: /\b[0-9a-f]{32}-us\d{1,2}\b/g },
  { kind: 'api_token', hints: ['sq0'], pattern: /\bsq0(?:atp|csp|idp)-[A-Za-z0-9_-]+/g, minLength: 29 },
  { kind: 'api_token', hints: ['amzn.mws.'], pattern: /\bamzn\.mws\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g },
  // Firebase Cloud Messaging legacy server keys.
  { kind: 'api_token', hints: ['APA91b'], pattern: /\bAAAA[A-Za-z0-9_-]{7}:APA91b[A-Za-z0-9_-]+/g, minLength: 118 },
  // Bot tokens: Telegram (`<bot id>:<35 characters>`), Discord (`<base64 user id>.<6>.<27+>`), Twitch chat.
  { kind: 'telegram_bot_token', hints: [':A'], pattern: /\b\d{5,16}:A[A-Za-z0-9_-]{34}(?![A-Za-z0-9_-])/g },
  // (A Discord token starts with a user id in base64: `MT`…`OT` for ids starting 1–9.)
  { kind: 'discord_bot_token', hints: ['MT', 'Mj', 'Mz', 'ND', 'NT', 'Nj', 'Nz', 'OD', 'OT'], pattern: /(?<![A-Za-z0-9_-])[MNO][A-Za-z0-9_-]{23,27}\.[A-Za-z0-9_-]{6}\.[A-Za-z0-9_-]{27,40}(?![A-Za-z0-9_-])/g, accept: (m) => /\d/.test(m) && /[a-z]/.test(m) && /[A-Z]/.test(m.slice(1)) },
  { kind: 'twitch_token', hints: ['oauth:'], pattern: /\boauth:[a-z0-9]{30}\b/g },
  // SDK and access keys made of a vendor prefix and a UUID: LaunchDarkly (sdk-, mob-, api-), Plaid (access-production-…), others.
  {
    kind: 'sdk_key',
    hints: ['sdk-', 'sdk_', 'mob-', 'api-', 'api_', 'srv-', 'server-', 'secret-', 'secret_', 'private-', 'key-', 'key_', 'token-', 'token_', 'tok-', 'sk-', 'sk_', '-sandbox-', '-development-', '-production-'],
    pattern: /(?<![A-Za-z0-9_-])[a-z]{2,7}(?:-sandbox|-development|-production)?[-_][0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}(?![A-Za-z0-9_])/g,
    accept: (m) => SDK_KEY_PREFIX.test(m),
  },
  // Mapbox secret and temporary tokens (`pk.…` public tokens are left alone).
  { kind: 'mapbox_token', hints: ['sk.eyJ', 'tk.eyJ'], pattern: /\b[st]k\.eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+/g, minLength: 40 },
  // Microsoft Entra (Azure AD) client secrets: three characters, a digit, then `Q~`.
  { kind: 'azure_client_secret', hints: ['Q~'], pattern: /(?<![A-Za-z0-9_~.-])[A-Za-z0-9_~.]{3}\dQ~[A-Za-z0-9_~.-]{31,34}(?![A-Za-z0-9_~.-])/g },
  // AppSync API keys, PagerDuty user tokens.
  { kind: 'api_token', hints: ['da2-'], pattern: /\bda2-[a-z0-9]{26}\b/g },
  { kind: 'api_token', hints: ['u+'], pattern: /(?<![A-Za-z0-9_+-])u\+[A-Za-z0-9_+-]{18}(?![A-Za-z0-9_+-])/g, accept: (m) => /\d/.test(m) && /[A-Z]/.test(m) },
  // Observability and developer platforms, by documented prefix.
  { kind: 'api_token', hints: ['NRAK-', 'NRII-'], pattern: /\bNR(?:AK|II)-[A-Za-z0-9_-]+/g, minLength: 30 },
  { kind: 'api_token', hints: ['dt0c01.'], pattern: /\bdt0c01\.[A-Z0-9]{24}\.[A-Z0-9]{64}/g },
  { kind: 'api_token', hints: ['glc_', 'glsa_'], pattern: /\bgl(?:c|sa)_[A-Za-z0-9+/=_-]+/g, minLength: 36 },
  { kind: 'api_token', hints: ['sntrys_', 'sntryu_'], pattern: /\bsntry[su]_[A-Za-z0-9+/=_-]+/g, minLength: 40 },
  { kind: 'api_token', hints: ['lin_api_'], pattern: /\blin_api_[A-Za-z0-9]+/g, minLength: 40 },
  { kind: 'api_token', hints: ['ntn_'], pattern: /\bntn_[A-Za-z0-9]+/g, minLength: 40 },
  { kind: 'api_token', hints: ['tskey-'], pattern: /\btskey-(?:auth|api|client|scim|webhook)-[A-Za-z0-9-]+/g, minLength: 30 },
  { kind: 'api_token', hints: ['.atlasv1.'], pattern: /\b[A-Za-z0-9]{14}\.atlasv1\.[A-Za-z0-9_=-]+/g, minLength: 70 },
  { kind: 'api_token', hints: ['bkua_', 'CCIPAT_', 'dckr_pat_', 'figd_', 'sbp_', 'nfp_', 'rnd_', 'fo1_', 'phx_', 'gsk_', 'r8_', 'pplx-', 'pul-', 'hcaik_', 'hcxik_', 'CFPAT-', 'napi_', 'aio_'],
    pattern: /\b(?:bkua_|CCIPAT_|dckr_pat_|figd_|sbp_|nfp_|rnd_|fo1_|phx_|gsk_|r8_|pplx-|pul-|hca?ik_|hcxik_|CFPAT-|napi_|aio_)[A-Za-z0-9_-]+/g, accept: (m) => m.length >= 28 && /\d/.test(m) },
  { kind: 'api_token', hints: ['pscale_'], pattern: /\bpscale_(?:tkn|pw|oauth)_[A-Za-z0-9_.-]+/g, minLength: 40 },
  { kind: 'api_token', hints: ['ops_eyJ'], pattern: /\bops_eyJ[A-Za-z0-9+/=_-]+/g, minLength: 60 },
  { kind: 'api_token', hints: ['xkeysib-'], pattern: /\bxkeysib-[a-f0-9]{64}-[A-Za-z0-9]{16}/g },
  { kind: 'api_token', hints: ['ATATT3', 'ATBB'], pattern: /\bAT(?:ATT3|BB)[A-Za-z0-9_=.-]+/g, minLength: 36 },
  { kind: 'api_token', hints: ['EAA'], pattern: /\bEAA[A-Za-z0-9]+/g, accept: (m) => m.length >= 60 && /\d/.test(m) && /[a-z]/.test(m) },
  { kind: 'api_token', hints: ['AKCp'], pattern: /\bAKCp[A-Za-z0-9]{69}/g },
  { kind: 'api_token', hints: ['oy2'], pattern: /\boy2[a-z0-9]{43}\b/g },
  // SAML responses and assertions (base64 of `<samlp:Response`, `<saml2p:Response`, `<saml:Assertion`, `<saml2:Assertion`).
  { kind: 'saml', hints: ['PHNhbWxwOlJlc3BvbnNl', 'PHNhbWwycDpSZXNwb25zZ', 'PHNhbWw6QXNzZXJ0aW9u', 'PHNhbWwyOkFzc2VydGlvb'], pattern: /(?:PHNhbWxwOlJlc3BvbnNl|PHNhbWwycDpSZXNwb25zZ|PHNhbWw6QXNzZXJ0aW9u|PHNhbWwyOkFzc2VydGlvb)[A-Za-z0-9+/=%]*/g },
  // `Token token=…` (Rails' token authentication): the credential is the parameter's value.
  { kind: 'authorization', hints: ['oken token='], pattern: /\b[Tt]oken[ \t]+token=[ \t]*(?:"[^"\n]{1,512}"|[^\s,;"']{1,512})/g, accept: (m) => !/=[ \t]*"?(?:\[REDACTED|\$\{|<)/.test(m), rank: RANK.header },
  // JWTs (JWS compact form: header.payload.signature, both first parts base64url JSON).
  { kind: 'jwt', hints: ['eyJ'], pattern: /eyJ[A-Za-z0-9_.-]+/g, accept: isJwt },
  // Credentials after an HTTP scheme word, anywhere (`-H "x: Bearer …"`): only when shaped like one.
  { kind: 'bearer_token', hints: ['earer'], pattern: /\b[Bb]earer[ \t]+[A-Za-z0-9._~+/=-]+/g, accept: (m) => isBearerCredential(m.replace(/^[Bb]earer[ \t]+/, '')), rank: RANK.shape },
  { kind: 'basic_auth', hints: ['asic'], pattern: /\b[Bb]asic[ \t]+[A-Za-z0-9+/=]+/g, accept: (m) => isBasicCredential(m.replace(/^[Bb]asic[ \t]+/, '')), rank: RANK.shape },
];

/** Keep the scheme word visible: only the credential after it is the secret. */
const SCHEME_PREFIX = /^(?:[Bb](?:earer|asic)[ \t]+|[Tt]oken[ \t]+token=[ \t]*)/;

/** Every hint of every pattern, found in one pass (hints.ts); a pattern runs only when one of its hints is in the text. */
const HINTS = new HintIndex([...new Set(VENDOR_PATTERNS.flatMap((v) => v.hints ?? []))]);
/** For each hint, the patterns it lets run; and the patterns without hints, which always run. */
const VENDORS_BY_HINT: number[][] = HINTS.hints.map((hint) => VENDOR_PATTERNS.flatMap((v, index) => (v.hints?.includes(hint) ? [index] : [])));
const ALWAYS = VENDOR_PATTERNS.flatMap((v, index) => (v.hints ? [] : [index]));

export function vendorSpans(text: string, spans: Span[]): void {
  const found = HINTS.find(text);
  const run = found.length === 0 ? ALWAYS : [...new Set([...ALWAYS, ...found.flatMap((id) => VENDORS_BY_HINT[id] as number[])])];
  for (const index of run) {
    const vendor = VENDOR_PATTERNS[index] as VendorPattern;
    for (const m of text.matchAll(vendor.pattern)) {
      const match = m[0];
      if (vendor.minLength !== undefined && match.length < vendor.minLength) continue;
      if (vendor.accept && !vendor.accept(match)) continue;
      const skip = SCHEME_PREFIX.exec(match)?.[0].length ?? 0;
      spans.push({ start: m.index + skip, end: m.index + match.length, kind: vendor.kind, rank: vendor.rank ?? RANK.vendor });
    }
  }
}
