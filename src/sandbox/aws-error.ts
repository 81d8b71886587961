/**
 * Errors shaped like the SDK's service exceptions: `name`, `message`, `$metadata.httpStatusCode`
 * and `$fault`. The SDK's retry strategy and `classifyError` look only at these fields, so a
 * sandbox ThrottlingException is retried and classified exactly like one from AWS.
 */
export interface AwsLikeError extends Error {
  $metadata: { httpStatusCode: number; requestId?: string; attempts?: number };
  $fault: 'client' | 'server';
  Code?: string;
}

/** Default HTTP status per error name, as the services send them. */
const STATUS_BY_NAME: Record<string, number> = {
  NotFoundException: 404,
  ResourceNotFoundException: 404,
  UnauthorizedOperation: 403,
  AccessDenied: 403,
  TooManyRequestsException: 429,
  RequestLimitExceeded: 503,
  InternalFailure: 500,
  InternalServerError: 500,
  ServiceException: 500,
  ServiceUnavailable: 503,
  ServiceUnavailableException: 503,
  RequestTimeout: 408,
};

export function awsError(name: string, message: string, httpStatusCode = STATUS_BY_NAME[name] ?? 400): AwsLikeError {
  const err = new Error(message) as AwsLikeError;
  err.name = name;
  err.Code = name;
  err.$metadata = { httpStatusCode, requestId: 'sandbox' };
  err.$fault = httpStatusCode >= 500 ? 'server' : 'client';
  return err;
}

/**
 * What the SDK throws when the answer is not the service's own format (an HTML error page): the
 * JSON parser's error with the SDK's hint appended, the status on `$metadata` and the raw
 * response hidden on `$response`, as @smithy/core does it.
 */
export function unreadableAnswerError(httpStatusCode: number): Error {
  const err = new SyntaxError(
    `Unexpected token '<', "<!doctype "... is not valid JSON\n  Deserialization error: to see the raw response, inspect the hidden field {error}.$response on this object.`,
  );
  Object.assign(err, { $metadata: { httpStatusCode, attempts: 1 } });
  Object.defineProperty(err, '$response', {
    value: { statusCode: httpStatusCode, headers: { 'content-type': 'text/html; charset=utf-8' }, body: '<!doctype html><title>Internal Server Error</title>' },
    enumerable: false,
  });
  return err;
}

/** Thrown for an operation the sandbox does not answer: loud, never a silent empty result. */
export class SandboxUnsupportedOperation extends Error {
  override name = 'SandboxUnsupportedOperation';
  constructor(readonly service: string, readonly operation: string) {
    super(`the sandbox does not model ${service}:${operation}; add it to src/sandbox/services/${service}.ts`);
  }
}
