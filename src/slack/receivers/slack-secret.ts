import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

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

/** `secretsmanager:GetSecretValue` for the one secret the stack names (its role may read only that). */
export async function getSecretValue(secretArn: string): Promise<string> {
  const region = secretArn.split(':')[3];
  if (!region) throw new Error('not a secret ARN');
  const client = new SecretsManagerClient({ region });
  try {
    const { SecretString } = await client.send(new GetSecretValueCommand({ SecretId: secretArn }));
    if (!SecretString) throw new Error('the secret has no SecretString');
    return SecretString;
  } finally {
    client.destroy();
  }
}
