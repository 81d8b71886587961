import { describe, expect, it } from 'vitest';
import { gatewayResponsesSource } from '../../../src/sources/apigw/gateway-responses.js';
import { restApiSource } from '../../../src/sources/apigw/rest-api.js';
import { rowOf, runOnScenario } from '../../support/run-source.js';
import { healthyApi, itReportsAwsErrors, scenario } from '../fixture.js';

const before = [restApiSource];

describe('apigw.gateway-responses', () => {
  it('keeps only the customised gateway responses', async () => {
    const api = healthyApi({
      gatewayResponses: [
        { responseType: 'DEFAULT_4XX', statusCode: '400', defaultResponse: true },
        { responseType: 'MISSING_AUTHENTICATION_TOKEN', statusCode: '404', defaultResponse: false },
      ],
    });
    const result = await runOnScenario(gatewayResponsesSource, scenario({ api }), { before });
    const row = rowOf(result, 'apigw.gateway-responses');
    expect(row.status).toBe('ok');
    expect(row.count).toBe(1);
    expect(row.reason).toBe('customised: MISSING_AUTHENTICATION_TOKEN → 404');
    expect(result.evidence['apigw.gateway-responses']).toEqual([
      { responseType: 'MISSING_AUTHENTICATION_TOKEN', statusCode: '404', defaultResponse: false },
    ]);
  });

  it('is empty when every response is a default', async () => {
    const api = healthyApi({ gatewayResponses: [{ responseType: 'DEFAULT_4XX', statusCode: '400', defaultResponse: true }] });
    const result = await runOnScenario(gatewayResponsesSource, scenario({ api }), { before });
    const row = rowOf(result, 'apigw.gateway-responses');
    expect(row.status).toBe('empty');
    expect(row.reason).toBe('all 1 gateway responses are AWS defaults');
    expect(result.evidence['apigw.gateway-responses']).toEqual([]);
  });

  itReportsAwsErrors(gatewayResponsesSource, 'apigateway:GetGatewayResponses', { before });
});
