import { describe, expect, it } from 'vitest';
import { ERROR_KINDS, type CoverageError, type ErrorKind } from '../../../src/core/coverage.js';
import { cloudtrailRefused } from '../../../src/rules/blind-spots/cloudtrail-refused.js';
import { failurePhrase } from '../../../src/rules/helpers.js';
import { hbCloudtrailRefused } from '../../../src/rules/http/blind-spots.js';
import { o2ScpBlockedFix } from '../../../src/rules/limits/o2-scp-blocked-fix.js';
import { failSource, healthyInput } from '../fixtures.js';

const ERRORS: Record<ErrorKind, CoverageError> = {
  access_denied: { kind: 'access_denied', message: 'AccessDeniedException: no', action: 'cloudtrail:LookupEvents' },
  throttled: { kind: 'throttled', message: 'ThrottlingException: Rate exceeded' },
  timeout: { kind: 'timeout', message: 'deadline exceeded' },
  not_found: { kind: 'not_found', message: 'ResourceNotFoundException: gone' },
  dependency_failed: { kind: 'dependency_failed', message: 'needs apigw.rest-api, which failed', dependency: 'apigw.rest-api' },
  invalid_input: { kind: 'invalid_input', message: 'InvalidParameterValue: bad' },
  service_error: { kind: 'service_error', message: 'the service failed (HTTP 500; it answered text/html that is not an AWS response)' },
  unknown: { kind: 'unknown', message: 'Error: socket hang up' },
};

/** What a template must never read like, whichever error it is given. */
const AWKWARD = /was failed|was unknown|\(unknown\)|\(service_error\)|was service_error|Deserialization error/;

describe('failure wording for every error kind', () => {
  it('has a wording for every kind', () => {
    expect(Object.keys(ERRORS).sort()).toEqual([...ERROR_KINDS].sort());
  });

  it.each(ERROR_KINDS.filter((k) => k !== 'dependency_failed'))('the CloudTrail blind spots read well for %s (REST and HTTP)', (kind) => {
    const error = ERRORS[kind];
    for (const rule of [cloudtrailRefused, hbCloudtrailRefused]) {
      const [f] = rule.evaluate(failSource(healthyInput(), 'cloudtrail.denies', error));
      expect(f?.detail).toMatch(/^The CloudTrail lookup (was|did|found|could)/);
      for (const text of [f?.detail, f?.fix, ...(f?.evidence.map((e) => e.quote) ?? [])]) expect(text).not.toMatch(AWKWARD);
      // Throttling advice only for throttling; retry advice for a failing service.
      if (kind === 'throttled') expect(f?.fix).toContain('2 lookups per second');
      else expect(f?.fix).not.toContain('2 lookups per second');
      if (kind === 'service_error') expect(f?.fix).toMatch(/again/);
    }
  });

  it.each(ERROR_KINDS.filter((k) => k !== 'dependency_failed'))('"cannot rule out" findings read well for %s', (kind) => {
    const [f] = o2ScpBlockedFix.evaluate(failSource(healthyInput(), 'cloudtrail.denies', ERRORS[kind]));
    expect(f?.inconclusive).toBe(true);
    for (const text of [f?.detail, f?.fix]) expect(text).not.toMatch(AWKWARD);
    expect(f?.detail).toContain(`cloudtrail.denies ${failurePhrase(ERRORS[kind])}`);
  });

  it('phrases follow their subject', () => {
    expect(failurePhrase(ERRORS.access_denied)).toBe('was refused (cloudtrail:LookupEvents)');
    expect(failurePhrase(ERRORS.service_error)).toBe('could not be read: the service failed (HTTP 500; it answered text/html that is not an AWS response)');
    expect(failurePhrase(ERRORS.throttled)).toBe('was throttled by AWS, even after retries');
    expect(failurePhrase(undefined)).toBe('failed');
  });
});
