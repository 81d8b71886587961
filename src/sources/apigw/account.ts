import { GetAccountCommand } from '@aws-sdk/client-api-gateway';
import type { ApiAccountEvidence } from '../../core/evidence.js';
import type { Describer } from '../../core/describe.js';
import { defineSource } from '../types.js';
import { recordAnswers } from '../record.js';
import { writeApigwAnswer } from './record.js';

const describeAccount: Describer<'apigw.account'> = {
  order: 40,
  lines: (account, kit) => [
    `apigw account ${kit.pairs({
      cloudwatchRoleArn: account.cloudwatchRoleArn ?? 'none',
      burstLimit: account.throttleSettings?.burstLimit,
      rateLimit: account.throttleSettings?.rateLimit,
    })}`,
  ],
};

export const apiAccountSource = defineSource({
  id: 'apigw.account',
  title: 'API Gateway account settings',
  dependsOn: [],
  calls: { chain: 1 },
  async run(ctx) {
    const account = await ctx.aws.apigateway.send(new GetAccountCommand({}));
    const evidence: ApiAccountEvidence = {};
    if (account.cloudwatchRoleArn) evidence.cloudwatchRoleArn = account.cloudwatchRoleArn;
    if (account.throttleSettings) {
      const { burstLimit, rateLimit } = account.throttleSettings;
      evidence.throttleSettings = {
        ...(burstLimit === undefined ? {} : { burstLimit }),
        ...(rateLimit === undefined ? {} : { rateLimit }),
      };
    }
    const throttle = evidence.throttleSettings
      ? `account throttle ${evidence.throttleSettings.rateLimit ?? '?'} rps, burst ${evidence.throttleSettings.burstLimit ?? '?'}`
      : 'no account throttle reported';
    // Still `ok`: the settings were read. logs.execution turns a missing role into not_configured.
    const role = evidence.cloudwatchRoleArn
      ? 'CloudWatch Logs role set'
      : `no CloudWatch Logs role set for ${ctx.target.region}: API Gateway cannot write execution or access logs`;
    return { status: 'ok', evidence, count: 1, reason: `${role}; ${throttle}` };
  },
  describe: describeAccount,
  record: recordAnswers(writeApigwAnswer),
});
