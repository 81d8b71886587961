import type { AccessLogRecord } from '../../core/evidence.js';
import { evidenceOf, finding } from '../helpers.js';
import { defineRule, type RuleInput } from '../types.js';
import { accessRefs, contextValue, countRecords, INTEGRATION_ERROR } from './access.js';
import { lambdaIntegrations } from './integrations.js';

const TIMEOUT_TEXT = /timed? ?out|timeout/i;
const HTTP_API_MAX_MS = 30_000;

/**
 * Which access records are integration timeouts: 503/504 with a timeout text, on a route whose
 * function may run longer than its integration waits, or with the integration latency at its limit.
 */
export function integrationTimeouts(input: RuleInput): (record: AccessLogRecord) => boolean {
  const integrations = evidenceOf(input, 'apigwv2.routes');
  const routes = integrations?.routes ?? [];
  const timeoutOf = (routeKey: string | undefined) => {
    const route = routes.find((r) => r.routeKey === routeKey);
    const integration = integrations?.integrations.find((i) => i.integrationId === route?.integrationId);
    return integration?.timeoutInMillis ?? HTTP_API_MAX_MS;
  };
  // Routes whose function may run longer than its integration waits: their 503/504s are timeouts.
  const lambdaLogs = evidenceOf(input, 'logs.lambda') ?? [];
  const outlasting = new Set(
    lambdaIntegrations(input)
      .filter((i) => (i.fn?.timeout !== undefined && i.fn.timeout * 1000 > (i.integration.timeoutInMillis ?? HTTP_API_MAX_MS)) || lambdaLogs.some((l) => l.functionName === i.fn?.functionName && l.timeouts > 0))
      .flatMap((i) => i.routes.map((r) => r.routeKey)),
  );
  return (r) => {
    if (r.status !== 503 && r.status !== 504) return false;
    if (TIMEOUT_TEXT.test(contextValue(r, ...INTEGRATION_ERROR, 'error.message') ?? '')) return true;
    if (outlasting.has(contextValue(r, 'routeKey') ?? '')) return true;
    const latency = Number(contextValue(r, 'integration.latency', 'integrationLatency', 'responseLatency'));
    return Number.isFinite(latency) && latency >= 0.95 * timeoutOf(contextValue(r, 'routeKey'));
  };
}

/**
 * H21: the integration does not answer within TimeoutInMillis (at most 30 s for HTTP APIs, not
 * raisable): the client gets 503 `{"message":"Service Unavailable"}` (or 504), the integration
 * latency sits at the limit, and a Lambda function with a longer timeout keeps running.
 */
export const h21IntegrationTimeout = defineRule({
  id: 'H21.integration-timeout',
  severity: 'high',
  title: 'Integrations time out (HTTP APIs wait at most 30 s)',
  evaluate(input) {
    const integrations = evidenceOf(input, 'apigwv2.routes');
    const { count, matches: timedOut } = countRecords(input, { what: 'Integration timeouts (503/504 at the integration timeout)', family: 'server' }, integrationTimeouts(input));
    if (!count.passes) return [];
    const slow = lambdaIntegrations(input).filter((i) => i.fn?.timeout !== undefined && i.fn.timeout * 1000 > (i.integration.timeoutInMillis ?? HTTP_API_MAX_MS));
    const limits = [...new Set((integrations?.integrations ?? []).map((i) => `${i.integrationId} ${i.timeoutInMillis ?? HTTP_API_MAX_MS} ms`))];
    return [
      finding(this, {
        severity: count.severity(this.severity),
        figures: count.figures,
        detail: `${count.text()} Integration timeouts: ${limits.join(', ')} (HTTP APIs cap it at 30 s).${slow.length ? ` ${slow.map((i) => `${i.fn?.functionName} may run ${i.fn?.timeout} s, longer than its integration waits`).join('; ')}: it keeps running after the client got 503.` : ''}`,
        evidence: [...accessRefs(timedOut, 'timed out', [...INTEGRATION_ERROR, 'integration.latency', 'integrationLatency']), ...slow.map((i) => ({ source: 'lambda.functions', key: i.fn?.functionName ?? '?', quote: `${i.fn?.functionName} Timeout ${i.fn?.timeout} s > integration ${i.integration.timeoutInMillis ?? HTTP_API_MAX_MS} ms` }))],
        fix: 'Make the backend answer within the integration timeout (30 s at most for HTTP APIs): move long work to an asynchronous flow (queue + status endpoint), and set the function timeout at or below the integration timeout.',
      }),
    ];
  },
});
