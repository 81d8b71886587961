import { describe, expect, it } from 'vitest';
import { lambdaArnFromUri } from '../../../src/sources/apigw/lambda-uri.js';
import { resourcesSource } from '../../../src/sources/apigw/resources.js';
import { restApiSource } from '../../../src/sources/apigw/rest-api.js';
import { rowOf, runOnScenario } from '../../support/run-source.js';
import { healthyApi, itReportsAwsErrors, LAMBDA_ARN, LAMBDA_URI, scenario } from '../fixture.js';

const before = [restApiSource];

function manyResources(count: number) {
  return Array.from({ length: count }, (_, i) => ({
    id: `r${i}`,
    path: `/items${i}`,
    resourceMethods: { GET: { httpMethod: 'GET', authorizationType: 'NONE', methodIntegration: { type: 'MOCK' } } },
  }));
}

describe('apigw.resources', () => {
  it('lists one method per resource method with its integration and Lambda ARN', async () => {
    const api = healthyApi({
      resources: [
        { id: 'root', path: '/' },
        {
          id: 'r1',
          path: '/orders',
          resourceMethods: {
            GET: {
              httpMethod: 'GET',
              authorizationType: 'CUSTOM',
              authorizerId: 'au1',
              apiKeyRequired: true,
              methodIntegration: { type: 'AWS_PROXY', uri: LAMBDA_URI, timeoutInMillis: 29000, credentials: 'arn:aws:iam::111111111111:role/invoke' },
            },
            POST: { httpMethod: 'POST', authorizationType: 'AWS_IAM', methodIntegration: { type: 'HTTP_PROXY', uri: 'https://backend.example.com/orders', connectionType: 'INTERNET' } },
          },
        },
      ],
    });
    const result = await runOnScenario(resourcesSource, scenario({ api }), { before });
    const row = rowOf(result, 'apigw.resources');
    expect(row.status).toBe('ok');
    expect(row.count).toBe(2);
    expect(row.reason).toContain('1 Lambda function(s)');
    const methods = result.evidence['apigw.resources'] ?? [];
    const get = methods.find((m) => m.httpMethod === 'GET');
    expect(get).toEqual({
      resourceId: 'r1',
      path: '/orders',
      httpMethod: 'GET',
      authorizationType: 'CUSTOM',
      authorizerId: 'au1',
      apiKeyRequired: true,
      integration: { type: 'AWS_PROXY', uri: LAMBDA_URI, timeoutInMillis: 29000, credentials: 'arn:aws:iam::111111111111:role/invoke', lambdaArn: LAMBDA_ARN },
    });
    const post = methods.find((m) => m.httpMethod === 'POST');
    expect(post?.integration?.lambdaArn).toBeUndefined();
    expect(post?.apiKeyRequired).toBe(false);
  });

  it('reads every page when the API pages its resources', async () => {
    const api = healthyApi({ resources: manyResources(7) });
    const result = await runOnScenario(resourcesSource, scenario({ api, pageSize: 2 }), { before });
    const row = rowOf(result, 'apigw.resources');
    expect(row.count).toBe(7);
    expect(row.truncated).toBeUndefined();
    expect(new Set(result.evidence['apigw.resources']?.map((m) => m.path)).size).toBe(7);
  });

  it('reports truncation as {kept, total} when the item cap is reached', async () => {
    const api = healthyApi({ resources: manyResources(7) });
    const result = await runOnScenario(resourcesSource, scenario({ api, pageSize: 2 }), { before, limits: { maxItems: 3 } });
    const row = rowOf(result, 'apigw.resources');
    // 7 resources plus the root resource every API has.
    expect(row.truncated).toEqual({ kept: 3, total: 8 });
    expect(row.count).toBeLessThanOrEqual(3);
    expect(row.reason).toContain('read 3 of 8+ resources');
  });

  it('is empty when the API has no methods', async () => {
    const result = await runOnScenario(resourcesSource, scenario({ api: healthyApi({ resources: [{ id: 'root', path: '/' }] }) }), { before });
    expect(rowOf(result, 'apigw.resources').status).toBe('empty');
  });

  itReportsAwsErrors(resourcesSource, 'apigateway:GetResources', { before });
});

describe('lambdaArnFromUri', () => {
  it('extracts the function ARN, qualifiers and stage variables included', () => {
    expect(lambdaArnFromUri(LAMBDA_URI)).toBe(LAMBDA_ARN);
    const aliased = LAMBDA_URI.replace('function:orders', 'function:orders:${stageVariables.alias}');
    expect(lambdaArnFromUri(aliased)).toBe(`${LAMBDA_ARN}:\${stageVariables.alias}`);
    expect(lambdaArnFromUri('https://example.com')).toBeUndefined();
    expect(lambdaArnFromUri(undefined)).toBeUndefined();
  });
});
