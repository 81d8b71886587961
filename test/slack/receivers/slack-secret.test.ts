import { describe, expect, it } from 'vitest';
import { loadSlackSecretIntoEnv } from '../../../src/slack/receivers/slack-secret.js';

const ARN = 'arn:aws:secretsmanager:us-east-1:111111111111:secret:firebreak/slack-AbCdEf';

describe('Slack secret from Secrets Manager', () => {
  it('fills the Slack tokens from the JSON secret, once, without overriding what is set', async () => {
    const env: NodeJS.ProcessEnv = { FIREBREAK_SLACK_SECRET_ARN: ARN, SLACK_SIGNING_SECRET: 'already-set' };
    const asked: string[] = [];
    await loadSlackSecretIntoEnv(env, async (arn) => {
      asked.push(arn);
      return JSON.stringify({ SLACK_BOT_TOKEN: 'xoxb-fake-example', SLACK_SIGNING_SECRET: 'from-secret', OTHER: 'ignored' });
    });
    expect(asked).toEqual([ARN]);
    expect(env.SLACK_BOT_TOKEN).toBe('xoxb-fake-example');
    expect(env.SLACK_SIGNING_SECRET).toBe('already-set');
    expect(env.OTHER).toBeUndefined();
    // Both set now: a second call reads nothing.
    await loadSlackSecretIntoEnv(env, async () => {
      throw new Error('should not be called');
    });
  });

  it('does nothing without a secret ARN, and names the secret when it cannot be read', async () => {
    await loadSlackSecretIntoEnv({}, async () => {
      throw new Error('should not be called');
    });
    await expect(loadSlackSecretIntoEnv({ FIREBREAK_SLACK_SECRET_ARN: ARN }, async () => 'not json')).rejects.toThrow(`cannot read the Slack secret ${ARN}`);
  });
});
