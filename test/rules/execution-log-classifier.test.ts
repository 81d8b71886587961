import { describe, expect, it } from 'vitest';
import {
  classifyAccessRecord,
  classifyExecutionLine,
  classifyResponseType,
  summariseAccessLogs,
  summariseExecutionLogs,
  summariseLogs,
} from '../../src/rules/execution-log-classifier.js';
import { accessRecord, requestLines } from './fixtures.js';

describe('classifyExecutionLine', () => {
  it('recognises the catalogue signatures', () => {
    expect(classifyExecutionLine('(abc) Execution failed due to a timeout error')?.cause).toBe('I6');
    expect(classifyExecutionLine('(abc) Lambda invocation failed with status: 429. Lambda request id: x')?.cause).toBe('I5');
    expect(classifyExecutionLine('(abc) Lambda execution failed with status 200 due to customer function error: boom')?.cause).toBe('I4');
    expect(classifyExecutionLine('(abc) API Key **** not authorized because method \'GET /\' requires API Key and API Key is not associated with a Usage Plan for API Stage a/prod')?.signature).toBe('api-key-no-usage-plan');
    expect(classifyExecutionLine('(abc) Successfully completed execution')).toBeUndefined();
  });

  it('prefers the more specific signature when a line matches two', () => {
    // Both "Malformed Lambda proxy response" and the generic configuration error match.
    expect(classifyExecutionLine('(abc) Execution failed due to configuration error: Malformed Lambda proxy response')?.signature).toBe('malformed-proxy-response');
    expect(classifyExecutionLine('(abc) Execution failed due to configuration error: Invalid permissions on Lambda function')?.signature).toBe('lambda-invalid-permissions');
    expect(classifyExecutionLine('(abc) Execution failed due to configuration error: Something else')?.signature).toBe('configuration-error');
    // A VPC endpoint policy denial is also an execute-api:Invoke denial; the endpoint policy wins.
    expect(classifyExecutionLine('User: anonymous is not authorized to perform: execute-api:Invoke on resource: arn because no VPC endpoint policy allows the execute-api:Invoke action')?.cause).toBe('P5');
    expect(classifyExecutionLine('User: anonymous is not authorized to perform: execute-api:Invoke on resource: arn with an explicit deny')?.cause).toBe('P1');
  });
});

describe('access-log classification', () => {
  it('uses $context.error.responseType under any field naming', () => {
    expect(classifyResponseType('WAF_FILTERED')?.cause).toBe('A8');
    expect(classifyAccessRecord(accessRecord({ status: 403 }, { '$context.error.responseType': 'WAF_FILTERED' }))?.cause).toBe('A8');
    expect(classifyAccessRecord(accessRecord({ status: 429 }, { responseType: 'QUOTA_EXCEEDED' }))?.cause).toBe('T2');
    expect(classifyAccessRecord(accessRecord({ status: 429 }, { errorResponseType: 'THROTTLED' }))?.cause).toBe('T1');
  });

  it('falls back to the WAF status, then the HTTP status', () => {
    expect(classifyAccessRecord(accessRecord({ status: 403 }, { wafStatus: 'WAF_BLOCK' }))?.cause).toBe('A8');
    expect(classifyAccessRecord(accessRecord({ status: 504 }))?.cause).toBe('I6');
    expect(classifyAccessRecord(accessRecord({ status: 200 }))).toBeUndefined();
  });
});

describe('summaries', () => {
  it('counts each request once per signature, per stage, with examples', () => {
    const lines = [
      ...requestLines('r1', ['Execution failed due to a timeout error', 'Endpoint request timed out', 'Method completed with status: 504']),
      ...requestLines('r2', ['Execution failed due to a timeout error']),
    ];
    const counts = [...summariseExecutionLogs([{ stage: 'prod', logGroup: 'g', lines }]).values()];
    expect(counts).toEqual([expect.objectContaining({ signature: 'integration-timeout', stage: 'prod', count: 2, source: 'logs.execution' })]);
    expect(counts[0]?.examples[0]).toContain('timeout error');
  });

  it('attributes "Invalid permissions" to the authorizer when the same request failed its authorizer', () => {
    const lines = requestLines('r1', [
      'Execution failed due to configuration error: Invalid permissions on Lambda function',
      'Execution failed due to configuration error: Authorizer error',
      'Gateway response type: AUTHORIZER_CONFIGURATION_ERROR with status code: 500',
    ]);
    const signatures = [...summariseExecutionLogs([{ stage: 'prod', logGroup: 'g', lines }]).values()].map((c) => c.signature);
    expect(signatures).toContain('authorizer-invalid-permissions');
    expect(signatures).not.toContain('lambda-invalid-permissions');
  });

  it('summarises access and Lambda logs with per-stage traffic', () => {
    const records = [accessRecord(), accessRecord({ status: 429 }, { responseType: 'THROTTLED' })];
    expect([...summariseAccessLogs([{ stage: 'prod', logGroup: 'a', format: 'json', records, unparsed: [] }]).values()]).toMatchObject([{ signature: 'throttled', count: 1 }]);
    const summary = summariseLogs({
      'logs.access': [{ stage: 'prod', logGroup: 'a', format: 'json', records, unparsed: [] }],
      'logs.lambda': [{ functionName: 'orders', logGroup: '/aws/lambda/orders', errors: 0, timeouts: 2, throttles: 0, lines: [{ timestamp: 1, message: 'Task timed out after 30.03 seconds' }] }],
    });
    expect(summary.accessRecordsByStage).toEqual({ prod: 2 });
    expect(summary.signatures.find((s) => s.source === 'logs.lambda')).toMatchObject({ cause: 'I6', count: 2, examples: ['Task timed out after 30.03 seconds'] });
  });
});

describe('ACCESS_DENIED disambiguation', () => {
  it('tells a resource-policy deny from an authorizer deny by the error message', () => {
    const policy = accessRecord({ status: 403 }, { responseType: 'ACCESS_DENIED', errorMessage: 'User: anonymous is not authorized to perform: execute-api:Invoke on resource: arn' });
    const authorizer = accessRecord({ status: 403 }, { responseType: 'ACCESS_DENIED', errorMessage: 'User is not authorized to access this resource with an explicit deny' });
    expect(classifyAccessRecord(policy)?.cause).toBe('P1');
    expect(classifyAccessRecord(authorizer)?.cause).toBe('A1');
  });
});
