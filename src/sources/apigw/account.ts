import { GetAccountCommand } from '@aws-sdk/client-api-gateway';
import type { ApiAccountEvidence } from '../../core/evidence.js';
import { defineSource } from '../types.js';

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
});
