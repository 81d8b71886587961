import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config.js';
import { InfraConfigError, memberRoleArns, modelIds, parseInfraConfig } from '../config.js';
import { bedrockInvokeResources } from '../lib/bedrock-arns.js';

describe('infra config', () => {
  it('defaults to the app config models, table name and a Monday 09:00 UTC summary', () => {
    const app = configSchema.parse({});
    const config = parseInfraConfig({});
    expect(config.tableName).toBe(app.ledger.tableName);
    expect(modelIds(config)).toEqual([app.models.small, app.models.large]);
    expect(config.summary).toEqual({ expression: 'cron(0 9 ? * MON *)', timezone: 'UTC' });
    expect(memberRoleArns(config)).toEqual([]);
  });

  it('names the bad setting', () => {
    expect(() => parseInfraConfig({ summary: { expression: 'every monday' } })).toThrow(InfraConfigError);
    expect(() => parseInfraConfig({ summary: { expression: 'every monday' } })).toThrow(/summary\.expression/);
    expect(() => parseInfraConfig({ summary: { timezone: 'Mars/Olympus' } })).toThrow(/summary\.timezone: an IANA timezone/);
    expect(() => parseInfraConfig({ memberAccounts: [{ accountId: '12' }] })).toThrow(/memberAccounts\.0\.accountId/);
    expect(() => parseInfraConfig({ memberAccounts: [{ accountId: '222222222222', roleArn: '*' }] })).toThrow(/roleArn/);
  });

  it('derives member role ARNs from the role name unless one is given', () => {
    const config = parseInfraConfig({
      memberRoleName: 'fb-read',
      memberAccounts: [{ accountId: '222222222222' }, { accountId: '333333333333', roleArn: 'arn:aws:iam::333333333333:role/x' }],
    });
    expect(memberRoleArns(config)).toEqual(['arn:aws:iam::222222222222:role/fb-read', 'arn:aws:iam::333333333333:role/x']);
  });
});

describe('bedrock invoke resources', () => {
  const scope = { partition: 'aws', region: 'us-east-1', account: '111111111111' };

  it('grants a cross-region profile and its foundation model in any region it routes to', () => {
    expect(bedrockInvokeResources('global.anthropic.claude-haiku-4-5-20251001-v1:0', scope)).toEqual([
      'arn:aws:bedrock:us-east-1:111111111111:inference-profile/global.anthropic.claude-haiku-4-5-20251001-v1:0',
      'arn:aws:bedrock:*::foundation-model/anthropic.claude-haiku-4-5-20251001-v1:0',
    ]);
  });

  it('grants a plain model id in the calling region only, and a full ARN as given', () => {
    expect(bedrockInvokeResources('amazon.nova-micro-v1:0', scope)).toEqual(['arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-micro-v1:0']);
    const arn = 'arn:aws:bedrock:us-east-1:111111111111:application-inference-profile/abc123';
    expect(bedrockInvokeResources(arn, scope)).toEqual([arn]);
  });
});

describe('infra/config.example.json', () => {
  it('is a valid config', () => {
    const raw: unknown = JSON.parse(readFileSync(new URL('../config.example.json', import.meta.url), 'utf8'));
    const config = parseInfraConfig(raw);
    expect(memberRoleArns(config)).toEqual(['arn:aws:iam::222222222222:role/firebreak-read']);
  });
});

describe('infra config: approvers', () => {
  it('names a malformed approver id', () => {
    expect(() => parseInfraConfig({ approvers: ['alice'] })).toThrow(/approvers\.0: a Slack user id/);
  });
});
