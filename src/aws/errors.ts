import type { CoverageError, ErrorKind } from '../core/coverage.js';
import { iamActionFor, type AwsService } from './operations.js';

/** Attached by the client middleware so a refused call can name the IAM action it needed. */
export interface TaggedAwsError {
  firebreakService?: AwsService;
  firebreakOperation?: string;
}

export class ReadOnlyViolationError extends Error {
  override name = 'ReadOnlyViolationError';
  constructor(readonly service: string, readonly operation: string) {
    super(`firebreak refused to call ${service}:${operation}: it is not on the read-only operation list`);
  }
}

export class DeadlineError extends Error {
  override name = 'DeadlineError';
  constructor(message = 'deadline exceeded') {
    super(message);
  }
}

/** A source or runner dependency failed; the message names it. */
export class DependencyFailedError extends Error {
  override name = 'DependencyFailedError';
  constructor(readonly dependency: string, reason: string) {
    super(`needs ${dependency}, which failed: ${reason}`);
  }
}

const ACCESS_DENIED = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'UnauthorizedOperation',
  'UnauthorizedException',
  'AuthorizationError',
  'AuthFailure',
]);
const THROTTLED = new Set([
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'ThrottledException',
  'LimitExceededException',
  'ProvisionedThroughputExceededException',
]);
// Credentials that are missing, expired or wrong: not a permission to grant but a login to refresh.
const BAD_CREDENTIALS = new Set([
  'ExpiredTokenException',
  'ExpiredToken',
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'SignatureDoesNotMatch',
  'InvalidSignatureException',
  'IncompleteSignature',
  'CredentialsProviderError',
  'TokenRefreshRequired',
]);

const NOT_FOUND = new Set(['NotFoundException', 'ResourceNotFoundException', 'NoSuchEntity', 'NoSuchEntityException', 'WAFNonexistentItemException']);
const INVALID = new Set(['ValidationException', 'BadRequestException', 'InvalidParameterValue', 'InvalidParameterException', 'InvalidParameterCombination']);
const TIMEOUT = new Set(['AbortError', 'TimeoutError', 'DeadlineError', 'RequestTimeout', 'RequestTimeoutException']);

/** The AWS error code of anything thrown by the SDK (its `name`), or `Error`. */
export function errorName(err: unknown): string {
  if (err && typeof err === 'object') {
    const e = err as { name?: unknown; Code?: unknown; code?: unknown };
    for (const candidate of [e.name, e.Code, e.code]) if (typeof candidate === 'string') return candidate;
  }
  return 'Error';
}

function errorMessage(err: unknown): string {
  if (err instanceof Error && err.message) return err.message;
  if (err && typeof err === 'object' && 'message' in err && typeof err.message === 'string') return err.message;
  return String(err);
}

export function errorKindOf(err: unknown): ErrorKind {
  const name = errorName(err);
  if (err instanceof DependencyFailedError) return 'dependency_failed';
  // Before the 403 fallback: an expired session is not a missing permission.
  if (BAD_CREDENTIALS.has(name)) return 'unknown';
  if (ACCESS_DENIED.has(name)) return 'access_denied';
  if (THROTTLED.has(name)) return 'throttled';
  if (TIMEOUT.has(name)) return 'timeout';
  if (NOT_FOUND.has(name) || /\.NotFound$/.test(name)) return 'not_found';
  if (INVALID.has(name) || /^InvalidParameter/.test(name)) return 'invalid_input';
  const status = (err as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata?.httpStatusCode;
  if (status === 403) return 'access_denied';
  if (status === 429) return 'throttled';
  if (status === 404) return 'not_found';
  return 'unknown';
}

/** Turns anything thrown by an AWS call (or a source) into the coverage contract's error. */
export function classifyError(err: unknown): CoverageError {
  const kind = errorKindOf(err);
  const tagged = (err ?? {}) as TaggedAwsError;
  const base = `${errorName(err)}: ${errorMessage(err)}`;
  const result: CoverageError = { kind, message: base };
  if (kind === 'access_denied' && tagged.firebreakService && tagged.firebreakOperation) {
    result.action = iamActionFor(tagged.firebreakService, tagged.firebreakOperation);
  }
  if (err instanceof DependencyFailedError) {
    result.dependency = err.dependency;
    result.message = err.message;
  }
  return result;
}

/** The one-line fix to show next to an error row. */
export function hintFor(error: CoverageError, sourceTitle: string): string | undefined {
  if ([...BAD_CREDENTIALS].some((name) => error.message.startsWith(`${name}:`))) {
    return 'the AWS credentials are expired or invalid: refresh them (e.g. aws sso login) and run again';
  }
  switch (error.kind) {
    case 'access_denied':
      return error.action
        ? `allow ${error.action} for the firebreak role (see docs/iam-policy.json)`
        : `grant the firebreak role read access for ${sourceTitle}`;
    case 'throttled':
      return 'AWS throttled the reads after retries; run again in a minute or narrow --since';
    case 'timeout':
      return 'the read did not finish in time; run again or narrow --since';
    case 'dependency_failed':
      return error.dependency ? `fix ${error.dependency} first` : undefined;
    default:
      return undefined;
  }
}
