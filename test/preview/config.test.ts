import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { previewConfig, previewEnv } from '../../src/preview/server.js';

const wiring = { apiUrl: 'http://127.0.0.1:1234/api/', signingSecret: 'per-run-secret', dynamoEndpoint: 'http://127.0.0.1:5678' };

describe('the preview never uses a real workspace', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it('ignores SLACK_* and PORT from the environment', () => {
    const env = previewEnv({ SLACK_BOT_TOKEN: 'xoxb-real', SLACK_APP_TOKEN: 'xapp-real', SLACK_SIGNING_SECRET: 'real', SLACK_API_URL: 'https://slack.com/api/', PORT: '80', FIREBREAK_DAILY_TOKENS: '5000' });
    expect(Object.keys(env)).toEqual(['FIREBREAK_DAILY_TOKENS']);
  });

  it('owns every Slack setting and the table, whatever the config file says; keeps the rest', async () => {
    dir = await mkdtemp(join(tmpdir(), 'firebreak-preview-config-'));
    const file = join(dir, 'config.yaml');
    await writeFile(file, 'slack:\n  botToken: xoxb-file\n  appToken: xapp-file\n  slackApiUrl: https://slack.com/api/\n  allowedChannels: [C0PROD]\nledger:\n  embedded: false\n  tableName: prod-table\nquota:\n  dailyTokens: 5000\n');
    const base = loadConfig(previewEnv({ FIREBREAK_CONFIG: file, SLACK_BOT_TOKEN: 'xoxb-real' }));
    const config = previewConfig(base, 'long-night', wiring);
    expect(config.slack.botToken).toMatch(/^xoxb-preview-long-night-/);
    expect(config.slack.appToken).toBeUndefined();
    expect(config.slack.signingSecret).toBe('per-run-secret');
    expect(config.slack.slackApiUrl).toBe(wiring.apiUrl);
    expect(config.slack.allowedChannels).toEqual([]);
    expect(config.ledger).toMatchObject({ endpoint: wiring.dynamoEndpoint, tableName: 'firebreak-preview' });
    expect(config.scenario).toBe('long-night');
    expect(config.quota.dailyTokens).toBe(5000);
  });
});
