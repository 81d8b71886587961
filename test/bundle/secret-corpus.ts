/**
 * A corpus of realistic log, event and config lines carrying secrets, and of harmless AWS lines
 * that look like secrets. Every secret value is GENERATED here from a seeded generator: no literal
 * credential is in the repository (secret scanners on the repository stay quiet), and the values
 * differ from any example a rule could have been written for.
 */
import { createRandom } from '../../src/sandbox/prng.js';

/** The sandbox's own seeded PRNG: small, reproducible, good enough to draw characters. */
export function rng(seed: number): () => number {
  const random = createRandom(seed);
  return () => random.next();
}

export const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
export const LOWER = 'abcdefghijklmnopqrstuvwxyz';
export const DIGITS = '0123456789';
export const ALNUM = UPPER + LOWER + DIGITS;
export const HEX = '0123456789abcdef';
const B64 = ALNUM + '+/';
const B64URL = ALNUM + '-_';
const WORDS = 'correct horse battery staple orbit lantern velvet quarry maple signal tundra copper violet harbor meadow cobalt ember fjord glacier'.split(' ');

export class Gen {
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = rng(seed);
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  pick<T>(values: readonly T[]): T {
    return values[this.int(0, values.length - 1)] as T;
  }
  chars(alphabet: string, n: number): string {
    let out = '';
    for (let i = 0; i < n; i++) out += alphabet[this.int(0, alphabet.length - 1)];
    return out;
  }
  /** Random token material that mixes classes (as real keys do). */
  alnum(n: number): string {
    return this.chars(UPPER, 1) + this.chars(DIGITS, 1) + this.chars(LOWER, 1) + this.chars(ALNUM, n - 3);
  }
  hex(n: number): string {
    return this.chars(HEX, n);
  }
  b64(n: number): string {
    return this.chars(UPPER, 1) + this.chars(LOWER, 1) + this.chars(DIGITS, 1) + '/' + this.chars(B64, n - 4);
  }
  b64url(n: number): string {
    return this.chars(UPPER, 1) + this.chars(LOWER, 1) + this.chars(DIGITS, 1) + this.chars(B64URL, n - 3);
  }
  uuid(): string {
    return `${this.hex(8)}-${this.hex(4)}-4${this.hex(3)}-a${this.hex(3)}-${this.hex(12)}`;
  }
  /** A password with punctuation a naive `[^,&\s]` value rule would stop at. */
  password(): string {
    return `${this.chars(UPPER, 2)}${this.chars(LOWER, 4)}${this.pick(['&', ',', '!', '#', '%', ';', '@', '^', '*'])}${this.chars(DIGITS, 3)}${this.pick([',', '&', '.', '!', '?', '+'])}${this.chars(LOWER + DIGITS, 5)}`;
  }
  /** A password safe unquoted in a URL or a shell word. */
  urlPassword(): string {
    return `${this.chars(UPPER, 2)}${this.chars(ALNUM, 10)}${this.pick(['-', '_', '.', '~', '!'])}${this.chars(ALNUM, 6)}`;
  }
  passphrase(): string {
    return `${this.pick(WORDS)} ${this.pick(WORDS)} ${this.pick(WORDS)} ${this.pick(WORDS)}${this.int(10, 99)}`;
  }
  akid(prefix = 'AKIA'): string {
    return prefix + this.chars(UPPER + '234567', 16);
  }
  awsSecret(): string {
    return this.b64(40);
  }
  sessionToken(): string {
    return 'IQoJb3JpZ2luX2Vj' + this.b64(260);
  }
  jwt(): string {
    return `eyJ${this.b64url(33)}.eyJ${this.b64url(90)}.${this.b64url(43)}`;
  }
  basic(user: string, password: string): string {
    return Buffer.from(`${user}:${password}`).toString('base64');
  }
  pem(kind = 'RSA '): string[] {
    return [`-----BEGIN ${kind}PRIVATE KEY-----`, `MIIE${this.b64(60)}`, this.b64(64), this.b64(64), `${this.b64(40)}==`, `-----END ${kind}PRIVATE KEY-----`];
  }
  account(): string {
    return `${this.int(1, 9)}${this.chars(DIGITS, 11)}`;
  }
  ip(): string {
    return `${this.pick(['10', '172.16', '192.168', '203.0.113'])}.${this.int(0, 255)}.${this.int(1, 254)}`.split('.').slice(0, 4).join('.');
  }
}

export interface SecretLine {
  family: string;
  text: string;
  secrets: string[];
}

export type Template = (g: Gen) => SecretLine;

export const line = (family: string, text: string, ...secrets: string[]): SecretLine => ({ family, text, secrets });

/** Lines with secrets, by family and by where they show up (logs, events, traces, configs). */
export const SECRET_TEMPLATES: Template[] = [
  // --- key/value by name: env dumps and export lines
  (g) => { const s = g.hex(32); return line('env', `DD_API_KEY=${s}`, s); },
  (g) => { const s = g.hex(40); return line('env', `DD_APP_KEY=${s}`, s); },
  (g) => { const s = g.alnum(32); return line('env', `PAYMENTS_API_KEY=${s}`, s); },
  (g) => { const s = g.uuid(); return line('env', `HEROKU_API_KEY=${s}`, s); },
  (g) => { const s = `AAAA${g.b64url(7)}:APA91b${g.b64url(134)}`; return line('env', `FIREBASE_SERVER_KEY=${s}`, s); },
  (g) => { const s = g.passphrase(); return line('env', `DB_PASSWORD=${s}`, s); },
  (g) => { const s = g.password(); return line('env', `export MYSQL_PWD=${s}`, s); },
  (g) => { const s = g.alnum(40); return line('env', `  SENTRY_AUTH_TOKEN=${s}`, s); },
  (g) => { const s = g.alnum(32); return line('env', `TWILIO_AUTH_TOKEN=${g.hex(0)}${s}`, s); },
  (g) => { const s = g.urlPassword(); return line('env', `+ export PGPASSWORD=${s}`, s); },
  (g) => { const s = `whsec_${g.alnum(32)}`; return line('env', `STRIPE_WEBHOOK_SECRET=${s}`, s); },
  (g) => { const s = g.alnum(48); return line('env', `app.session.secret=${s}`, s); },
  (g) => { const s = g.awsSecret(); const a = g.akid(); return line('env', `AWS_ACCESS_KEY_ID=${a} AWS_SECRET_ACCESS_KEY=${s}`, s, a); },
  (g) => { const t = g.sessionToken(); return line('env', `AWS_SESSION_TOKEN=${t}`, t); },
  // --- Lambda events and env dumps in JSON
  (g) => { const s = g.password(); const k = g.alnum(40); return line('lambda-env', `{"FunctionName":"orders","Environment":{"Variables":{"DB_PASSWORD":"${s}","API_TOKEN":"${k}","STAGE":"prod"}}}`, s, k); },
  (g) => { const s = g.passphrase(); return line('lambda-event', `{"resource":"/login","httpMethod":"POST","body":"{\\"username\\":\\"bob\\",\\"password\\":\\"${s}\\"}","isBase64Encoded":false}`, s); },
  (g) => { const u = `svc-${g.hex(4)}`; const p = g.urlPassword(); const b = g.basic(u, p); return line('lambda-event', `{"headers":{"Authorization":"Basic ${b}","Host":"api.example.com"},"requestContext":{"requestId":"${g.uuid()}"}}`, b, p); },
  (g) => { const k = g.alnum(40); return line('lambda-event', `{"headers":{"x-api-key":"${k}","accept":"*/*"},"multiValueHeaders":{"x-api-key":["${k}"]}}`, k); },
  (g) => { const c = g.b64(48); return line('lambda-event', `{"multiValueHeaders":{"Cookie":["session=${c}; theme=dark"]},"path":"/account"}`, c); },
  (g) => { const t = g.alnum(32); return line('lambda-event', `{"queryStringParameters":{"token":"${t}","page":"2"},"path":"/export"}`, t); },
  (g) => { const j = g.jwt(); return line('lambda-event', `{"headers":{"authorization":"Bearer ${j}"},"requestContext":{"authorizer":{"claims":{"token_use":"access"}}}}`, j); },
  (g) => { const s = g.password(); return line('lambda-log', `2024-05-01T10:00:03.120Z\t${g.uuid()}\tERROR\tconnect failed: {"host":"orders-db","user":"svc","password":"${s}"}`, s); },
  (g) => { const p = g.urlPassword(); return line('lambda-log', `2024-05-01T10:00:03.120Z ${g.uuid()} ERROR Unhandled error: could not connect to postgresql://svc:${p}@orders-db.cluster-${g.hex(12)}.us-east-1.rds.amazonaws.com:5432/orders`, p); },
  (g) => { const k = `sk_live_${g.alnum(24)}`; return line('lambda-log', `[ERROR] StripeAuthenticationError: Invalid API Key provided: ${k}`, k); },
  (g) => { const k = `shpat_${g.hex(32)}`; return line('lambda-log', `INFO calling Shopify admin API with X-Shopify-Access-Token ${k}`, k); },
  (g) => { const k = `key-${g.alnum(32)}`; return line('lambda-log', `mailgun client init api_key ${k} domain=mg.example.com`, k); },
  (g) => { const sid = `SK${g.hex(32)}`; const sec = g.alnum(32); return line('lambda-log', `twilio.Client("${sid}", "${sec}", "AC${g.hex(32)}")`, sid, sec); },
  (g) => { const k = `SG.${g.b64url(22)}.${g.b64url(43)}`; return line('lambda-log', `sendgrid error 401 for key ${k}`, k); },
  // --- API Gateway execution logs: header dumps and bodies
  (g) => { const j = g.jwt(); return line('apigw-headers', `(${g.uuid()}) Method request headers: {Authorization=Bearer ${j}, Host=api.example.com, X-Amzn-Trace-Id=Root=1-${g.hex(8)}-${g.hex(24)}}`, j); },
  (g) => { const k = g.alnum(40); return line('apigw-headers', `(${g.uuid()}) Method request headers: {x-api-key=${k}, User-Agent=curl/8.4.0, Accept=*/*}`, k); },
  (g) => { const c = g.hex(32); const t = g.alnum(32); return line('apigw-headers', `(${g.uuid()}) Method request headers: {Cookie=JSESSIONID=${c}; csrftoken=${t}, Host=api.example.com}`, c, t); },
  (g) => { const b = g.basic('admin', g.urlPassword()); return line('apigw-headers', `(${g.uuid()}) Endpoint request headers: {Authorization=Basic ${b}, Content-Type=application/json}`, b); },
  (g) => { const s = g.passphrase(); return line('apigw-body', `(${g.uuid()}) Method request body before transformations: {"username":"alice","password":"${s}","remember":true}`, s); },
  (g) => { const s = g.password(); return line('apigw-body', `(${g.uuid()}) Method request body before transformations: {"client_id":"web","client_secret":"${s}","grant_type":"client_credentials"}`, s); },
  (g) => { const t = g.sessionToken(); return line('apigw-headers', `(${g.uuid()}) Endpoint request headers: {X-Amz-Security-Token=${t}, x-amz-date=20240501T100000Z}`, t); },
  (g) => { const a = g.akid('ASIA'); const sig = g.hex(64); return line('apigw-headers', `(${g.uuid()}) Method request headers: {Authorization=AWS4-HMAC-SHA256 Credential=${a}/20240501/us-east-1/execute-api/aws4_request, SignedHeaders=host;x-amz-date, Signature=${sig}, Host=abc.execute-api.us-east-1.amazonaws.com}`, a, sig); },
  (g) => { const t = g.alnum(40); return line('apigw-body', `(${g.uuid()}) Endpoint response body before transformations: {"access_token":"${t}","token_type":"Bearer","expires_in":3600}`, t); },
  (g) => { const r = g.b64url(60); return line('apigw-body', `(${g.uuid()}) Method response body after transformations: {"refresh_token":"${r}","scope":"openid"}`, r); },
  // --- access logs and query strings
  (g) => { const s = g.urlPassword(); return line('access-log', `{"requestId":"${g.uuid()}","ip":"${g.ip()}","httpMethod":"GET","path":"/login?user=bob&password=${s}&next=/home","status":"302"}`, s); },
  (g) => { const k = g.alnum(32); return line('access-log', `${g.ip()} - - [01/May/2024:10:00:00 +0000] "GET /v1/report?apikey=${k}&fmt=csv HTTP/1.1" 200 512`, k); },
  (g) => { const c = g.hex(32).toUpperCase(); return line('access-log', `${g.ip()} "GET /shop/cart;jsessionid=${c}?item=42 HTTP/1.1" 200`, c); },
  (g) => { const c = g.b64url(24); return line('access-log', `GET /oauth/callback?code=${c}&state=${g.hex(8)} 302`, c); },
  (g) => { const sig = encodeURIComponent(g.b64(43) + '='); return line('access-log', `GET https://acct.blob.core.windows.net/c/b.csv?sv=2022-11-02&ss=b&srt=o&sp=r&se=2024-05-02T00:00:00Z&spr=https&sig=${sig} 200`, sig); },
  (g) => { const a = g.akid(); const sig = g.hex(64); return line('access-log', `GET https://bucket.s3.amazonaws.com/k.zip?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=${a}%2F20240501%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Signature=${sig}`, a, sig); },
  // --- CloudTrail request parameters
  (g) => { const s = g.password(); return line('cloudtrail', `{"eventSource":"secretsmanager.amazonaws.com","eventName":"PutSecretValue","requestParameters":{"secretId":"prod/db","secretString":"${s}"}}`, s); },
  (g) => { const s = g.passphrase(); return line('cloudtrail', `{"eventName":"CreateDBInstance","requestParameters":{"dBInstanceIdentifier":"orders","masterUsername":"admin","masterUserPassword":"${s}"}}`, s); },
  (g) => { const t = g.alnum(36); return line('cloudtrail', `{"eventName":"CreateAuthorizer","requestParameters":{"restApiId":"${g.hex(10)}","authorizationToken":"${t}"}}`, t); },
  (g) => { const s = g.awsSecret(); const a = g.akid(); return line('cloudtrail', `{"eventName":"AssumeRole","responseElements":{"credentials":{"accessKeyId":"${a}","secretAccessKey":"${s}","expiration":"May 1, 2024, 11:00:00 AM"}}}`, a, s); },
  (g) => { const t = g.sessionToken(); return line('cloudtrail', `{"responseElements":{"credentials":{"sessionToken":"${t}"}}}`, t); },
  (g) => { const k = g.alnum(40); return line('cloudtrail', `{"eventName":"UpdateFunctionConfiguration20150331v2","requestParameters":{"functionName":"orders","environment":{"variables":{"STRIPE_KEY":"${k}"}}}}`, k); },
  (g) => { const s = g.password(); return line('cloudtrail', `{"eventName":"RegisterTaskDefinition","requestParameters":{"containerDefinitions":[{"name":"orders","environment":[{"name":"STAGE","value":"prod"},{"name":"DB_PASSWORD","value":"${s}"}]}]}}`, s); },
  (g) => { const s = g.passphrase(); return line('cloudtrail', `{"eventName":"CreateStack","requestParameters":{"parameters":[{"parameterKey":"DBPassword","parameterValue":"${s}"}]}}`, s); },
  (g) => { const s = g.alnum(40); return line('config', `{"OptionSettings":[{"Namespace":"aws:elasticbeanstalk:application:environment","OptionName":"PAYMENTS_API_KEY","Value":"${s}"}]}`, s); },
  // --- resource policies and config files
  (g) => { const k = g.alnum(32); return line('policy', `{"Statement":[{"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Condition":{"StringEquals":{"aws:Referer":"x","x-api-key":"${k}"}}}]}`, k); },
  (g) => { const s = g.password(); return line('config', `  password: "${s}"`, s); },
  (g) => { const s = g.passphrase(); return line('config', `db_password: ${s}`, s); },
  (g) => { const s = g.awsSecret(); return line('config', `aws_secret_access_key = ${s}`, s); },
  (g) => { const t = `npm_${g.alnum(36)}`; return line('config', `//registry.npmjs.org/:_authToken=${t}`, t); },
  (g) => { const t = g.uuid(); return line('config', `//registry.example.com/:_authToken=${t}`, t); },
  (g) => { const s = g.password(); return line('config', `spring.datasource.password=${s}`, s); },
  (g) => { const b = g.basic('ci', g.urlPassword()); return line('config', `{"auths":{"registry.example.com":{"auth":"${b}"}}}`, b); },
  (g) => { const k = g.b64(86); return line('config', `DefaultEndpointsProtocol=https;AccountName=acct${g.hex(4)};AccountKey=${k}==;EndpointSuffix=core.windows.net`, k); },
  (g) => { const k = `pypi-AgEIcHlwaS5vcmc${g.b64url(70)}`; return line('config', `password = ${k}`, k); },
  (g) => { const id = g.hex(40); const pem = g.pem(''); return line('config', `{"type":"service_account","project_id":"p","private_key_id":"${id}","private_key":"${pem.join('\\n')}\\n","client_email":"x@p.iam.gserviceaccount.com"}`, id, ...pem.slice(1, -1)); },
  (g) => { const pem = g.pem('RSA '); return line('config', pem.join('\n'), ...pem.slice(1, -1)); },
  (g) => { const pem = g.pem('OPENSSH '); return line('lambda-log', `ERROR loaded deploy key ${pem.join('\\n')}`, ...pem.slice(1, -1)); },
  (g) => { const s = g.password().replace(/;/g, '&'); return line('config', `Server=orders-db;Database=orders;User Id=svc;Password=${s};Encrypt=true`, s); },
  (g) => { const t = `glpat-${g.b64url(20)}`; return line('config', `git remote add origin https://oauth2:${t}@gitlab.example.com/team/repo.git`, t); },
  // --- vendor tokens in free text
  (g) => { const t = `ghp_${g.alnum(36)}`; return line('vendor', `remote: Invalid username or password. token=${t.slice(0, 0)}${t}`, t); },
  (g) => { const t = `github_pat_${g.alnum(22)}_${g.alnum(59)}`; return line('vendor', `Using GITHUB_TOKEN ${t} for release`, t); },
  (g) => { const t = `xoxb-${g.chars(DIGITS, 12)}-${g.chars(DIGITS, 13)}-${g.alnum(24)}`; return line('vendor', `slack post failed with ${t}: not_in_channel`, t); },
  (g) => { const t = `xoxp-${g.chars(DIGITS, 11)}-${g.chars(DIGITS, 11)}-${g.chars(DIGITS, 13)}-${g.hex(32)}`; return line('vendor', `token=${t}`, t); },
  (g) => { const t = `xapp-1-A${g.alnum(10)}-${g.chars(DIGITS, 13)}-${g.hex(64)}`; return line('vendor', `SLACK_APP_TOKEN is ${t}`, t); },
  (g) => { const u = `T${g.chars(UPPER + DIGITS, 8)}/B${g.chars(UPPER + DIGITS, 10)}/${g.alnum(24)}`; return line('vendor', `posting alert to https://hooks.slack.com/services/${u}`, u); },
  (g) => { const t = `rk_live_${g.alnum(60)}`; return line('vendor', `stripe restricted key ${t}`, t); },
  (g) => { const t = `AIza${g.b64url(35)}`; return line('vendor', `maps request key=${t}&address=x`, t); },
  (g) => { const t = `ya29.${g.b64url(120)}`; return line('vendor', `google token ${t}`, t); },
  (g) => { const t = `npm_${g.alnum(36)}`; return line('vendor', `npm notice using ${t}`, t); },
  (g) => { const t = `HRKU-${g.uuid()}`; return line('vendor', `heroku auth ${t}`, t); },
  (g) => { const t = `sk-proj-${g.b64url(48)}`; return line('vendor', `openai call with ${t}`, t); },
  (g) => { const a = g.akid(); return line('vendor', `Loaded credentials ${a} from environment`, a); },
  (g) => { const a = g.akid(); const s = g.awsSecret(); return line('vendor', `${a},${s}`, a, s); },
  (g) => { const j = g.jwt(); return line('vendor', `id_token=${j}`, j); },
  // --- command lines and shell traces
  (g) => { const p = g.urlPassword(); return line('shell', `+ curl -sS -u deploy:${p} https://ci.example.com/api/json`, p); },
  (g) => { const p = g.passphrase(); return line('shell', `sshpass -p '${p}' ssh ops@${g.ip()} uptime`, p); },
  (g) => { const p = g.urlPassword(); return line('shell', `+ mysql -h orders-db -u admin -p${p} -e 'select 1'`, p); },
  (g) => { const p = g.urlPassword(); return line('shell', `psql --host=db --username=svc --password ${p} orders`, p); },
  (g) => { const t = g.alnum(40); return line('shell', `+ vault login --token ${t}`, t); },
  (g) => { const p = g.urlPassword(); return line('shell', `redis-cli -h cache -a ${p} ping`, p); },
  (g) => { const p = g.urlPassword(); return line('shell', `+ docker login -u ci -p ${p} registry.example.com`, p); },
  (g) => { const s = g.awsSecret(); return line('shell', `+ aws configure set aws_secret_access_key ${s}`, s); },
  (g) => { const t = g.alnum(40); return line('shell', `curl -H "Authorization: token ${t}" https://api.github.com/user`, t); },
  (g) => { const t = g.alnum(32); return line('shell', `curl -H 'X-Auth-Token: ${t}' https://api.example.com/v1`, t); },
  (g) => { const t = g.b64url(40); return line('shell', `curl https://api.example.com -H "x: Bearer ${t}"`, t); },
  (g) => { const p = g.urlPassword(); return line('shell', `kubectl create secret generic db --from-literal=password=${p}`, p); },
  (g) => { const sid = `SK${g.hex(32)}`; const sec = g.alnum(32); return line('shell', `curl -X POST https://api.twilio.com/2010-04-01/Accounts.json -u ${sid}:${sec}`, sid, sec); },
  (g) => { const p = g.uuid(); return line('config', `machine api.heroku.com login ops@example.com password ${p}`, p); },
  (g) => { const p = g.urlPassword(); return line('shell', `psql -c "ALTER USER svc WITH PASSWORD '${p}';"`, p); },
  (g) => { const s = g.b64url(28); return line('config', `"client_secret": "GOCSPX-${s}"`, s); },
  (g) => { const s = g.jwt(); return line('cookie', `set-cookie: __Secure-next-auth.session-token=${s}; Path=/`, s); },
  (g) => { const s = g.b64url(20); return line('shell', `curl -H "PRIVATE-TOKEN: ${s}" https://gitlab.example.com/api/v4/projects`, s); },
  (g) => { const s = `ghs_${g.alnum(36)}`; return line('shell', `git clone https://x-access-token:${s}@github.com/org/repo.git`, s); },
  (g) => { const s = g.b64(44); return line('env', `APP_KEY=base64:${s}`, s); },
  (g) => { const s = g.hex(32); return line('apigw-headers', `Ocp-Apim-Subscription-Key: ${s}`, s); },
  (g) => { const s = g.b64(43); return line('config', `Endpoint=sb://x.servicebus.windows.net/;SharedAccessKeyName=Root;SharedAccessKey=${s}=`, s); },
  (g) => { const s = g.alnum(32); return line('lambda-event', `{"requestContext":{"identity":{"apiKey":"${s}","sourceIp":"${g.ip()}"}}}`, s); },
  (g) => { const s = `sk_live_${g.alnum(24)}`; return line('config', `ENV STRIPE_SECRET_KEY ${s}`, s); },
  (g) => { const s = g.password(); return line('config', `auth: { user: 'svc', pass: '${s.replace(/'/g, '')}' }`, s.replace(/'/g, '')); },
  (g) => { const s = g.password(); return line('cloudtrail', `"SecretString": "{\\"username\\":\\"admin\\",\\"password\\":\\"${s}\\"}"`, s); },
  (g) => { const s = g.b64(64); return line('config', `private_key = """${s}"""`, s); },
  // --- connection strings
  (g) => { const p = g.urlPassword(); return line('connection', `mongodb+srv://app:${p}@cluster0.${g.hex(5)}.mongodb.net/orders?retryWrites=true`, p); },
  (g) => { const p = g.urlPassword(); return line('connection', `redis://:${p}@cache.internal:6379/0`, p); },
  (g) => { const p = g.urlPassword(); return line('connection', `amqps://orders:${p}@mq.internal:5671/vhost`, p); },
  (g) => { const p = `${g.urlPassword()}@x`; return line('connection', `DATABASE_URL=mysql://root:${p}@10.0.0.5:3306/app`, p); },
  (g) => { const p = g.urlPassword(); return line('connection', `jdbc:postgresql://db:5432/orders?user=svc&password=${p}&ssl=true`, p); },
  // --- cookies
  (g) => { const c = g.b64url(40); return line('cookie', `Set-Cookie: sessionid=${c}; Path=/; HttpOnly; Secure`, c); },
  (g) => { const c = g.hex(26); return line('cookie', `cookie: PHPSESSID=${c}; lang=en`, c); },
  (g) => { const c = g.b64url(64); return line('cookie', `{"cookies":["connect.sid=s%3A${c}"]}`, c); },
];

export interface HarmlessLine {
  family: string;
  text: string;
}

export type HarmlessTemplate = (g: Gen) => HarmlessLine;
export const ok = (family: string, text: string): HarmlessLine => ({ family, text });

/** AWS lines full of ids, hashes, ARNs and claim names that look like secrets and are not. */
export const HARMLESS_TEMPLATES: HarmlessTemplate[] = [
  (g) => ok('request-id', `(${g.uuid()}) Extended Request Id: ${g.b64url(15)}=`),
  (g) => ok('request-id', `START RequestId: ${g.uuid()} Version: $LATEST`),
  (g) => ok('request-id', `REPORT RequestId: ${g.uuid()} Duration: ${g.int(1, 900)}.12 ms Billed Duration: ${g.int(1, 900)} ms Memory Size: 128 MB Max Memory Used: 80 MB`),
  (g) => ok('request-id', `x-amzn-RequestId: ${g.uuid()}`),
  (g) => ok('request-id', `{"requestId":"${g.uuid()}","extendedRequestId":"${g.b64url(15)}=","status":"502"}`),
  (g) => ok('trace-id', `X-Amzn-Trace-Id: Root=1-${g.hex(8)}-${g.hex(24)};Parent=${g.hex(16)};Sampled=1`),
  (g) => ok('trace-id', `{"traceId":"1-${g.hex(8)}-${g.hex(24)}","segment":"orders"}`),
  (g) => ok('cf-id', `X-Amz-Cf-Id: ${g.b64url(54)}==`),
  (g) => ok('arn', `arn:aws:secretsmanager:us-east-1:${g.account()}:secret:prod/payments/api-key-${g.alnum(6)}`),
  (g) => ok('arn', `{"eventName":"GetSecretValue","requestParameters":{"secretId":"arn:aws:secretsmanager:us-east-1:${g.account()}:secret:prod/db/password-${g.alnum(6)}"},"errorCode":"AccessDenied"}`),
  (g) => ok('arn', `{"Action":["secretsmanager:GetSecretValue","kms:Decrypt"],"Resource":"arn:aws:kms:us-east-1:${g.account()}:key/${g.uuid()}"}`),
  (g) => ok('arn', `{"KeyId":"arn:aws:kms:eu-west-1:${g.account()}:key/${g.uuid()}","kmsKeyArn":"arn:aws:kms:eu-west-1:${g.account()}:key/${g.uuid()}"}`),
  (g) => ok('arn', `User: arn:aws:sts::${g.account()}:assumed-role/firebreak/bot is not authorized to perform: secretsmanager:GetSecretValue on resource: prod/db`),
  (g) => ok('arn', `{"SecretId":"prod/orders/token","secretArn":"arn:aws:secretsmanager:us-east-1:${g.account()}:secret:prod/orders/token-${g.alnum(6)}","SecretName":"prod/orders/token"}`),
  (g) => ok('hash', `{"CodeSha256":"${g.b64(43)}=","RevisionId":"${g.uuid()}"}`),
  (g) => ok('hash', `deployment sha ${g.hex(40)} etag "${g.hex(32)}"`),
  (g) => ok('hash', `{"sha256":"${g.hex(64)}","md5":"${g.hex(32)}"}`),
  (g) => ok('hash', `ETag: "${g.hex(32)}-${g.int(2, 40)}"`),
  (g) => ok('uuid', `{"clientToken":"${g.uuid()}","idempotencyToken":"${g.uuid()}"}`),
  (g) => ok('uuid', `{"nextToken":"${g.b64(120)}","maxResults":50}`),
  (g) => ok('uuid', `{"NextToken":"${g.b64url(80)}"}`),
  (g) => ok('uuid', `uploadSequenceToken=${g.chars(DIGITS, 56)}`),
  (g) => ok('network', `vpc=vpc-${g.hex(17)} vpce=vpce-${g.hex(17)} sg=sg-${g.hex(17)} subnet=subnet-${g.hex(17)}`),
  (g) => ok('network', `2 ${g.account()} eni-${g.hex(17)} ${g.ip()} ${g.ip()} ${g.int(1024, 65535)} 443 6 1 40 1714557600 1714557660 REJECT OK`),
  (g) => ok('network', `{"vpcEndpointId":"vpce-${g.hex(17)}","ownerId":"${g.account()}","privateDnsEnabled":true,"PrivateIpAddress":"${g.ip()}"}`),
  (g) => ok('network', `{"sourceIPAddress":"${g.ip()}","userAgent":"aws-cli/2.15.${g.int(0, 40)} Python/3.11.6","recipientAccountId":"${g.account()}"}`),
  (g) => ok('last-used', `{"UserName":"alice","PasswordLastUsed":"2024-0${g.int(1, 9)}-1${g.int(0, 9)}T10:00:00Z","CreateDate":"2023-01-01T00:00:00Z"}`),
  (g) => ok('last-used', `alice,arn:aws:iam::${g.account()}:user/alice,2023-01-01T00:00:00+00:00,true,2024-05-0${g.int(1, 9)}T10:00:00+00:00 password_last_used`),
  (_g) => ok('last-used', `{"AccessKeyLastUsed":{"LastUsedDate":"2024-05-01T10:00:00Z","ServiceName":"s3","Region":"us-east-1"}}`),
  (g) => ok('last-used', `PasswordLastUsed: 2024-05-0${g.int(1, 9)}T0${g.int(0, 9)}:00:00Z`),
  (g) => ok('claims', `{"sub":"${g.uuid()}","token_use":"access","scope":"aws.cognito.signin.user.admin","auth_time":${g.int(1700000000, 1800000000)},"exp":${g.int(1700000000, 1800000000)},"client_id":"${g.chars(LOWER + DIGITS, 26)}"}`),
  (g) => ok('claims', `{"token_use":"id","cognito:username":"alice","cognito:groups":["ops"],"event_id":"${g.uuid()}"}`),
  (g) => ok('claims', `{"authorizer":{"principalId":"user|${g.hex(8)}","integrationLatency":${g.int(1, 99)},"claims":{"token_use":"access"}}}`),
  (_g) => ok('claims', `{"tokenType":"Bearer","tokenSource":"header","identitySource":"method.request.header.Authorization","authorizerResultTtlInSeconds":300}`),
  (g) => ok('prose', `Basic authentication failed for user ${g.pick(['alice', 'bob', 'svc'])}: check the realm`),
  (g) => ok('prose', `Bearer token missing or malformed in request ${g.uuid()}`),
  (_g) => ok('prose', `Expected Bearer <token>, got an empty Authorization header`),
  (_g) => ok('prose', `authorizer returned Unauthorized: Bearer authentication required`),
  (_g) => ok('prose', `password reset required for user alice; password policy: enabled`),
  (_g) => ok('prose', `The password is incorrect or the token has expired; rotate the secret and retry`),
  (g) => ok('prose', `Missing Authentication Token: GET /orders/${g.int(1, 999)}`),
  (g) => ok('prose', `API Key **** not authorized because method 'GET /' requires API Key and API Key is not associated with a Usage Plan for API Stage ${g.hex(10)}/prod`),
  (g) => ok('settings', `method GET /orders authorizationType=COGNITO_USER_POOLS authorization=CUSTOM apiKeySource=HEADER authorizerId=${g.chars(LOWER + DIGITS, 6)}`),
  (g) => ok('settings', `{"authorizationType":"AWS_IAM","apiKeyRequired":true,"authorizerId":"${g.chars(LOWER + DIGITS, 6)}","passthroughBehavior":"WHEN_NO_MATCH"}`),
  (g) => ok('settings', `{"MinimumPasswordLength":${g.int(8, 20)},"RequireSymbols":true,"MaxPasswordAge":90,"PasswordReusePrevention":5}`),
  (g) => ok('settings', `{"mfaAuthenticated":"false","creationDate":"2024-05-01T09:00:00Z","sessionIssuer":{"type":"Role","principalId":"AROA${g.chars(UPPER + DIGITS, 17)}"}}`),
  (g) => ok('settings', `{"roleSessionName":"botocore-session-${g.int(1700000000, 1800000000)}","durationSeconds":3600,"sessionDuration":3600}`),
  (g) => ok('settings', `{"routeKey":"GET /pets/{id}","integrationLatency":"${g.int(1, 99)}","cacheKeyParameters":["method.request.path.id"]}`),
  (g) => ok('settings', `{"requestParameters":{"bucketName":"reports","key":"uploads/2024/0${g.int(1, 9)}/report-${g.hex(8)}.pdf"}}`),
  (g) => ok('settings', `{"Key":{"pk":{"S":"ORDER#${g.int(1, 99999)}"}},"TableName":"orders"}`),
  (g) => ok('policy', `{"Version":"2012-10-17","Statement":[{"Sid":"AllowVpce${g.hex(4)}","Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*","Condition":{"StringEquals":{"aws:SourceVpce":"vpce-${g.hex(17)}"}}}]}`),
  (g) => ok('policy', `{"Sid":"DenySecretsOutsideOrg","Effect":"Deny","Action":"secretsmanager:*","Resource":"*","Condition":{"StringNotEquals":{"aws:PrincipalOrgID":"o-${g.chars(LOWER + DIGITS, 10)}"}}}`),
  (_g) => ok('settings', `X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date=20240501T100000Z&X-Amz-Expires=300&X-Amz-SignedHeaders=host`),
  (g) => ok('settings', `{"Name":"/prod/db/password","Type":"SecureString","Version":${g.int(1, 9)},"LastModifiedDate":"2024-05-01T00:00:00Z"}`),
  (g) => ok('settings', `{"keyName":"deploy-${g.hex(4)}","KeyPairId":"key-${g.hex(17)}","KeyFingerprint":"${Array.from({ length: 16 }, () => g.hex(2)).join(':')}"}`),
  (g) => ok('settings', `{"userIdentity":{"type":"AssumedRole","principalId":"AROA${g.chars(UPPER + DIGITS, 17)}:alice","arn":"arn:aws:sts::${g.account()}:assumed-role/Admin/alice","accountId":"${g.account()}"}}`),
  (g) => ok('settings', `logStreamName=2024/05/01/[$LATEST]${g.hex(32)} logGroup=/aws/lambda/orders`),
  (g) => ok('settings', `Endpoint request URI: https://lambda.us-east-1.amazonaws.com/2015-03-31/functions/arn:aws:lambda:us-east-1:${g.account()}:function:orders/invocations`),
  (g) => ok('settings', `(${g.uuid()}) Endpoint request headers: {x-amzn-apigateway-api-id=${g.chars(LOWER + DIGITS, 10)}, X-Amz-Source-Arn=arn:aws:execute-api:us-east-1:${g.account()}:${g.chars(LOWER + DIGITS, 10)}/prod/GET/orders, User-Agent=AmazonAPIGateway_${g.chars(LOWER + DIGITS, 10)}}`),
  (g) => ok('settings', `{"credentials":"arn:aws:iam::${g.account()}:role/apigw-invoke","timeoutInMillis":29000,"type":"AWS_PROXY"}`),
  (_g) => ok('settings', `token_ttl=300 secretRotation=- credentials=null session_token=false password=null`),
  (g) => ok('settings', `2024-05-01T10:00:00Z pool stats: tokens=${g.int(1, 999)} keys=${g.int(1, 99)} sessions=${g.int(1, 99)} passes=${g.int(1, 9)}`),
  (g) => ok('settings', `GET /search?q=code&page=${g.int(1, 9)}&sort=-created&session=expired`),
  (g) => ok('time', `{"eventTime":"2024-05-0${g.int(1, 9)}T09:58:00Z","expiration":"2024-05-01T11:00:00Z","tokenExpiry":"2024-05-01T11:00:00Z"}`),
];

/** Fixed harmless lines (AWS error texts, settings, claims): no generated part needed. */
export const HARMLESS_FIXED: HarmlessLine[] = [
  'evidence ec2.vpc-endpoints key=vpce-0a1b2c3d4e5f60001 in vpc-0f1e2d3c4b5a69788 uses sg-0123456789abcdef0',
  "[ERROR] KeyError: 'requestContext' Traceback (most recent call last): File \"/var/task/app.py\", line 12, in handler",
  'TokenExpiredError: jwt expired at 2024-05-01T10:00:00.000Z',
  'Signature expired: 20240501T100000Z is now earlier than 20240501T100500Z (20240501T100000Z + 5 min.)',
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.',
  '{"errorMessage":"The security token included in the request is invalid."}',
  'An error occurred (ExpiredTokenException) when calling the GetCallerIdentity operation: The security token included in the request is expired',
  "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter.",
  '{"identity":{"apiKey":"","apiKeyId":"","accessKey":null,"caller":null,"cognitoAuthenticationType":null}}',
  'Invalid API Key identifier specified',
  '{"x-amz-content-sha256":"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"}',
  '{"eventName":"CreateSecret","requestParameters":{"name":"prod/db","description":"db creds","kmsKeyId":"alias/aws/secretsmanager"},"responseElements":{"aRN":"arn:aws:secretsmanager:us-east-1:111111111111:secret:prod/db-AbCdEf","name":"prod/db"}}',
  '{"userIdentity":{"sessionContext":{"sessionIssuer":{"type":"Role","principalId":"AROAEXAMPLE123456789"},"attributes":{"creationDate":"2024-05-01T09:00:00Z","mfaAuthenticated":"false"}}}}',
  '"authorizer":{"principalId":"user-123","integrationLatency":45,"claims":{"token_use":"id","auth_time":"1714557600","cognito:username":"alice"}}',
  'x-amz-id-2: Y2F0cyBhcmUgZ3JlYXQgYW5kIGRvZ3MgYXJlIGFsc28gZ3JlYXQgYnV0IGNhdHMgYXJlIGJldHRlcg==',
  '{"keyId":"arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab","encryptionContext":{"aws:lambda:FunctionArn":"arn:aws:lambda:us-east-1:111111111111:function:orders"}}',
  'Using Bearer authentication with the Cognito user pool authorizer',
  'Basic auth is disabled for this stage',
  '{"tokenValidity":{"accessToken":"hours","idToken":"hours","refreshToken":"days"}}',
  '{"AccessTokenValidity":60,"IdTokenValidity":60,"RefreshTokenValidity":30}',
  '{"PasswordPolicy":{"MinimumLength":8,"RequireUppercase":true,"TemporaryPasswordValidityDays":7}}',
  '{"ApiKeySource":"HEADER","ApiKeyRequired":true,"apiKeyValue":null}',
  '{"eventName":"ConsoleLogin","responseElements":{"ConsoleLogin":"Success"},"additionalEventData":{"MFAUsed":"Yes"}}',
  '{"requestParameters":{"roleArn":"arn:aws:iam::111111111111:role/x","roleSessionName":"i-0abc123def4567890","durationSeconds":3600}}',
  '{"eventName":"CreateStack","requestParameters":{"parameters":[{"parameterKey":"Stage","parameterValue":"prod"},{"parameterKey":"DBPasswordSecretArn","parameterValue":"arn:aws:secretsmanager:us-east-1:111111111111:secret:prod/db-AbCdEf"}]}}',
  '{"containerDefinitions":[{"name":"orders","environment":[{"name":"STAGE","value":"prod"},{"name":"LOG_LEVEL","value":"info"}],"secrets":[{"name":"DB_PASSWORD","valueFrom":"arn:aws:ssm:us-east-1:111111111111:parameter/prod/db/password"}]}]}',
  '{"Tags":[{"Key":"aws:cloudformation:stack-name","Value":"orders-prod"},{"Key":"team","Value":"payments"}]}',
  '{"tokenType":"Bearer","expiresIn":3600,"tokenSource":"Authorization"}',
  'Method request headers: {Accept=application/json, Authorization=NONE, Host=api.example.com}',
  'Key: uploads/2024/05/report.csv not found',
].map((text) => ({ family: 'fixed', text }));

/** `count` lines from each template, each with fresh values. */
export function corpus<T>(templates: ((g: Gen) => T)[], perTemplate: number, seed: number): T[] {
  const out: T[] = [];
  templates.forEach((template, i) => {
    for (let n = 0; n < perTemplate; n++) out.push(template(new Gen(seed + i * 1000 + n)));
  });
  return out;
}
