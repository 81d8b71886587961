import { describe, expect, it } from 'vitest';
import { i8BadUriOrMapping as rule } from '../../../src/rules/integration/i8-bad-uri-or-mapping.js';
import { accessRecord, failSource, healthyInput, repeatRequests } from '../fixtures.js';

describe('I8.bad-uri-or-mapping', () => {
  it('fires on Invalid endpoint address and names a stage-variable URI', () => {
    const input = healthyInput();
    input.evidence['apigw.resources']![0]!.integration!.uri = 'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${stageVariables.fn}/invocations';
    input.evidence['logs.execution']![0]!.lines.push(...repeatRequests(6, ['Execution failed due to configuration error: Invalid endpoint address']));
    expect(rule.evaluate(input)[0]?.detail).toContain('${stageVariables.fn}');
  });

  it('is not fed by API_CONFIGURATION_ERROR records whose request was a refused invoke (near miss: I1)', () => {
    const input = healthyInput();
    input.evidence['logs.execution']![0]!.lines.push(...repeatRequests(6, ['Execution failed due to configuration error: Invalid permissions on Lambda function']));
    input.evidence['logs.access']![0]!.records.push(...Array.from({ length: 6 }, (_, i) => accessRecord({ requestId: `bad-${i}`, status: 500 }, { responseType: 'API_CONFIGURATION_ERROR', errorMessage: 'Internal server error' })));
    expect(rule.evaluate(input)).toEqual([]);
  });

  it('is inconclusive without logs', () => {
    expect(rule.evaluate(failSource(failSource(healthyInput(), 'logs.execution'), 'logs.access'))[0]).toMatchObject({ inconclusive: true });
  });
});
