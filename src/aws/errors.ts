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

/**
 * The SDK appends a second line to errors it could not parse ("Deserialization error: to see the
 * raw response, inspect the hidden field {error}.$response on this object."): advice for its own
 * developers, never for the person reading a coverage row.
 */
const SDK_HINT_LINE = /^Deserialization error: to see the raw response/i;

/** The first line of a message that says something: the SDK's hints and blank lines are skipped. */
export function firstMeaningfulLine(text: string): string {
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line && !SDK_HINT_LINE.test(line)) return line;
  }
  return '';
}

function httpStatusOf(err: unknown): number | undefined {
  const status = (err as { $metadata?: { httpStatusCode?: unknown } } | null)?.$metadata?.httpStatusCode;
  return typeof status === 'number' ? status : undefined;
}

/**
 * The SDK could not read the answer as the service's own format (an HTML error page from a proxy,
 * a load balancer or an emulator that does not implement the call): it throws the parser's error
 * with the raw response hidden on `$response`.
 */
function unreadableAnswer(err: unknown): { contentType?: string } | undefined {
  if (!err || typeof err !== 'object') return undefined;
  const e = err as { name?: unknown; message?: unknown; $response?: { headers?: Record<string, string | undefined> } };
  const message = typeof e.message === 'string' ? e.message : '';
  if (!/Deserialization error/i.test(message) && !(e.name === 'SyntaxError' && httpStatusOf(err) !== undefined)) return undefined;
  const contentType = e.$response?.headers?.['content-type']?.split(';')[0]?.trim();
  return contentType ? { contentType } : {};
}

/** The service failed rather than refused: a 5xx, or an answer the SDK could not read. */
function serviceFailed(err: unknown): boolean {
  return (httpStatusOf(err) ?? 0) >= 500 || unreadableAnswer(err) !== undefined;
}

/** "the service failed (HTTP 500; it answered text/html that is not an AWS response)": one line, whatever the SDK threw. */
function serviceFailureText(err: unknown): string {
  const status = httpStatusOf(err);
  const answer = unreadableAnswer(err);
  const detail = answer
    ? `it answered ${answer.contentType ?? 'something'} that is not an AWS response`
    : firstMeaningfulLine(errorMessage(err)) && `${errorName(err)}: ${firstMeaningfulLine(errorMessage(err))}`;
  return `the service failed (${status === undefined ? 'no HTTP status' : `HTTP ${status}`}${detail ? `; ${detail}` : ''})`;
}

/**
 * One line for a person: `AccessDeniedException: User … is not authorized …`, or "the service
 * failed (HTTP 500; …)" for a server failure. Every place that shows an AWS error uses this.
 */
export function errorText(err: unknown): string {
  if (errorKindOf(err) === 'service_error') return serviceFailureText(err);
  const line = firstMeaningfulLine(errorMessage(err));
  const name = errorName(err);
  return line ? `${name}: ${line}` : name;
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
  // After the names: EC2's RequestLimitExceeded is a 503 and still throttling.
  if (serviceFailed(err)) return 'service_error';
  const status = httpStatusOf(err);
  if (status === 403) return 'access_denied';
  if (status === 429) return 'throttled';
  if (status === 404) return 'not_found';
  return 'unknown';
}

/** Turns anything thrown by an AWS call (or a source) into the coverage contract's error. */
export function classifyError(err: unknown): CoverageError {
  const kind = errorKindOf(err);
  const tagged = (err ?? {}) as TaggedAwsError;
  const result: CoverageError = { kind, message: errorText(err) };
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
    case 'service_error':
      return /not an AWS response/.test(error.message)
        ? 'the answer did not come from the AWS API (check any proxy or AWS_ENDPOINT_URL in between); run again in a few minutes'
        : 'the AWS service failed on its side (retries were made); run again in a few minutes, and check the AWS Health Dashboard if it persists';
    case 'dependency_failed':
      return error.dependency ? `fix ${error.dependency} first` : undefined;
    default:
      return undefined;
  }
}
