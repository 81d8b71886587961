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

/** Thrown for an operation the sandbox does not answer: loud, never a silent empty result. */
export class SandboxUnsupportedOperation extends Error {
  override name = 'SandboxUnsupportedOperation';
  constructor(readonly service: string, readonly operation: string) {
    super(`the sandbox does not model ${service}:${operation}; add it to src/sandbox/services/${service}.ts`);
  }
}
