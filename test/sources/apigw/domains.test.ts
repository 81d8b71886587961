import { describe, expect, it } from 'vitest';
import { domainsSource } from '../../../src/sources/apigw/domains.js';
import { restApiSource } from '../../../src/sources/apigw/rest-api.js';
import { rowOf, runOnScenario } from '../../support/run-source.js';
import { API_ID, itReportsAwsErrors, scenario } from '../fixture.js';

const before = [restApiSource];
const OTHER_API = 'zz9zz9zz9z';

const domainNames = [
  {
    domainName: 'legacy.example.com',
    regionalDomainName: 'd-old.execute-api.us-east-1.amazonaws.com',
    endpointConfiguration: { types: ['REGIONAL'] },
    basePathMappings: [{ basePath: '(none)', restApiId: OTHER_API, stage: 'prod' }],
  },
  {
    domainName: 'api.example.com',
    regionalDomainName: 'd-abc123.execute-api.us-east-1.amazonaws.com',
    endpointConfiguration: { types: ['REGIONAL'] },
    domainNameStatus: 'AVAILABLE',
    securityPolicy: 'TLS_1_2',
    mutualTlsAuthentication: { truststoreUri: 's3://trust/store.pem' },
    basePathMappings: [
      { basePath: 'orders', restApiId: API_ID, stage: 'prod' },
      { basePath: 'other', restApiId: OTHER_API, stage: 'prod' },
    ],
  },
];

describe('apigw.domains', () => {
  it('lists custom domains with their mappings, the ones mapping this API first', async () => {
    const result = await runOnScenario(domainsSource, scenario({ apigateway: { domainNames } }), { before });
    const row = rowOf(result, 'apigw.domains');
    expect(row.status).toBe('ok');
    expect(row.count).toBe(2);
    expect(row.calls).toEqual(['apigateway:GetDomainNames', 'apigateway:GetBasePathMappings']);
    expect(row.reason).toContain('1 of 2 domain(s) map this API: api.example.com/orders → prod');
    const [ours, legacy] = result.evidence['apigw.domains'] ?? [];
    expect(ours).toEqual({
      domainName: 'api.example.com',
      endpointTypes: ['REGIONAL'],
      regionalDomainName: 'd-abc123.execute-api.us-east-1.amazonaws.com',
      domainNameStatus: 'AVAILABLE',
      securityPolicy: 'TLS_1_2',
      mtlsTruststoreUri: 's3://trust/store.pem',
      mappings: [
        { basePath: 'orders', restApiId: API_ID, stage: 'prod' },
        { basePath: 'other', restApiId: OTHER_API, stage: 'prod' },
      ],
      mapsToThisApi: true,
    });
    expect(legacy?.mapsToThisApi).toBe(false);
    expect(legacy?.mappings).toEqual([{ basePath: '(none)', restApiId: OTHER_API, stage: 'prod' }]);
  });

  it('notes when no mapping points at the targeted stage', async () => {
    const result = await runOnScenario(domainsSource, scenario({ apigateway: { domainNames }, stage: 'dev' }), { before });
    expect(rowOf(result, 'apigw.domains').reason).toContain('no mapping points at stage dev');
  });

  it('says so when no domain maps this API', async () => {
    const result = await runOnScenario(domainsSource, scenario({ apigateway: { domainNames: domainNames.slice(0, 1) } }), { before });
    const row = rowOf(result, 'apigw.domains');
    expect(row.status).toBe('ok');
    expect(row.reason).toBe(`none of 1 domain(s) maps API ${API_ID}`);
  });

  it('is empty when the account has no custom domains', async () => {
    const result = await runOnScenario(domainsSource, scenario(), { before });
    const row = rowOf(result, 'apigw.domains');
    expect(row.status).toBe('empty');
    expect(row.reason).toContain('no custom domain names in us-east-1');
  });

  itReportsAwsErrors(domainsSource, 'apigateway:GetDomainNames', { before });
  itReportsAwsErrors(domainsSource, 'apigateway:GetBasePathMappings', { before, parts: { apigateway: { domainNames } } });
});
