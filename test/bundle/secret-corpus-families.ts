/**
 * The secret families added for issue 27, in the contexts they show up in (chat and incident
 * webhooks, credential files and command lines, scheme-less connection strings, encoded values,
 * vendor Authorization schemes, secret-creating CloudTrail calls), and look-alikes of each kind
 * that must come out unchanged. Every secret value is generated from the seed at test time.
 */
import { ALNUM, DIGITS, line, LOWER, ok, UPPER, type Gen, type HarmlessLine, type HarmlessTemplate, type Template } from './secret-corpus.js';

const json = (value: unknown): string => JSON.stringify(value);
/** A string as it appears inside a JSON string (quotes and backslashes escaped, no outer quotes). */
const escaped = (text: string): string => JSON.stringify(text).slice(1, -1);

function discordWebhook(g: Gen): { url: string; token: string } {
  const token = g.b64url(68);
  return { url: `https://discord.com/api/webhooks/${g.int(1, 9)}${g.chars(DIGITS, 17)}/${token}`, token };
}
function teamsWebhook(g: Gen): { url: string; secret: string } {
  const secret = `${g.uuid()}@${g.uuid()}/IncomingWebhook/${g.hex(32)}/${g.uuid()}/V2${g.b64url(40)}`;
  return { url: `https://${g.pick(['contoso', 'acme', 'example'])}.webhook.office.com/webhookb2/${secret}`, secret };
}
function telegramToken(g: Gen): string {
  return `${g.int(1, 9)}${g.chars(DIGITS, g.int(7, 9))}:AA${g.b64url(33)}`;
}
function samlResponse(g: Gen): string {
  const xml = `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_${g.hex(32)}" Version="2.0"><saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion"><saml:Subject><saml:NameID>${g.pick(['alice', 'bob', 'ops'])}@example.com</saml:NameID></saml:Subject><ds:SignatureValue>${g.b64(172)}</ds:SignatureValue></saml:Assertion></samlp:Response>`;
  return Buffer.from(xml).toString('base64');
}
const word = (g: Gen): string => g.pick(['orbit', 'lantern', 'velvet', 'quarry', 'maple', 'signal', 'tundra', 'copper', 'harbor', 'meadow']);
/** A password made of letters only: no shape gives it away, only its context. */
const plainPassword = (g: Gen): string => `${word(g)}${word(g)}${g.pick(['', 'x', 'z'])}`;

export const FAMILY_TEMPLATES: Template[] = [
  // --- chat and incident webhooks with the secret in the path
  (g) => { const w = discordWebhook(g); return line('webhook-discord', `INFO posting alert to ${w.url}`, w.token); },
  (g) => { const w = discordWebhook(g); return line('webhook-discord', json({ level: 'error', msg: 'webhook failed', url: w.url.replace('discord.com', 'discordapp.com'), status: 429 }), w.token); },
  (g) => { const w = discordWebhook(g); return line('webhook-discord', `ALERT_WEBHOOK=${w.url}?wait=true`, w.token); },
  (g) => { const w = teamsWebhook(g); return line('webhook-teams', `curl -H 'Content-Type: application/json' -d @card.json ${w.url}`, w.secret); },
  (g) => { const w = teamsWebhook(g); return line('webhook-teams', json({ Environment: { Variables: { TEAMS_WEBHOOK: w.url } } }), w.secret); },
  (g) => { const t = telegramToken(g); return line('webhook-telegram', `GET https://api.telegram.org/bot${t}/sendMessage?chat_id=-100${g.chars(DIGITS, 10)}&text=down 200`, t); },
  (g) => { const t = telegramToken(g); return line('webhook-telegram', `telegram notifier started with bot token ${t}`, t); },
  (g) => { const t = telegramToken(g); return line('webhook-telegram', `Error: ETIMEDOUT https://api.telegram.org/file/bot${t}/photos/file_${g.int(1, 99)}.jpg`, t); },
  // --- incident routing and integration keys
  (g) => { const k = g.chars(`${LOWER}${DIGITS}`, 32); return line('incident-key', json({ routing_key: k, event_action: 'trigger', payload: { summary: '5xx on orders', severity: 'critical', source: 'firebreak' } }), k); },
  (g) => { const k = g.hex(32); return line('incident-key', `POST https://events.pagerduty.com/integration/${k}/enqueue 202`, k); },
  (g) => { const a = g.uuid(); const r = `${g.pick(['ops', 'payments'])}-${g.alnum(12)}`; return line('incident-key', `https://alert.victorops.com/integrations/generic/20131114/alert/${a}/${r}`, a, r); },
  (g) => { const k = g.uuid(); return line('incident-key', `curl -X POST https://api.opsgenie.com/v2/alerts -H "Authorization: GenieKey ${k}" -d @alert.json`, k); },
  (g) => { const k = g.hex(32); return line('incident-key', `service_key=${k} incident_key=orders-5xx`, k); },
  (g) => { const k = g.alnum(32); return line('incident-key', `X-Routing-Key: ${k}`, k); },
  // --- webhook secrets in JSON-patch operations
  (g) => { const s = `${word(g)}-${g.alnum(20)}`; return line('json-patch', json([{ op: 'replace', path: '/config/secret', value: s }, { op: 'replace', path: '/active', value: true }]), s); },
  (g) => { const s = g.password(); return line('json-patch', json({ eventName: 'UpdateStage', requestParameters: { restApiId: g.hex(10), stageName: 'prod', patchOperations: [{ op: 'replace', path: '/variables/webhookSecret', value: s }] } }), s); },
  (g) => { const s = Buffer.from(g.urlPassword()).toString('base64'); return line('json-patch', `kubectl patch secret orders-db --type=json -p='[{"op":"replace","path":"/data/password","value":"${s}"}]'`, s); },
  (g) => { const s = g.alnum(40); return line('json-patch', json({ patchOperations: [{ op: 'add', path: '/webhooks/0/signingSecret', value: s }] }), s); },
  // --- .netrc
  (g) => { const p = plainPassword(g); return line('netrc', `machine api.${g.pick(['heroku', 'github', 'example'])}.com login ops@example.com password ${p}`, p); },
  (g) => { const p = g.urlPassword(); return line('netrc', `machine ftp.example.com\n  login deploy\n  password ${p}\n`, p); },
  (g) => { const p = plainPassword(g); return line('netrc', `default login anonymous password ${p}`, p); },
  // --- LDAP tools and SSSD
  (g) => { const p = g.urlPassword(); return line('ldap', `+ ldapsearch -x -H ldaps://ldap.example.com -D "cn=admin,dc=example,dc=com" -w ${p} -b "dc=example,dc=com" "(uid=alice)"`, p); },
  (g) => { const p = plainPassword(g); return line('ldap', `[domain/example.com]\nid_provider = ldap\nldap_default_bind_dn = cn=sssd,dc=example,dc=com\nldap_default_authtok = ${p}\n`, p); },
  (g) => { const p = g.urlPassword(); return line('ldap', `binddn cn=nslcd,dc=example,dc=com\nbindpw ${p}\n`, p); },
  (g) => { const p = g.urlPassword(); const n = g.urlPassword(); return line('ldap', `ldappasswd -x -D cn=admin,dc=example,dc=com -w ${p} -s ${n} uid=alice,ou=people,dc=example,dc=com`, p, n); },
  // --- a password piped to a login command's stdin
  (g) => { const p = g.urlPassword(); return line('stdin-password', `+ echo "${p}" | docker login -u ci --password-stdin registry.example.com`, p); },
  (g) => { const p = plainPassword(g); return line('stdin-password', `printf '%s\\n' '${p}' | sudo -S systemctl restart orders`, p); },
  (g) => { const p = g.urlPassword(); return line('stdin-password', `helm registry login ghcr.io -u ci --password-stdin <<< '${p}'`, p); },
  (g) => { const p = g.urlPassword(); return line('stdin-password', `echo -n ${p} | kinit svc-orders@EXAMPLE.COM`, p); },
  // --- fish shell
  (g) => { const s = g.awsSecret(); return line('fish-set', `set -gx AWS_SECRET_ACCESS_KEY ${s}`, s); },
  (g) => { const p = plainPassword(g); return line('fish-set', `set -Ux DB_PASSWORD ${p}`, p); },
  (g) => { const t = g.alnum(40); return line('fish-set', `set --export --global GITHUB_TOKEN '${t}'`, t); },
  // --- <tool> auth <token>
  (g) => { const t = g.uuid(); return line('tool-auth', `+ snyk auth ${t}`, t); },
  (g) => { const t = `${g.int(1, 2)}${g.alnum(26)}_${g.alnum(21)}`; return line('tool-auth', `ngrok config add-authtoken ${t}`, t); },
  (g) => { const t = `hvs.${g.alnum(90)}`; return line('tool-auth', `vault login ${t}`, t); },
  (g) => { const p = g.urlPassword(); return line('tool-auth', `cf auth admin ${p}`, p); },
  // --- AUTH PLAIN and friends
  (g) => { const p = g.urlPassword(); const b = Buffer.from(`\0alice@example.com\0${p}`).toString('base64'); return line('auth-plain', `C: AUTH PLAIN ${b}\nS: 235 2.7.0 Authentication successful`, b, p); },
  (g) => { const p = g.urlPassword(); const b = Buffer.from(p).toString('base64'); return line('auth-plain', `S: 334 VXNlcm5hbWU6\nC: ${Buffer.from('alice').toString('base64')}\nS: 334 UGFzc3dvcmQ6\nC: ${b}\nS: 235 ok`, b); },
  (g) => { const p = plainPassword(g); return line('auth-plain', `127.0.0.1:6379> AUTH ${p}`, p); },
  (g) => { const p = g.urlPassword(); return line('auth-plain', `1714557600.123456 [0 10.0.1.5:51234] "AUTH" "orders" "${p}"`, p); },
  (g) => { const t = g.alnum(60); const b = Buffer.from(`user=alice@example.com\u0001auth=Bearer ${t}\u0001\u0001`).toString('base64'); return line('auth-plain', `a1 AUTHENTICATE XOAUTH2 ${b}`, b); },
  // --- basic-auth tuples written as code
  (g) => { const p = g.password().replace(/["'\\]/g, ''); return line('basic-auth-code', `requests.get(url, auth=("svc-orders", "${p}"), timeout=5)`, p); },
  (g) => { const p = plainPassword(g); return line('basic-auth-code', `\treq.SetBasicAuth("admin", "${p}")`, p); },
  (g) => { const p = g.urlPassword(); return line('basic-auth-code', `File "/var/task/app.py", line 12, in handler: session.auth = HTTPBasicAuth('deploy', '${p}')`, p); },
  (g) => { const p = g.urlPassword(); return line('basic-auth-code', `var cred = new NetworkCredential("svc", "${p}", "CORP");`, p); },
  // --- connection strings without a URL scheme
  (g) => { const p = g.urlPassword(); return line('go-dsn', `dsn := "orders:${p}@tcp(orders-db.internal:3306)/orders?parseTime=true"`, p); },
  (g) => { const p = g.password().replace(/[@"\\]/g, ''); return line('go-dsn', `level=error msg="dial failed" dsn=root:${p}@tcp(10.0.2.15:3306)/app err="i/o timeout"`, p); },
  (g) => { const p = g.urlPassword(); return line('oracle', `+ sqlplus -S scott/${p}@//db.example.com:1521/ORCLPDB1 @report.sql`, p); },
  (g) => { const p = g.urlPassword(); return line('oracle', `jdbc:oracle:thin:app/${p}@db.example.com:1521:ORCL`, p); },
  (g) => { const p = plainPassword(g); return line('oracle', `expdp system/${p}@orcl schemas=orders directory=dp_dir dumpfile=orders.dmp`, p); },
  (g) => { const p = `${g.chars(ALNUM, 6)};${g.chars(ALNUM, 4)}}}${g.chars(ALNUM, 5)}`; return line('odbc', `Driver={ODBC Driver 18 for SQL Server};Server=tcp:orders.database.windows.net,1433;Uid=svc;Pwd={${p}};Encrypt=yes;`, p.replace('}}', '}').split(';')[0] as string, p.split(';')[1] as string); },
  (g) => { const p = `${g.chars(ALNUM, 8)};${g.chars(ALNUM, 8)}`; return line('odbc', `DSN=orders;UID=report;PWD={${p}}`, p.split(';')[0] as string, p.split(';')[1] as string); },
  // --- values hidden by encoding
  (g) => { const p = g.password(); return line('url-encoded', `POST /login body=username%3Dbob%26password%3D${encodeURIComponent(encodeURIComponent(p))}%26remember%3D1`, p); },
  (g) => { const p = g.urlPassword(); return line('url-encoded', `GET /cb?next=${encodeURIComponent(`/api?user=svc&password=${p}`)} 302`, p); },
  (g) => { const t = g.alnum(40); return line('url-encoded', `redirect_uri=${encodeURIComponent(encodeURIComponent(`https://app.example.com/cb?access_token=${t}`))}`, t); },
  (g) => { const p = g.passphrase(); const inner = json({ level: 'error', msg: json({ user: 'bob', password: p }) }); return line('json-escaped', json({ '@timestamp': '2024-05-01T10:00:00Z', log: inner }), p); },
  (g) => { const p = g.password(); const l1 = json({ errorMessage: `connect failed ${json({ host: 'db', password: p })}` }); const l2 = json({ message: l1 }); return line('json-escaped', json({ event: l2 }), p); },
  (g) => { const k = g.alnum(40); return line('json-escaped', json({ body: json({ headers: json({ 'x-api-key': k }) }) }), k); },
  (g) => { const s = samlResponse(g); return line('saml', `POST /saml/acs SAMLResponse=${encodeURIComponent(s)}&RelayState=%2Fdashboard 302`, s); },
  (g) => { const s = samlResponse(g); return line('saml', json({ path: '/sso/callback', body: { SAMLResponse: s } }), s); },
  (g) => { const s = samlResponse(g); return line('saml', `idp response ${s.slice(0, 400)}`, s.slice(0, 400)); },
  // --- vendor Authorization schemes, `Token token=`, prefixed SDK keys, bot tokens
  (g) => { const k = g.uuid(); return line('vendor-scheme', `POST /services/collector/event Authorization: Splunk ${k}`, k); },
  (g) => { const k = `00${g.b64url(40)}`; return line('vendor-scheme', json({ headers: { Authorization: `SSWS ${k}`, Accept: 'application/json' } }), k); },
  (g) => { const k = `pk_${g.hex(34)}`; return line('vendor-scheme', `curl https://a.klaviyo.com/api/profiles/ -H "Authorization: Klaviyo-API-Key ${k}"`, k); },
  (g) => { const k = `${g.alnum(30)}:${g.alnum(22)}`; return line('vendor-scheme', `Authorization: sso-key ${k}`, k); },
  (g) => { const k = `1000.${g.hex(32)}.${g.hex(32)}`; return line('vendor-scheme', `{Authorization=Zoho-oauthtoken ${k}, Host=www.zohoapis.com}`, k); },
  (g) => { const t = g.alnum(32); return line('token-token', `Authorization: Token token="${t}", email="ops@example.com"`, t); },
  (g) => { const t = g.hex(40); return line('token-token', `curl -H 'Authorization: Token token=${t}' https://api.pagerduty.com/incidents`, t); },
  (g) => { const t = g.alnum(24); return line('token-token', `sent header Token token=${t} to billing`, t); },
  (g) => { const k = `sdk-${g.uuid()}`; return line('sdk-uuid', `LAUNCHDARKLY_SDK=${k}`, k); },
  (g) => { const k = `mob-${g.uuid()}`; return line('sdk-uuid', `ld client init with ${k} failed: 401`, k); },
  (g) => { const k = `access-production-${g.uuid()}`; return line('sdk-uuid', json({ client_id: g.hex(24), access_token: k }), k); },
  (g) => { const k = `api-${g.uuid()}`; return line('sdk-uuid', `flags sync using ${k}`, k); },
  (g) => { const t = `${g.pick(['M', 'N', 'O'])}${g.b64url(25)}.${g.b64url(6)}.${g.b64url(38)}`; return line('bot-token', `Authorization: Bot ${t}`, t); },
  (g) => { const t = `${g.pick(['M', 'N', 'O'])}T${g.chars(UPPER, 1)}${g.b64url(22)}.${g.b64url(6)}.${g.b64url(27)}`; return line('bot-token', `discord login failed for ${t}: 401`, t); },
  (g) => { const t = `xoxb-${g.chars(DIGITS, 12)}-${g.chars(DIGITS, 13)}-${g.alnum(24)}`; return line('bot-token', `SLACK_BOT=${t}`, t); },
  // --- CloudTrail request parameters of calls that create secrets: redacted by name
  (g) => { const v = plainPassword(g) + word(g); return line('cloudtrail-create', json({ eventSource: 'apigateway.amazonaws.com', eventName: 'CreateApiKey', requestParameters: { name: 'partner', enabled: true, value: v }, responseElements: { id: g.chars(LOWER + DIGITS, 10), value: v } }), v); },
  (g) => { const v = `${word(g)}-${word(g)}-${word(g)}`; return line('cloudtrail-create', json({ eventName: 'PutParameter', requestParameters: { name: '/prod/orders/db', type: 'String', value: v, overwrite: true } }), v); },
  (g) => { const v = plainPassword(g); return line('cloudtrail-create', json({ eventName: 'CreateSecret', requestParameters: { name: 'prod/db', secretString: v } }), v); },
  (g) => { const v = plainPassword(g); return line('cloudtrail-create', json({ eventName: 'AdminSetUserPassword', requestParameters: { userPoolId: `us-east-1_${g.alnum(9)}`, username: 'alice', password: v, permanent: true } }), v); },
  (g) => { const v = `${word(g)}${word(g)}${word(g)}`; return line('cloudtrail-create', json({ eventName: 'CreateConnection', requestParameters: { name: 'pagerduty', authorizationType: 'API_KEY', authParameters: { apiKeyAuthParameters: { apiKeyName: 'x-api-key', apiKeyValue: v } } } }), v); },
];

/** Look-alikes of the new kinds: values that look like these secrets and are not. */
export const LOOKALIKE_TEMPLATES: HarmlessTemplate[] = [
  (g) => ok('tokens-count', `bedrock converse modelId=anthropic.claude-3-haiku maxTokens=${g.int(256, 4096)} temperature=0.2`),
  (g) => ok('tokens-count', json({ inferenceConfig: { maxTokens: g.int(256, 4096), temperature: 0.2 }, usage: { inputTokens: g.int(100, 9000), outputTokens: g.int(10, 900), totalTokens: g.int(100, 9900) } })),
  (g) => ok('tokens-count', `max_tokens=${g.int(100, 4000)} tokens_used=${g.int(1, 999)} tokens_left=${g.int(1, 999)} tokenizer=cl100k_base`),
  (g) => ok('tokens-count', `--max-tokens ${g.int(100, 4000)} --token-budget medium`),
  (g) => ok('token-type', `{"access_token":"[REDACTED:api_key]","token_type":"${g.pick(['Bearer', 'bearer'])}","expires_in":${g.int(300, 3600)}}`),
  (g) => ok('token-type', `token_type=Bearer expires_in=${g.int(300, 3600)} scope=openid`),
  (_g) => ok('token-type', `TokenType: Bearer`),
  (g) => ok('mapping', json({ 'integration.request.header.x-api-key': 'method.request.header.X-Api-Key', 'integration.request.path.id': `method.request.path.id${g.pick(['', ''])}` })),
  (_g) => ok('mapping', `identitySource=method.request.header.Authorization,method.request.querystring.token`),
  (_g) => ok('mapping', json({ IdentitySource: ['$request.header.Authorization'], AuthorizerType: 'REQUEST' })),
  (_g) => ok('mapping', json({ requestParameters: { 'integration.request.header.Authorization': 'context.authorizer.token', 'integration.request.header.X-Api-Key': 'stageVariables.apiKey' } })),
  (g) => ok('integrity', json({ [`node_modules/${g.pick(['left-pad', 'lodash', 'zod'])}`]: { version: `4.${g.int(0, 17)}.${g.int(0, 21)}`, integrity: `sha512-${g.b64(86)}==` } })),
  (g) => ok('integrity', `<script src="https://cdn.example.com/app.js" integrity="sha384-${g.b64(64)}" crossorigin="anonymous"></script>`),
  (g) => ok('integrity', `resolved "https://registry.yarnpkg.com/zod/-/zod-3.22.4.tgz#${g.hex(40)}" integrity sha512-${g.b64(86)}==`),
  (g) => ok('integrity', `"integrity": "sha256-${g.b64(43)}="`),
  (g) => ok('hidden', json({ eventName: 'PutSecretValue', requestParameters: { secretId: 'prod/db', secretString: 'HIDDEN_DUE_TO_SECURITY_REASONS', clientRequestToken: g.uuid() }, responseElements: null })),
  (g) => ok('hidden', json({ eventName: 'PutParameter', requestParameters: { name: '/prod/db/password', type: 'SecureString', value: 'HIDDEN_DUE_TO_SECURITY_REASONS', keyId: `alias/${g.pick(['aws/ssm', 'orders'])}` } })),
  (_g) => ok('hidden', json({ eventName: 'CreateLoginProfile', requestParameters: { userName: 'alice', password: 'HIDDEN_DUE_TO_SECURITY_REASONS', passwordResetRequired: true } })),
  (g) => ok('public-key', `NEXT_PUBLIC_STRIPE_KEY=pk_live_${g.alnum(24)}`),
  (g) => ok('public-key', json({ stripe: { publishableKey: `pk_test_${g.alnum(99)}` } })),
  (g) => ok('public-key', `mapboxgl.accessToken = 'pk.eyJ1Ijoi${g.b64url(20)}IiwiYSI6Im${g.b64url(20)}In0.${g.b64url(22)}';`),
  (g) => ok('public-key', `POSTHOG_KEY=phc_${g.alnum(43)}`),
  (g) => ok('sid', `AccountSid=AC${g.hex(32)} MessageSid=SM${g.hex(32)} MessageStatus=delivered`),
  (g) => ok('sid', json({ sid: `SM${g.hex(32)}`, account_sid: `AC${g.hex(32)}`, status: 'queued', uri: `/2010-04-01/Accounts/AC${g.hex(32)}/Messages/SM${g.hex(32)}.json` })),
  (g) => ok('sid', `twilio callback CallSid=CA${g.hex(32)}&AccountSid=AC${g.hex(32)}&CallStatus=completed`),
  (g) => ok('webhook-path', `POST /webhooks/${g.pick(['github', 'stripe', 'pagerduty'])} 200 ${g.int(1, 99)}ms`),
  (_g) => ok('webhook-path', `hint: The '.git/hooks/pre-commit' hook was ignored because it's not set as executable.`),
  (_g) => ok('webhook-path', `see https://discord.com/developers/docs/resources/webhook and https://learn.microsoft.com/microsoftteams/platform/webhooks-and-connectors/how-to/add-incoming-webhook`),
  (g) => ok('webhook-path', `chat_id=-100${g.chars(DIGITS, 10)} message_id=${g.int(1, 99999)} date=${g.int(1700000000, 1800000000)}`),
  (g) => ok('incident', json({ event_action: 'resolve', dedup_key: `orders-5xx-${g.int(1, 99)}`, payload: { severity: 'critical', source: 'firebreak', component: 'orders' } })),
  (_g) => ok('incident', `routing_key=orders.created.v2 exchange=events`),
  (g) => ok('incident', json({ incident_key: `srv-${g.int(1, 9999)}`, service: { id: `P${g.chars(UPPER + DIGITS, 6)}`, type: 'service_reference' } })),
  (_g) => ok('json-patch', json([{ op: 'replace', path: '/throttle/rateLimit', value: '100' }, { op: 'replace', path: '/apiKeyRequired', value: 'true' }, { op: 'replace', path: '/maxTokens', value: '2048' }])),
  (g) => ok('json-patch', json({ patchOperations: [{ op: 'replace', path: '/*/*/logging/loglevel', value: 'INFO' }, { op: 'replace', path: '/deploymentId', value: g.chars(LOWER + DIGITS, 6) }] })),
  (_g) => ok('netrc', `machine api.example.com login ops (the password lives in ~/.netrc, mode 600)`),
  (_g) => ok('netrc', `warning: password is too short; password reset required`),
  (_g) => ok('ldap', `ldapsearch -x -LLL -H ldap://ldap.example.com -b dc=example,dc=com "(uid=alice)" cn mail`),
  (_g) => ok('ldap', `ldap_default_authtok_type = password\nldap_id_use_start_tls = true`),
  (_g) => ok('stdin', `aws ecr get-login-password --region us-east-1 | docker login --username AWS --password-stdin 111111111111.dkr.ecr.us-east-1.amazonaws.com`),
  (_g) => ok('stdin', `echo "$REGISTRY_PASSWORD" | docker login -u ci --password-stdin registry.example.com`),
  (_g) => ok('stdin', `echo "deploy finished" | tee -a deploy.log`),
  (_g) => ok('fish', `set -gx PATH $PATH /usr/local/bin; set -gx EDITOR vim; set -gx AWS_REGION us-east-1`),
  (_g) => ok('fish', `set -gx AWS_SECRET_ACCESS_KEY (op read op://prod/aws/secret)`),
  (_g) => ok('tool-auth', `gh auth login --web --hostname github.com; gh auth status`),
  (_g) => ok('tool-auth', `aws sso login --profile prod && docker login registry.example.com && az login --use-device-code`),
  (_g) => ok('tool-auth', `vault login -method=oidc role=ops`),
  (_g) => ok('auth-plain', `S: 250-AUTH PLAIN LOGIN XOAUTH2\nS: 250 SMTPUTF8`),
  (_g) => ok('auth-plain', `SMTP AUTH extension not supported by server.`),
  (_g) => ok('auth-plain', `AUTH failed: WRONGPASS invalid username-password pair or user is disabled.`),
  (_g) => ok('code', `requests.get(url, auth=(user, password), timeout=5)`),
  (_g) => ok('code', `req.SetBasicAuth(cfg.User, cfg.Password)`),
  (_g) => ok('code', `if err := client.login(username, password); err != nil {`),
  (_g) => ok('dsn', `dsn := fmt.Sprintf("%s:%s@tcp(%s:3306)/%s", user, pass, host, db)`),
  (_g) => ok('dsn', `root@tcp(localhost:3306)/orders?parseTime=true`),
  (_g) => ok('dsn', `sqlplus / as sysdba; sqlplus -S /nolog @setup.sql; ORACLE_HOME=/u01/app/oracle/product/19c`),
  (_g) => ok('dsn', `Driver={ODBC Driver 18 for SQL Server};Server=tcp:db,1433;Trusted_Connection=yes;Encrypt=yes`),
  (g) => ok('encoded', `GET /search?q=token%20limit%3D${g.int(1, 999)}&redirect_uri=https%3A%2F%2Fapp.example.com%2Fcallback 200`),
  (g) => ok('encoded', json({ message: json({ requestId: g.uuid(), status: 502, path: '/orders' }) })),
  (g) => ok('encoded', `path=%2Fusers%2F${g.int(1, 999)}%2Forders&sort=-created`),
  (g) => ok('saml', json({ samlResponseTtl: 300, SAMLRequest: 'queued', relayState: '/dashboard', idp: `https://idp.example.com/${g.hex(8)}` })),
  (_g) => ok('scheme', `WWW-Authenticate: Bearer realm="api", error="invalid_token", error_description="The access token expired"`),
  (_g) => ok('scheme', json({ authorization: 'Missing Authentication Token', authorizationType: 'CUSTOM' })),
  (_g) => ok('scheme', `Authorization header is missing or malformed`),
  (g) => ok('uuid-ids', `req-${g.uuid()} order-${g.uuid()} trace-${g.uuid()}`),
  (g) => ok('uuid-ids', json({ apiKeyId: g.chars(LOWER + DIGITS, 10), apiKey: g.chars(LOWER + DIGITS, 10), usagePlanId: g.chars(LOWER + DIGITS, 6) })),
  (g) => ok('versions', `MyApp.v${g.int(1, 9)}.${g.int(0, 9)} build ${g.hex(7)} node v20.${g.int(0, 20)}.${g.int(0, 9)}`),
  (g) => ok('times', `12:34:56 ${g.int(10, 23)}:${g.int(10, 59)}:${g.int(10, 59)} took ${g.int(1, 999)}ms`),
];

export const LOOKALIKE_FIXED: HarmlessLine[] = [
  '{"eventName":"CreateApiKey","requestParameters":{"name":"partner","enabled":true,"generateDistinctId":true},"responseElements":{"id":"q1w2e3r4t5","name":"partner","enabled":true}}',
  '{"eventName":"GetApiKey","requestParameters":{"apiKey":"q1w2e3r4t5","includeValue":false}}',
  'AuthorizerConfigurationException: Authorization: Bearer token was not valid for identity source',
  'method.request.header.X-Api-Key',
  '$context.identity.apiKey',
].map((text) => ({ family: 'fixed', text }));

/**
 * Where a secret line may sit on its way to the bot: as a log line itself, inside a Lambda error
 * record (one and two levels of JSON), in an access log record, a CloudTrail event, a configuration
 * value, the added context and a feedback note. Each turns the line into the text that reaches the
 * redactor there.
 */
export const PLANTINGS: Record<string, (text: string) => string> = {
  log: (text) => `2024-05-01T10:00:01.120Z\t6f0c2c1e-1b7a-4c55-9a0e-2f1d7c9b0a11\tERROR\t${text}`,
  'lambda-error-1': (text) => json({ errorType: 'Error', errorMessage: text, stack: [`Error: ${text.split('\n')[0]}`, '    at handler (/var/task/index.js:12:11)'] }),
  'lambda-error-2': (text) => json({ timestamp: '2024-05-01T10:00:01.120Z', level: 'ERROR', message: json({ errorType: 'Error', errorMessage: text }) }),
  'access-log': (text) => json({ requestId: '6f0c2c1e-1b7a-4c55-9a0e-2f1d7c9b0a11', ip: '203.0.113.7', httpMethod: 'POST', path: '/orders', status: '502', errorMessage: text }),
  cloudtrail: (text) => json({ eventName: 'UpdateFunctionConfiguration20150331v2', requestParameters: { functionName: 'orders', description: text } }),
  configuration: (text) => json({ stageName: 'prod', variables: { note: text }, description: `deploy: ${text}` }),
  context: (text) => `it broke right after this showed up:\n${text}`,
  feedback: (text) => `real cause: ${escaped(text)}`,
};
