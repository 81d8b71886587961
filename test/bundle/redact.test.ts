import { describe, expect, it } from 'vitest';
import { countMarkers, redact, redactLine } from '../../src/bundle/redact.js';

// Obviously fake values in the shapes real secrets take. Built by concatenation where a whole
// literal could trip secret scanners on the repository itself.
const AKID = 'AKIA' + 'IOSFODNN7EXAMPLE';
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCY' + 'EXAMPLEKEY';
const JWT =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9' + '.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIn0' + '.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c';
const PEM = ['-----BEGIN RSA PRIVATE KEY-----', 'MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun', 'VTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u+qKhbwKfBstIs+bMY2Zkp18gnTxK', '-----END RSA PRIVATE KEY-----'].join('\n');

/** [description, text, the secret that must not survive, expected kind] */
const SHAPES: [string, string, string, string][] = [
  ['access key id', `credentials ${AKID} used`, AKID, 'aws_access_key_id'],
  ['temporary access key id', 'key ASIA' + 'Y34FZKBOKMUTVV7A in header', 'ASIA' + 'Y34FZKBOKMUTVV7A', 'aws_access_key_id'],
  ['secret in env form', `AWS_SECRET_ACCESS_KEY=${SECRET}`, SECRET, 'aws_secret_access_key'],
  ['secret in JSON', `{"SecretAccessKey": "${SECRET}"}`, SECRET, 'aws_secret_access_key'],
  ['secret in ini form', `aws_secret_access_key = ${SECRET}`, SECRET, 'aws_secret_access_key'],
  ['secret after key id (csv)', `${AKID},${SECRET}`, SECRET, 'aws_secret_access_key'],
  ['secret near the word secret', `the secret is ${SECRET} ok`, SECRET, 'aws_secret_access_key'],
  ['session token (prefix)', 'token IQoJb3JpZ2luX2VjEJr' + '//////////wEaCXVzLWVhc3QtMSJHMEUCIQ', 'IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQ', 'aws_session_token'],
  ['session token (header)', 'X-Amz-Security-Token: ' + 'AgoJb3JpZ2luX2VjEFAaDmFwLXNvdXRoZWFzdC0y', 'AgoJb3JpZ2luX2VjEFAaDmFwLXNvdXRoZWFzdC0y', 'aws_session_token'],
  ['bearer header', `Authorization: Bearer abc123def456ghi789`, 'abc123def456ghi789', 'authorization'],
  ['bearer JWT in header dump', `Method request headers: {Authorization=Bearer ${JWT}, Host=api.example.com}`, JWT.slice(40), 'jwt'],
  ['basic auth header', 'authorization: Basic dXNlcjpodW50ZXIy', 'dXNlcjpodW50ZXIy', 'authorization'],
  ['sigv4 authorization', `Authorization=AWS4-HMAC-SHA256 Credential=${AKID}/20240501/us-east-1/execute-api/aws4_request, SignedHeaders=host, Signature=${'ab'.repeat(32)}`, 'ab'.repeat(32), 'aws_access_key_id'],
  ['standalone bearer', 'curl -H "x: Bearer sk_this_is_a_token_value"', 'sk_this_is_a_token_value', 'bearer_token'],
  ['x-api-key header', 'x-api-key: Fq9zT2kLmN8pQ4rS6tU', 'Fq9zT2kLmN8pQ4rS6tU', 'api_key'],
  ['api key in query string', 'GET /v1/items?api_key=9f8e7d6c5b4a3210&limit=5', '9f8e7d6c5b4a3210', 'api_key'],
  ['JWT alone', `token payload ${JWT}`, JWT, 'jwt'],
  ['password in URL', 'https://admin:hunter2pass@internal.example.com/path', 'hunter2pass', 'url_password'],
  ['postgres connection string', 'postgres://app:S3cr3tPw@db.internal:5432/orders', 'S3cr3tPw', 'url_password'],
  ['mongodb+srv connection string', 'mongodb+srv://svc:m0ng0Pw@cluster0.example.net/db', 'm0ng0Pw', 'url_password'],
  ['redis url with empty user', 'redis://:r3disPw@cache:6379', 'r3disPw', 'url_password'],
  ['slack bot token', 'xoxb-' + '123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx', '1234567890123-AbCdEfGhIjKlMnOpQrStUvWx', 'slack_token'],
  ['slack user token', 'xoxp-' + '1234567890-1234567890-1234567890-abcdef0123456789', '1234567890-1234567890-abcdef0123456789', 'slack_token'],
  ['slack app token', 'xapp-' + '1-A0123456789-1234567890123-abcdef0123456789abcdef', 'A0123456789-1234567890123', 'slack_token'],
  ['slack legacy token', 'xoxa-' + '2-123456789012-abcdefghijkl', 'abcdefghijkl', 'slack_token'],
  ['slack webhook', 'https://hooks.slack.com/services/' + 'T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX', 'T00000000/B00000000', 'slack_webhook'],
  ['PEM private key', `key:\n${PEM}\nend`, 'MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun', 'private_key'],
  ['OpenSSH private key', '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ\n-----END OPENSSH PRIVATE KEY-----', 'b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ', 'private_key'],
  ['cookie header', 'Cookie: session=9f86d081884c7d659a2feaa0; theme=dark', '9f86d081884c7d659a2feaa0', 'cookie'],
  ['set-cookie in header dump', '{Set-Cookie=sid=s%3Aabcdef123456; Path=/; HttpOnly, Content-Type=text/html}', 'abcdef123456', 'cookie'],
  ['password pair', 'db password=correct-horse-battery', 'correct-horse-battery', 'password'],
  ['password in JSON', '{"user":"bob","password":"Tr0ub4dor&3"}', 'Tr0ub4dor', 'password'],
  ['client secret', 'client_secret=0a1b2c3d4e5f6a7b8c9d', '0a1b2c3d4e5f6a7b8c9d', 'api_key'],
  ['generic token pair', 'refresh token: auth_token=q1w2e3r4t5y6u7i8', 'q1w2e3r4t5y6u7i8', 'secret_value'],
  ['github classic token', 'ghp_' + 'aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789', 'aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789', 'github_token'],
  ['github fine-grained token', 'github_pat_' + '11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz', '11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz', 'github_token'],
  ['stripe secret key', 'sk_live_' + '4eC39HqLyjWDarjtT1zdp7dc', '4eC39HqLyjWDarjtT1zdp7dc', 'stripe_key'],
  ['stripe test key', 'rk_test_' + '51H8abcdefghijklmnop', '51H8abcdefghijklmnop', 'stripe_key'],
  ['google api key', 'AIza' + 'SyA1234567890abcdefghijklmnopqrstuv', 'SyA1234567890abcdefghijklmnopqrstuv', 'google_api_key'],
  ['anthropic key', 'sk-ant-' + 'api03-abcdefghijklmnopqrstuvwxyz012345', 'api03-abcdefghijklmnopqrstuvwxyz012345', 'llm_api_key'],
  ['npm token', 'npm_' + 'abcdefghijklmnopqrstuvwxyz0123456789', 'abcdefghijklmnopqrstuvwxyz0123456789', 'npm_token'],
  ['gitlab token', 'glpat-' + 'abcdefghij0123456789', 'abcdefghij0123456789', 'gitlab_token'],
  ['azure storage key', 'DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=' + 'abcdEFGHijklMNOPqrstUVWX0123456789+/==;', 'abcdEFGHijklMNOPqrstUVWX0123456789', 'azure_key'],
  ['URL-encoded session token in a presigned URL', 'https://b.s3.amazonaws.com/k?X-Amz-Security-Token=' + 'IQoJb3JpZ2luX2VjEJr%2F%2F%2F%2F%2FwEaCXVzLWVhc3QtMSJHMEUCIQDabcdefghij' + '&X-Amz-Date=20240501T000000Z', 'wEaCXVzLWVhc3QtMSJHMEUCIQDabcdefghij', 'aws_session_token'],
  ['URL-encoded session token, no known prefix', 'x-amz-security-token=AgoJb3JpZ2lu%2BabcdefghijklmnopQRSTUVWX%3D%3D&a=1', 'abcdefghijklmnopQRSTUVWX', 'aws_session_token'],
  ['URL-encoded secret key', 'aws_secret_access_key=wJalrXUtnFEMI%2FK7MDENG%2FbPxRfiCY' + 'EXAMPLEKEY&x=1', 'bPxRfiCYEXAMPLEKEY', 'aws_secret_access_key'],
  ['pass= in a query string', 'GET /login?user=bob&pass=hunter2pw&next=/', 'hunter2pw', 'password'],
  ['passwd= in a query string', 'GET /login?user=bob&passwd=s3cr3tpw&next=/', 's3cr3tpw', 'password'],
  ['db_pass in config', 'db_pass: Xy7-pw-2024', 'Xy7-pw-2024', 'password'],
  ['OAuth authorization code', 'GET /callback?code=SplxlOBeZQQYbYS6WxSbIA&state=xyz', 'SplxlOBeZQQYbYS6WxSbIA', 'oauth_code'],
  ['OAuth client_secret in a query string', 'POST /token?grant_type=authorization_code&client_id=abc&client_secret=7Fjfp0ZBr1KtDRbnfVdmIw&x=1', '7Fjfp0ZBr1KtDRbnfVdmIw', 'api_key'],
  ['Azure SAS signature', 'https://acct.blob.core.windows.net/c/b?sv=2022-11-02&ss=b&srt=o&sp=r&se=2024-05-02&sig=' + 'abcDEF123%2Bxyz%3D456789ghiJKL', 'abcDEF123%2Bxyz%3D456789ghiJKL', 'azure_sas'],
  ['capitalised password label is still a secret', 'Database Password: Hunter2Pw', 'Hunter2Pw', 'password'],
  ['presigned URL signature', `https://bucket.s3.amazonaws.com/k?X-Amz-Credential=${AKID}%2F20240501&X-Amz-Signature=${'0f'.repeat(32)}`, '0f'.repeat(32), 'aws_signature'],
];

describe('redact: secret shapes', () => {
  it('covers at least 30 shapes', () => {
    expect(SHAPES.length).toBeGreaterThanOrEqual(30);
  });

  it.each(SHAPES)('%s', (_name, text, secret, kind) => {
    const { text: out, counts } = redact(text);
    expect(out).not.toContain(secret);
    expect(counts[kind], `counts: ${JSON.stringify(counts)} → ${out}`).toBeGreaterThanOrEqual(1);
    expect(countMarkers(out)).toEqual(counts);
  });

  it.each(SHAPES)('redactLine pre-check lets no shape through: %s', (_name, text) => {
    expect(redactLine(text)).toBe(redact(text).text);
  });

  it('redacts every shape when they come together, and counts each once', () => {
    const all = SHAPES.map(([, text]) => text).join('\n');
    const { text: out, counts } = redact(all);
    for (const [, , secret] of SHAPES) expect(out).not.toContain(secret);
    expect(countMarkers(out)).toEqual(counts);
    // Redacting again finds nothing new.
    expect(redact(out).counts).toEqual({});
  });
});

const ORDINARY = [
  '(fbcaf9e5-d535-40a1-891c-7b70118cf7e8) Execution failed due to configuration error: Invalid permissions on Lambda function',
  '(PDS1PEC4oAMFpyA=) Extended Request Id: PDS1PEC4oAMFpyA=',
  'Endpoint request URI: https://lambda.us-east-1.amazonaws.com/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:orders/invocations',
  'Endpoint request headers: {x-amzn-apigateway-api-id=a1b2c3d4e5, X-Amz-Source-Arn=arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5/prod/GET/orders, User-Agent=AmazonAPIGateway_a1b2c3d4e5}',
  "API Key **** not authorized because method 'GET /' requires API Key and API Key is not associated with a Usage Plan for API Stage a1b2c3d4e5/prod",
  'Method completed with status: 502',
  '{"requestId":"c6af9ac6-7b61-11e6-9a41-93e8deadbeef","ip":"203.0.113.7","requestTime":"01/May/2024:10:00:00 +0000","httpMethod":"GET","resourcePath":"/orders/{id}","status":"403","responseLength":"42","vpceId":"vpce-0abc1234def567890"}',
  'START RequestId: 8f5a1b2c-3d4e-5f60-7182-93a4b5c6d7e8 Version: $LATEST',
  'REPORT RequestId: 8f5a1b2c-3d4e-5f60-7182-93a4b5c6d7e8 Duration: 3003.12 ms Billed Duration: 3000 ms Memory Size: 128 MB Max Memory Used: 80 MB',
  '2024-05-01T10:00:03.120Z 8f5a1b2c-3d4e-5f60-7182-93a4b5c6d7e8 Task timed out after 3.00 seconds',
  '{"eventVersion":"1.08","userIdentity":{"type":"AssumedRole","principalId":"AROAEXAMPLEID123456:alice","arn":"arn:aws:sts::123456789012:assumed-role/Admin/alice","accountId":"123456789012"},"eventTime":"2024-05-01T09:58:00Z","eventSource":"lambda.amazonaws.com","eventName":"RemovePermission20150331v2","requestParameters":{"functionName":"orders","statementId":"apigw-invoke"}}',
  '{"eventName":"GetSecretValue","requestParameters":{"secretId":"prod/db"},"errorCode":"AccessDenied","errorMessage":"User: arn:aws:sts::123456789012:assumed-role/firebreak/bot is not authorized to perform: secretsmanager:GetSecretValue with an explicit deny in a service control policy"}',
  '2 123456789012 eni-0123456789abcdef0 10.0.2.7 10.0.1.15 55555 443 6 1 40 1714557600 1714557660 REJECT OK',
  'security group sg-0123456789abcdef0 vpc=vpc-0123456789abcdef0 subnet-0a1b2c3d4e5f60718 https443=NONE',
  'authorizer au1 type=TOKEN identitySource=method.request.header.Authorization ttl=300',
  'X-Amzn-Trace-Id=Root=1-5759e988-bd862e3fe1be46a994272793',
  'deployment dep123 created 2024-05-01T09:59:00Z; sha 3b18e512dba79e4c8300dd08aeb37f8e728b8dad',
  'tokens collected 212,596 vs sent 11,846; password policy: enabled; tokenType=Bearer',
  // API Gateway's 403 for an unknown route: prose, the decisive evidence of R1.
  'Missing Authentication Token: GET /user',
  '120 × Missing Authentication Token: GET MISSING_AUTHENTICATION_TOKEN',
  'Missing Authentication Token: /orders/123',
  'tokenSource=header, tokenValidity=3600',
  'AuthorizationType: AWS_IAM, authorization=NONE',
  'method GET /orders authorizationType=COGNITO_USER_POOLS authorization=CUSTOM apiKeySource=HEADER',
  'token_ttl=300 secretRotation=- credentials=null session_token=false',
  'passthroughBehavior=WHEN_NO_MATCH bypass=true compass: north',
  'GET /search?q=code&page=2&sort=-created',
  // A WebSocket connection id (base64 with its padding) before the error: not a `pw=` key.
  'ERROR\tpostToConnection hdPwBx4ehPxbNrR= AccessDeniedException: User: arn:aws:sts::111111111111:assumed-role/chat-backend-role/chat-sendmessage is not authorized',
  'postToConnection KxPWa9Qm2tokZ3c= GoneException',
  // An HTTP API's request id (base64) whose last characters before the padding read `PW`.
  '{"requestId":"Sh4mtPpXKdV/iPW=","ip":"198.51.100.172","httpMethod":"GET","status":"404"}',
  '{"requestId":"R8qiH8+PwFgZpwC=","ip":"198.51.100.126","httpMethod":"OPTIONS","status":"401"}',
  '{"requestId":"VEOUkvzFbnyPwYU=","ip":"198.51.100.18","httpMethod":"GET","status":"200"}',
  // WebSocket ids are base64 ending in `=`: `…epw…=` inside a JSON string is no `pw=` pair.
  '{"requestId":"EzQCWgyhLHkGs2z=","eventType":"DISCONNECT","connectionId":"T6PCLQepwAOZ3lT=","connectedAt":"1714562001505"}',
  '{"requestId":"Wfyc/pwVNdGuBSb=","eventType":"MESSAGE","connectionId":"8bkv7MHr25mWmgV="}',
  '2024-05-01T10:25:59.786Z\t9b6445d4-7eb7-43b7-ab46-890e6c60abd1\tERROR\tpostToConnection hdPwBx4ehPxbNrR= AccessDeniedException: User: arn:aws:sts::111111111111:assumed-role/chat-backend-role/chat-sendmessage is not authorized',
];

describe('redact: ordinary logs are left alone', () => {
  it.each(ORDINARY)('%s', (line) => {
    const { text, counts } = redact(line);
    expect(counts).toEqual({});
    expect(text).toBe(line);
    expect(redactLine(line)).toBe(line);
  });
});

describe('redact: account ids and IPs are evidence', () => {
  const line = 'arn:aws:iam::123456789012:role/x from 10.0.1.15 and 2001:db8:0:0:0:0:0:1';

  it('keeps them by default', () => {
    expect(redact(line).text).toBe(line);
  });

  it('masks account ids when asked', () => {
    const { text, counts } = redact(line, { maskAccountIds: true });
    expect(text).toBe('arn:aws:iam::[REDACTED:account_id]:role/x from 10.0.1.15 and 2001:db8:0:0:0:0:0:1');
    expect(counts).toEqual({ account_id: 1 });
  });

  it('masks IPv4 and IPv6 addresses when asked', () => {
    const { text, counts } = redact(line, { maskIps: true });
    expect(text).not.toContain('10.0.1.15');
    expect(text).not.toContain('2001:db8');
    expect(counts).toEqual({ ip: 2 });
  });
});

describe('vendor hints', () => {
  it('finds every hint of every vendor pattern, overlapping ones too, and none that is absent', async () => {
    const { VENDOR_PATTERNS } = await import('../../src/bundle/secrets/vendors.js');
    const { HintIndex } = await import('../../src/bundle/secrets/hints.js');
    const hints = [...new Set(VENDOR_PATTERNS.flatMap((v) => v.hints ?? []))];
    expect(hints.length).toBeGreaterThan(60);
    const index = new HintIndex(hints);
    for (const [id, hint] of hints.entries()) expect(index.find(`xx ${hint} yy`), hint).toContain(id);
    const overlapping = new HintIndex(['xox', 'xoxe-', 'oxe', 'e-x']);
    expect(overlapping.find('a xoxe-x b xoxe-').sort()).toEqual([0, 1, 2, 3]);
    expect(overlapping.find('xo xe ox é')).toEqual([]);
  });
});
