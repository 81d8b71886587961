import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { SignatureV4 } from '@smithy/signature-v4';

/**
 * On AWS the Slack tokens live in Secrets Manager (a JSON secret `{SLACK_BOT_TOKEN,
 * SLACK_SIGNING_SECRET}` named by FIREBREAK_SLACK_SECRET_ARN), read once per cold start into the
 * environment before the configuration is loaded, so they never sit in the function's settings.
 */
export type SecretFetcher = (secretArn: string) => Promise<string>;

const SLACK_KEYS = ['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET', 'SLACK_APP_TOKEN'] as const;

export async function loadSlackSecretIntoEnv(env: NodeJS.ProcessEnv = process.env, fetchSecret: SecretFetcher = getSecretValue): Promise<void> {
  const arn = env.FIREBREAK_SLACK_SECRET_ARN;
  if (!arn || (env.SLACK_BOT_TOKEN && env.SLACK_SIGNING_SECRET)) return;
  let values: Record<string, unknown>;
  try {
    values = JSON.parse(await fetchSecret(arn)) as Record<string, unknown>;
  } catch (err) {
    throw new Error(`cannot read the Slack secret ${arn}: ${(err as Error).message}`, { cause: err });
  }
  for (const key of SLACK_KEYS) {
    const value = values[key];
    if (typeof value === 'string' && value && !env[key]) env[key] = value;
  }
}

function toBytes(data: string | ArrayBuffer | ArrayBufferView): string | Uint8Array {
  if (typeof data === 'string') return data;
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/** sha256 and HMAC-sha256 in the shape SignatureV4 expects, from node:crypto. */
class NodeSha256 {
  private readonly hash: Hash | Hmac;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', toBytes(secret));
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.hash.update(toBytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
}

/**
 * `secretsmanager:GetSecretValue` as one SigV4-signed HTTPS call. The package has no Secrets
 * Manager client (adding @aws-sdk/client-secrets-manager would replace this function); the call
 * is the JSON 1.1 protocol the SDK would make.
 */
export async function getSecretValue(secretArn: string): Promise<string> {
  const region = secretArn.split(':')[3];
  if (!region) throw new Error('not a secret ARN');
  const hostname = `secretsmanager.${region}.amazonaws.com`;
  const body = JSON.stringify({ SecretId: secretArn });
  const signer = new SignatureV4({ service: 'secretsmanager', region, credentials: fromNodeProviderChain(), sha256: NodeSha256 });
  const signed = await signer.sign({
    method: 'POST',
    protocol: 'https:',
    hostname,
    path: '/',
    query: {},
    headers: { host: hostname, 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'secretsmanager.GetSecretValue' },
    body,
  });
  // fetch sets Host itself (to the same value that was signed).
  const { host: _host, ...headers } = signed.headers;
  const response = await fetch(`https://${hostname}/`, { method: 'POST', headers, body });
  const payload = (await response.json()) as { SecretString?: string; message?: string; Message?: string; __type?: string };
  if (!response.ok) throw new Error(`${payload.__type ?? response.status}: ${payload.message ?? payload.Message ?? 'GetSecretValue failed'}`);
  if (!payload.SecretString) throw new Error('the secret has no SecretString');
  return payload.SecretString;
}
