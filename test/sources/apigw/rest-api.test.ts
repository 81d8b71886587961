import { describe, expect, it } from 'vitest';
import { restApiSource } from '../../../src/sources/apigw/rest-api.js';
import { rowOf, runOnScenario } from '../../support/run-source.js';
import { ACCOUNT, API_ID, healthyApi, itReportsAwsErrors, scenario } from '../fixture.js';

const privatePolicy = {
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke', Resource: 'execute-api:/*' },
    {
      Effect: 'Deny',
      Principal: '*',
      Action: 'execute-api:Invoke',
      Resource: 'execute-api:/*',
      Condition: { StringNotEquals: { 'aws:SourceVpce': 'vpce-0a1b2c3d4e5f60001' } },
    },
  ],
};

describe('apigw.rest-api', () => {
  it('reads endpoint type, VPC endpoints and the parsed resource policy', async () => {
    const api = healthyApi({
      endpointConfiguration: { types: ['PRIVATE'], vpcEndpointIds: ['vpce-0a1b2c3d4e5f60001'] },
      policy: privatePolicy,
      apiKeySource: 'HEADER',
      disableExecuteApiEndpoint: true,
    });
    const result = await runOnScenario(restApiSource, scenario({ api }));
    const row = rowOf(result, 'apigw.rest-api');
    expect(row.status).toBe('ok');
    expect(row.count).toBe(1);
    expect(row.calls).toEqual(['apigateway:GetRestApi']);
    expect(row.reason).toContain('PRIVATE');
    const evidence = result.evidence['apigw.rest-api'];
    expect(evidence).toMatchObject({
      id: API_ID,
      name: 'orders',
      accountId: ACCOUNT,
      endpointTypes: ['PRIVATE'],
      vpcEndpointIds: ['vpce-0a1b2c3d4e5f60001'],
      disableExecuteApiEndpoint: true,
      apiKeySource: 'HEADER',
    });
    expect(evidence?.policy?.Statement).toHaveLength(2);
    expect(evidence?.policy?.Statement[1]?.Condition?.['StringNotEquals']?.['aws:SourceVpce']).toBe('vpce-0a1b2c3d4e5f60001');
    expect(evidence?.policyParseError).toBeUndefined();
  });

  it('parses the backslash-escaped policy string API Gateway returns', async () => {
    const escaped = JSON.stringify(privatePolicy).replace(/"/g, '\\"');
    const result = await runOnScenario(restApiSource, scenario({ api: healthyApi({ policy: escaped }) }));
    expect(result.evidence['apigw.rest-api']?.policy?.Statement).toHaveLength(2);
  });

  it('keeps a policyParseError when the policy is not JSON', async () => {
    const result = await runOnScenario(restApiSource, scenario({ api: healthyApi({ policy: '{not json' }) }));
    const row = rowOf(result, 'apigw.rest-api');
    expect(row.status).toBe('ok');
    expect(row.reason).toContain('unreadable');
    expect(result.evidence['apigw.rest-api']?.policy).toBeNull();
    expect(result.evidence['apigw.rest-api']?.policyParseError).toMatch(/not valid JSON/);
  });

  it('says there is no policy when the API has none', async () => {
    const result = await runOnScenario(restApiSource, scenario());
    expect(result.evidence['apigw.rest-api']?.policy).toBeNull();
    expect(rowOf(result, 'apigw.rest-api').reason).toContain('no resource policy');
  });

  it('reports an unknown API as not_found naming the account and region, with a hint', async () => {
    const data = scenario({ api: healthyApi({ id: 'zzzzzzzzzz' }) });
    const row = rowOf(await runOnScenario(restApiSource, data), 'apigw.rest-api');
    expect(row.status).toBe('error');
    expect(row.error?.kind).toBe('not_found');
    expect(row.error?.message).toBe(`REST API ${API_ID} not found in account ${ACCOUNT} region us-east-1`);
    expect(row.hint).toMatch(/--region/);
  });

  itReportsAwsErrors(restApiSource, 'apigateway:GetRestApi');
});
