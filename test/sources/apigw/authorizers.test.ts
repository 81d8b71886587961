import { describe, expect, it } from 'vitest';
import { authorizersSource } from '../../../src/sources/apigw/authorizers.js';
import { restApiSource } from '../../../src/sources/apigw/rest-api.js';
import { rowOf, runOnScenario } from '../../support/run-source.js';
import { healthyApi, itReportsAwsErrors, scenario } from '../fixture.js';

const before = [restApiSource];
const AUTH_ARN = 'arn:aws:lambda:us-east-1:222222222222:function:jwt-auth';
const AUTH_URI = `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${AUTH_ARN}/invocations`;

describe('apigw.authorizers', () => {
  it('lists authorizers with the Lambda ARN parsed from the authorizer URI', async () => {
    const api = healthyApi({
      authorizers: [
        { id: 'au1', name: 'jwt', type: 'TOKEN', authorizerUri: AUTH_URI, identitySource: 'method.request.header.Authorization', authorizerResultTtlInSeconds: 300 },
        { id: 'au2', name: 'pool', type: 'COGNITO_USER_POOLS', providerARNs: ['arn:aws:cognito-idp:us-east-1:111111111111:userpool/us-east-1_abc'] },
      ],
    });
    const result = await runOnScenario(authorizersSource, scenario({ api }), { before });
    const row = rowOf(result, 'apigw.authorizers');
    expect(row.status).toBe('ok');
    expect(row.count).toBe(2);
    expect(row.reason).toContain('cached 300s');
    expect(result.evidence['apigw.authorizers']?.[0]).toEqual({
      id: 'au1',
      name: 'jwt',
      type: 'TOKEN',
      authorizerUri: AUTH_URI,
      lambdaArn: AUTH_ARN,
      identitySource: 'method.request.header.Authorization',
      authorizerResultTtlInSeconds: 300,
    });
    expect(result.evidence['apigw.authorizers']?.[1]?.providerARNs).toHaveLength(1);
  });

  it('is empty when the API has no authorizers', async () => {
    const result = await runOnScenario(authorizersSource, scenario(), { before });
    const row = rowOf(result, 'apigw.authorizers');
    expect(row.status).toBe('empty');
    expect(result.evidence['apigw.authorizers']).toEqual([]);
  });

  itReportsAwsErrors(authorizersSource, 'apigateway:GetAuthorizers', { before });
});
