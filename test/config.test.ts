import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';

describe('config', () => {
  it('has sensible defaults with an empty environment', () => {
    const config = loadConfig({});
    expect(config.aws.region).toBe('us-east-1');
    expect(config.bundle.budget).toBe('medium');
    expect(config.quota.timezone).toBe('UTC');
    expect(config.ledger.embedded).toBe(true);
    expect(config.models.enabled).toBe(false);
  });

  it('reads a YAML file and lets the environment override it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'firebreak-config-'));
    const file = join(dir, 'firebreak.yaml');
    writeFileSync(file, 'aws:\n  region: eu-west-1\n  accounts:\n    - alias: payments\n      accountId: "222222222222"\n      roleArn: arn:aws:iam::222222222222:role/firebreak-readonly\nquota:\n  dailyTokens: 1000\n');
    const config = loadConfig({ FIREBREAK_CONFIG: file, FIREBREAK_DAILY_TOKENS: '5000', FIREBREAK_APPROVERS: 'U1, U2' });
    expect(config.aws.region).toBe('eu-west-1');
    expect(config.aws.accounts[0]).toMatchObject({ alias: 'payments', accountId: '222222222222' });
    expect(config.quota.dailyTokens).toBe(5000);
    expect(config.slack.approvers).toEqual(['U1', 'U2']);
  });

  it('names the setting and its variable when a value is bad', () => {
    expect(() => loadConfig({ FIREBREAK_BUDGET: 'huge' })).toThrow(ConfigError);
    expect(() => loadConfig({ FIREBREAK_BUDGET: 'huge' })).toThrow(/bundle\.budget \(FIREBREAK_BUDGET\)/);
    expect(() => loadConfig({ FIREBREAK_SUMMARY_TIME: '9am' })).toThrow(/slack\.summary\.time .*HH:MM/);
  });

  it('reports an unreadable config file by name', () => {
    expect(() => loadConfig({ FIREBREAK_CONFIG: join(tmpdir(), 'does-not-exist-firebreak.yaml') })).toThrow(/FIREBREAK_CONFIG .*does-not-exist/);
  });
});

describe('config: accounts from the environment', () => {
  it('parses FIREBREAK_ACCOUNTS as JSON and names it when it is not', () => {
    const config = loadConfig({ FIREBREAK_ACCOUNTS: '[{"alias":"payments","accountId":"222222222222","roleArn":"arn:aws:iam::222222222222:role/r"}]' });
    expect(config.aws.accounts).toEqual([{ alias: 'payments', accountId: '222222222222', roleArn: 'arn:aws:iam::222222222222:role/r' }]);
    expect(() => loadConfig({ FIREBREAK_ACCOUNTS: 'payments=2222' })).toThrow(/aws\.accounts \(FIREBREAK_ACCOUNTS\)/);
  });
});
