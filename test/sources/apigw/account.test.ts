import { describe, expect, it } from 'vitest';
import { apiAccountSource } from '../../../src/sources/apigw/account.js';
import { rowOf, runOnScenario } from '../../support/run-source.js';
import { ACCOUNT, itReportsAwsErrors, scenario } from '../fixture.js';

describe('apigw.account', () => {
  it('reads the CloudWatch role and the account throttle', async () => {
    const result = await runOnScenario(apiAccountSource, scenario());
    const row = rowOf(result, 'apigw.account');
    expect(row.status).toBe('ok');
    expect(row.calls).toEqual(['apigateway:GetAccount']);
    expect(row.reason).toContain('CloudWatch Logs role set');
    expect(result.evidence['apigw.account']).toEqual({
      cloudwatchRoleArn: `arn:aws:iam::${ACCOUNT}:role/apigw-logs`,
      throttleSettings: { burstLimit: 5000, rateLimit: 10000 },
    });
  });

  it('stays ok without a CloudWatch role, but says logs cannot be written', async () => {
    const result = await runOnScenario(apiAccountSource, scenario({ apigateway: { account: {} } }));
    const row = rowOf(result, 'apigw.account');
    expect(row.status).toBe('ok');
    expect(row.reason).toMatch(/no CloudWatch Logs role set for us-east-1/);
    expect(result.evidence['apigw.account']?.cloudwatchRoleArn).toBeUndefined();
  });

  itReportsAwsErrors(apiAccountSource, 'apigateway:GetAccount');
});
