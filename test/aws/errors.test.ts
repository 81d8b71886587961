import { describe, expect, it } from 'vitest';
import { classifyError, errorText, firstMeaningfulLine, hintFor } from '../../src/aws/errors.js';
import { awsError, unreadableAnswerError } from '../../src/sandbox/aws-error.js';

const SDK_HINT = 'Deserialization error: to see the raw response, inspect the hidden field {error}.$response on this object.';

describe('AWS error text and classification', () => {
  it('reads an HTML answer as the service failing, in one line, with retry advice (not throttling advice)', () => {
    const error = classifyError(unreadableAnswerError(500));
    expect(error).toEqual({ kind: 'service_error', message: 'the service failed (HTTP 500; it answered text/html that is not an AWS response)' });
    const hint = hintFor(error, 'CloudTrail') ?? '';
    expect(hint).toContain('run again in a few minutes');
    expect(hint).not.toMatch(/throttl|per second/i);
  });

  it('reads a 5xx with an AWS body as the service failing, and keeps its name and first line', () => {
    expect(classifyError(awsError('InternalFailure', 'We encountered an internal error.\nPlease try again.'))).toEqual({
      kind: 'service_error',
      message: 'the service failed (HTTP 500; InternalFailure: We encountered an internal error.)',
    });
    expect(classifyError(awsError('ServiceUnavailableException', 'Service unavailable'))).toMatchObject({ kind: 'service_error', message: expect.stringContaining('HTTP 503') });
    expect(hintFor(classifyError(awsError('InternalFailure', 'x')), 'CloudTrail')).toContain('AWS Health Dashboard');
  });

  it('keeps throttling a 503 that says so (EC2 RequestLimitExceeded)', () => {
    expect(classifyError(awsError('RequestLimitExceeded', 'Request limit exceeded.')).kind).toBe('throttled');
  });

  it('never shows the SDK\'s deserialization hint, whatever the status', () => {
    const err = Object.assign(new SyntaxError(`Unexpected token 'o', "not json" is not valid JSON\n  ${SDK_HINT}`), { $metadata: { httpStatusCode: 200 } });
    const error = classifyError(err);
    expect(error.kind).toBe('service_error');
    expect(error.message).toBe('the service failed (HTTP 200; it answered something that is not an AWS response)');
    expect(hintFor(error, 'x')).toContain('AWS_ENDPOINT_URL');
  });

  it('shows one line for any error: the first meaningful one', () => {
    expect(errorText(awsError('AccessDeniedException', '\n  User: x is not authorized\nmore detail'))).toBe('AccessDeniedException: User: x is not authorized');
    expect(errorText(new Error(''))).toBe('Error');
    expect(firstMeaningfulLine(`first\n${SDK_HINT}`)).toBe('first');
    expect(firstMeaningfulLine(`${SDK_HINT}\n\n  second  `)).toBe('second');
    for (const err of [unreadableAnswerError(502), awsError('ValidationException', 'a\nb'), awsError('ThrottlingException', 'Rate exceeded\n')]) {
      expect(classifyError(err).message).not.toMatch(/\n|Deserialization error/);
    }
  });
});
