import { describe, expect, it } from 'vitest';
import { classifyAccessRecord, classifyExecutionLine, summariseLogs } from '../../src/rules/execution-log-classifier.js';
import { accessRecord, requestLines } from './fixtures.js';

/**
 * Real log texts from public sources (quoted, with where they were seen), so the classifier is
 * judged on what AWS writes rather than on what the sandbox generates.
 */
describe('classifier on real log texts', () => {
  it('reads INTEGRATION_FAILURE with "Rate Exceeded." as Lambda throttling, not a network error', () => {
    // Access-log record fields as queried in DataBiosphere/azul PR #6624 (Aug 2024):
    // response=INTEGRATION_FAILURE, errorMsg="Internal server error",
    // integrationError="Execution failed due to configuration error: Rate Exceeded."
    const record = accessRecord(
      { status: 500, httpMethod: 'GET', resourcePath: '/repository/files/{file_uuid}' },
      { response: 'INTEGRATION_FAILURE', responseType: 'INTEGRATION_FAILURE', errorMsg: 'Internal server error', integrationError: 'Execution failed due to configuration error: Rate Exceeded.' },
    );
    expect(classifyAccessRecord(record)).toMatchObject({ cause: 'I5', signature: 'lambda-throttled' });
  });

  it('reads a bare INTEGRATION_FAILURE by its status and integration status', () => {
    expect(classifyAccessRecord(accessRecord({ status: 500 }, { responseType: 'INTEGRATION_FAILURE', integrationStatus: '429' }))?.cause).toBe('I5');
    expect(classifyAccessRecord(accessRecord({ status: 504 }, { responseType: 'INTEGRATION_FAILURE' }))?.cause).toBe('I7');
    expect(classifyAccessRecord(accessRecord({ status: 502 }, { responseType: 'INTEGRATION_FAILURE' }))?.cause).toBe('I4');
  });

  it('does not count a handled Lambda error mapped to 400 as a function failure', () => {
    // rotemtam/serverless-aws-logs-parser tests/mocks/file.mock.js (MIT), a real Oct-2016 execution log:
    const handled = requestLines('9537d573-87c5-11e6-b3e4-6f23bc206746', [
      'Endpoint response body before transformations: {"errorMessage":"Error: Request failed with status code 422"}',
      'Endpoint response headers: {x-amzn-Remapped-Content-Length=0, x-amzn-RequestId=953898c1-87c5-11e6-8bfd-9d908893e99b, Connection=keep-alive, Content-Length=61, X-Amz-Function-Error=Handled, Date=Sat, 01 Oct 2016 10:55:36 GMT, Content-Type=application/json}',
      'Method response body after transformations: {"errorMessage":"Error: Request failed with status code 422"}',
      'Successfully completed execution',
      'Method completed with status: 400',
    ]);
    const summary = summariseLogs({ 'logs.execution': [{ stage: 'dev', logGroup: 'g', lines: handled }] });
    expect(summary.signatures.filter((s) => s.cause === 'I4')).toEqual([]);
    // The same handled error turned into a 502 is a failure.
    const failed = requestLines('x', ['Endpoint response headers: {X-Amz-Function-Error=Handled}', 'Method completed with status: 502']);
    expect(summariseLogs({ 'logs.execution': [{ stage: 'dev', logGroup: 'g', lines: failed }] }).signatures.map((s) => s.cause)).toEqual(['I4']);
  });

  it('classifies the A4 sequence observed in a real log (catalogue 2.4, "(PDS1PEC4oAMFpyA=)")', () => {
    const lines = requestLines('PDS1PEC4oAMFpyA=', [
      'Execution failed due to configuration error: Invalid permissions on Lambda function',
      'Execution failed due to configuration error: Authorizer error',
      'Gateway response type: AUTHORIZER_CONFIGURATION_ERROR with status code: 500',
    ]);
    const causes = summariseLogs({ 'logs.execution': [{ stage: 'prod', logGroup: 'g', lines }] }).signatures.map((s) => s.cause);
    expect(causes).toContain('A4');
    expect(causes).not.toContain('I1');
  });

  it('separates the denial suffixes (catalogue 0.8; serverless/serverless#11808, hyp3#2283)', () => {
    const arn = 'arn:aws:execute-api:us-east-1:********1234:abc123/prod/GET/items';
    expect(classifyExecutionLine(`User: anonymous is not authorized to perform: execute-api:Invoke on resource: ${arn} because no resource-based policy allows the execute-api:Invoke action`)?.cause).toBe('P1');
    expect(classifyExecutionLine(`User: arn:aws:sts::123456789012:assumed-role/r/s is not authorized to perform: execute-api:Invoke on resource: ${arn} with an explicit deny in an identity-based policy`)?.cause).toBe('A5');
    expect(classifyExecutionLine(`User: arn:aws:sts::123456789012:assumed-role/r/s is not authorized to perform: execute-api:Invoke on resource: ${arn} with an explicit deny in a service control policy`)?.cause).toBe('O1');
    expect(classifyExecutionLine(`User: anonymous is not authorized to perform: execute-api:Invoke on resource: ${arn} because no VPC endpoint policy allows the execute-api:Invoke action`)?.cause).toBe('P5');
  });

  it('reads the assume-role, network, mTLS and 401 texts of the catalogue', () => {
    expect(classifyExecutionLine('Execution failed due to configuration error: API Gateway does not have permission to assume the provided role arn:aws:iam::123456789012:role/x')?.cause).toBe('I2');
    expect(classifyExecutionLine('Execution failed due to a network error communicating with endpoint')?.cause).toBe('I7');
    expect(classifyExecutionLine('Execution failed due to configuration error: Invalid endpoint address')?.cause).toBe('I8');
    expect(classifyExecutionLine('Access denied. Reason: Could not find issuer for certificate')?.cause).toBe('R7');
    expect(classifyExecutionLine('Access denied. Reason: Client cert using an insecure Signature Algorithm')?.cause).toBe('R7');
    expect(classifyAccessRecord(accessRecord({ status: 401 }, { responseType: 'UNAUTHORIZED' }))?.cause).toBe('A2');
    expect(classifyAccessRecord(accessRecord({ status: 413 }))?.cause).toBe('T3');
  });

  it('gives an access record with only a suggestive type the cause its request shows in the execution log', () => {
    const lines = requestLines('r-1', ['User: anonymous is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:us-east-1:1:a/prod/POST/x']);
    const summary = summariseLogs({
      'logs.execution': [{ stage: 'prod', logGroup: 'g', lines }],
      'logs.access': [{ stage: 'prod', logGroup: 'a', format: 'json', unparsed: [], records: [accessRecord({ requestId: 'r-1', status: 403 }, { errorType: 'ACCESS_DENIED' })] }],
    });
    expect(summary.signatures.map((s) => `${s.source}:${s.cause}`).sort()).toEqual(['logs.access:P1', 'logs.execution:P1']);
  });
});
