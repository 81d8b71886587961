import { describe, expect, it } from 'vitest';
import type { AccessLogRecord, LogLine } from '../../src/core/evidence.js';
import { SEVERITY_RANK, type Finding } from '../../src/core/finding.js';
import { a1AuthorizerDenies } from '../../src/rules/auth/a1-authorizer-denies.js';
import { i3MalformedProxyResponse } from '../../src/rules/integration/i3-malformed-proxy-response.js';
import { i4LambdaFunctionError } from '../../src/rules/integration/i4-lambda-function-error.js';
import { i5LambdaThrottled } from '../../src/rules/integration/i5-lambda-throttled.js';
import { i6IntegrationTimeout } from '../../src/rules/integration/i6-integration-timeout.js';
import { t1Throttled } from '../../src/rules/limits/t1-throttled.js';
import { t2QuotaExceeded } from '../../src/rules/limits/t2-quota-exceeded.js';
import { a7ApiKeyUsagePlan } from '../../src/rules/auth/a7-api-key-usage-plan.js';
import { a8WafBlocks } from '../../src/rules/auth/a8-waf-blocks.js';
import { THRESHOLDS, type Threshold } from '../../src/rules/counting/index.js';

const { server: DEFAULT_THRESHOLD, throttle: THROTTLE_THRESHOLD, deny: DENY_THRESHOLD, client: CLIENT_ERROR_THRESHOLD } = THRESHOLDS;
import { r1RouteNotDeployed } from '../../src/rules/routing/r1-route-not-deployed.js';
import type { Rule, RuleInput } from '../../src/rules/types.js';
import { at, healthyInput, setStatus } from './fixtures.js';

/**
 * Every count-based rule, on every log path it reads, at its threshold, just below it and just
 * above it (docs/rules.md, "Thresholds"). The traffic is one route; failures are spread over the
 * last minutes so they are "still happening". Just below: at most a low note. At or above: a
 * finding above low.
 */

type Path = 'execution' | 'access' | 'lambda';

interface Case {
  rule: Rule;
  threshold: Threshold;
  paths: Path[];
  /** One failing request's execution-log lines. */
  execution?: string[];
  /** One failing request's access-log record fields. */
  access?: Partial<AccessLogRecord> & { fields?: Record<string, string> };
  /** The Lambda log kind: one line per failure. */
  lambda?: { kind: 'errors' | 'timeouts' | 'throttles'; message: string };
}

const CASES: Case[] = [
  {
    rule: i3MalformedProxyResponse,
    threshold: DEFAULT_THRESHOLD,
    paths: ['execution'],
    execution: ['Execution failed due to configuration error: Malformed Lambda proxy response', 'Method completed with status: 502'],
  },
  {
    rule: i4LambdaFunctionError,
    threshold: DEFAULT_THRESHOLD,
    paths: ['execution', 'access', 'lambda'],
    execution: ['Lambda execution failed with status 200 due to customer function error: boom. Lambda request id: x', 'Method completed with status: 502'],
    access: { status: 502 },
    lambda: { kind: 'errors', message: '2026-11-20T09:59:00.000Z\tabc\tERROR\tInvoke Error \t{"errorType":"TypeError"}' },
  },
  {
    rule: i5LambdaThrottled,
    threshold: DEFAULT_THRESHOLD,
    paths: ['execution', 'lambda'],
    execution: ['Lambda invocation failed with status: 429. Lambda request id: x', 'Execution failed due to configuration error: Rate Exceeded.', 'Method completed with status: 500'],
    lambda: { kind: 'throttles', message: 'Rate Exceeded. TooManyRequestsException' },
  },
  {
    rule: i6IntegrationTimeout,
    threshold: DEFAULT_THRESHOLD,
    paths: ['execution', 'access', 'lambda'],
    execution: ['Execution failed due to a timeout error', 'Method completed with status: 504'],
    access: { status: 504, fields: { responseType: 'INTEGRATION_TIMEOUT' } },
    lambda: { kind: 'timeouts', message: '2026-11-20T09:59:00.000Z abc Task timed out after 10.00 seconds' },
  },
  {
    rule: t1Throttled,
    threshold: THROTTLE_THRESHOLD,
    paths: ['execution', 'access'],
    execution: ['Gateway response type: THROTTLED with status code: 429', 'Method completed with status: 429'],
    access: { status: 429, fields: { responseType: 'THROTTLED' } },
  },
  {
    rule: t2QuotaExceeded,
    threshold: THROTTLE_THRESHOLD,
    paths: ['execution', 'access'],
    execution: ['Gateway response type: QUOTA_EXCEEDED with status code: 429', 'Method completed with status: 429'],
    access: { status: 429, fields: { responseType: 'QUOTA_EXCEEDED' } },
  },
  {
    rule: a1AuthorizerDenies,
    threshold: DENY_THRESHOLD,
    paths: ['execution', 'access'],
    execution: ['The client is not authorized to perform this operation. User is not authorized to access this resource', 'Method completed with status: 403'],
    access: { status: 403, fields: { responseType: 'ACCESS_DENIED' } },
  },
  // Client-side 4xx, read through `significant(summary, …)`: the same per-scope weighing.
  {
    rule: r1RouteNotDeployed,
    threshold: CLIENT_ERROR_THRESHOLD,
    paths: ['execution', 'access'],
    execution: ['Gateway response type: MISSING_AUTHENTICATION_TOKEN with status code: 403', 'Method completed with status: 403'],
    access: { status: 403, fields: { responseType: 'MISSING_AUTHENTICATION_TOKEN' } },
  },
  {
    rule: a7ApiKeyUsagePlan,
    threshold: CLIENT_ERROR_THRESHOLD,
    paths: ['execution', 'access'],
    execution: ['API Key **********abcd not authorized because method \'GET /orders\' requires API Key and API Key is not associated with a Usage Plan for API Stage', 'Method completed with status: 403'],
    access: { status: 403, fields: { responseType: 'INVALID_API_KEY' } },
  },
  {
    rule: a8WafBlocks,
    threshold: CLIENT_ERROR_THRESHOLD,
    paths: ['access'],
    access: { status: 403, fields: { responseType: 'WAF_FILTERED' } },
  },
];

const ROUTE = ['HTTP Method: GET, Resource Path: /orders'];

/** `total` requests on GET /orders, `failing` of them failing, in the path's own log only. */
function inputFor(c: Case, path: Path, total: number, failing: number): RuleInput {
  const input = healthyInput();
  // Only the path under test carries data; the others are not set up (not failures).
  input.evidence['logs.execution'] = [];
  input.evidence['logs.access'] = [];
  input.evidence['logs.lambda'] = [];
  // Failures spread over the window (no onset: the share over the window decides), the newest a
  // minute ago: still happening, so severity is not lowered for age.
  const minutesAgo = (i: number) => (i < failing ? 1 + ((i * 37) % 100) : 1 + ((i * 7) % 100));
  if (path === 'execution') {
    const lines: LogLine[] = [];
    for (let i = 0; i < total; i++) {
      const id = `r-${i}`;
      const messages = i < failing ? [...ROUTE, ...(c.execution ?? [])] : [...ROUTE, 'Method completed with status: 200'];
      for (const m of messages) lines.push({ timestamp: at(minutesAgo(i)), message: `(${id}) ${m}` });
    }
    input.evidence['logs.execution'] = [{ stage: 'prod', logGroup: 'exec', lines }];
    setStatus(input, 'logs.access', 'not_configured');
    setStatus(input, 'logs.lambda', 'empty');
  } else if (path === 'access') {
    const records: AccessLogRecord[] = Array.from({ length: total }, (_, i) => {
      const failure = i < failing ? c.access : undefined;
      return {
        timestamp: at(minutesAgo(i)),
        requestId: `r-${i}`,
        httpMethod: 'GET',
        resourcePath: '/orders',
        status: failure?.status ?? 200,
        fields: failure?.fields ?? {},
      };
    });
    input.evidence['logs.access'] = [{ stage: 'prod', logGroup: 'access', format: 'json', records, unparsed: [] }];
    setStatus(input, 'logs.execution', 'not_configured');
    setStatus(input, 'logs.lambda', 'empty');
  } else {
    const kind = c.lambda?.kind ?? 'errors';
    input.evidence['logs.lambda'] = [
      {
        functionName: 'orders',
        logGroup: '/aws/lambda/orders',
        errors: kind === 'errors' ? failing : 0,
        timeouts: kind === 'timeouts' ? failing : 0,
        throttles: kind === 'throttles' ? failing : 0,
        lines: Array.from({ length: failing }, (_, i) => ({ timestamp: at(minutesAgo(i)), message: c.lambda?.message ?? 'ERROR' })),
        invocations: total,
        invocationsExact: true,
        lastInvocation: at(0.5),
      },
    ];
    setStatus(input, 'logs.execution', 'not_configured');
    setStatus(input, 'logs.access', 'not_configured');
  }
  return input;
}

/** Rules that say "seen N times" below their threshold (the others stay silent). */
const NOTES = new Set(['I3.malformed-proxy-response', 'I4.lambda-function-error', 'I5.lambda-throttled', 'I6.integration-timeout', 'T1.throttled', 'T2.quota-exceeded', 'A1.authorizer-denies']);

function aboveLow(findings: Finding[]): Finding[] {
  return findings.filter((f) => SEVERITY_RANK[f.severity] < SEVERITY_RANK.low && !f.inconclusive);
}

/** The smallest failing count that passes both the floor and the share for `total` requests. */
function atThreshold(t: Threshold, total: number): number {
  return Math.max(t.floor, Math.ceil(t.minShare * total - 1e-9));
}

describe('count thresholds, on every log path (REST)', () => {
  for (const c of CASES) {
    for (const path of c.paths) {
      describe(`${c.rule.id} on ${path} logs`, () => {
        // The share decides on busy traffic, the floor on quiet traffic.
        for (const total of [1000, 40]) {
          const k = atThreshold(c.threshold, total);
          const decides = k === c.threshold.floor ? 'floor' : 'share';
          it(`${total} requests: fires at the threshold (${k}, the ${decides})`, () => {
            expect(aboveLow(c.rule.evaluate(inputFor(c, path, total, k))).map((f) => f.rule)).toEqual([c.rule.id]);
          });
          it(`${total} requests: fires just above it (${k + 1})`, () => {
            expect(aboveLow(c.rule.evaluate(inputFor(c, path, total, k + 1))).map((f) => f.rule)).toEqual([c.rule.id]);
          });
          it(`${total} requests: just below it (${k - 1}) gives at most a low "seen N times" note`, () => {
            const findings = c.rule.evaluate(inputFor(c, path, total, k - 1));
            expect(aboveLow(findings)).toEqual([]);
            expect(findings.every((f) => f.severity === 'low' && /seen \d+ times?/.test(f.title))).toBe(true);
            if (NOTES.has(c.rule.id)) expect(findings.length).toBe(1);
          });
        }
        it('high volume, low share: many failures, a small share of busy traffic, at most a low note', () => {
          const total = 20_000;
          const failing = Math.floor((c.threshold.minShare / 2) * total);
          expect(failing).toBeGreaterThanOrEqual(10 * c.threshold.floor);
          expect(aboveLow(c.rule.evaluate(inputFor(c, path, total, failing)))).toEqual([]);
        });
      });
    }
  }
});

describe('severity follows the share of traffic and whether it is still happening', () => {
  const i4 = CASES[1]!;
  it('a majority share, still happening: the rule\'s own severity', () => {
    expect(i4LambdaFunctionError.evaluate(inputFor(i4, 'access', 100, 60))[0]?.severity).toBe('high');
  });
  it('a small share above the threshold, spread over the window: one step lower', () => {
    const input = inputFor(i4, 'access', 1000, 50);
    input.evidence['logs.access']![0]!.records.slice(0, 50).forEach((record, i) => (record.timestamp = at(1 + i * 2)));
    expect(i4LambdaFunctionError.evaluate(input)[0]?.severity).toBe('medium');
  });
  it('a majority share that stopped well before the window end, with traffic after it: one step lower', () => {
    const input = inputFor(i4, 'access', 100, 60);
    for (const record of input.evidence['logs.access']![0]!.records) if (record.status === 502) record.timestamp = at(90);
    expect(i4LambdaFunctionError.evaluate(input)[0]?.severity).toBe('medium');
  });
  it('a recent outage is judged by the traffic since it began, not the whole window', () => {
    // 1,000 healthy requests over the window, then the last 40 all fail: 4% of the window, all of the traffic now.
    const input = inputFor(i4, 'access', 1000, 0);
    const records = input.evidence['logs.access']![0]!.records;
    for (const record of records) record.timestamp = at(20 + (record.timestamp % 90));
    for (let i = 0; i < 40; i++) records.push({ timestamp: at(10 - i / 5), requestId: `o-${i}`, httpMethod: 'GET', resourcePath: '/orders', status: 502, fields: {} });
    const [f] = aboveLow(i4LambdaFunctionError.evaluate(input));
    expect(f).toMatchObject({ severity: 'high' });
    expect(f?.detail).toMatch(/100% since \d\d:\d\d/);
    expect(f?.figures?.[0]?.onset).toBeDefined();
  });
  it('the Lambda path weighs errors against the function\'s invocations, not their raw count', () => {
    // The issue's own case: 5 function errors among about 1,400 invocations is background noise.
    expect(aboveLow(i4LambdaFunctionError.evaluate(inputFor(i4, 'lambda', 1400, 5)))).toEqual([]);
    expect(aboveLow(i6IntegrationTimeout.evaluate(inputFor(CASES[3]!, 'lambda', 1400, 6)))).toEqual([]);
  });
  it('per route: a small route failing for most callers fires although the stage share is small', () => {
    const input = inputFor(i4, 'access', 1000, 0);
    const records = input.evidence['logs.access']![0]!.records;
    for (let i = 0; i < 12; i++) records.push({ timestamp: at(1), requestId: `p-${i}`, httpMethod: 'GET', resourcePath: '/orders/{id}', status: i < 10 ? 502 : 200, fields: {} });
    const [f] = aboveLow(i4LambdaFunctionError.evaluate(input));
    expect(f?.detail).toMatch(/10 of 12 requests .* on GET \/orders\/\{id\}/);
  });
});
