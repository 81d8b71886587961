import { describe, expect, it } from 'vitest';
import type { AccessLogRecord } from '../../../src/core/evidence.js';
import { defaultEndpointUse, disablingChange } from '../../../src/rules/default-endpoint.js';
import { r6DefaultEndpointDisabled as rule } from '../../../src/rules/routing/r6-default-endpoint-disabled.js';
import { accessRecord, API_ID, at, healthyInput } from '../fixtures.js';

const DEFAULT_HOST = `${API_ID}.execute-api.us-east-1.amazonaws.com`;
const CUSTOM = 'orders.internal.example.com';

/** `total` requests in the first hour of the window, `onDefault` of them on the default endpoint; disabled 60 minutes ago. */
function disabledWhileUsed(onDefault: number, total: number, options: { change?: boolean; domainField?: boolean } = {}) {
  const input = healthyInput();
  input.evidence['apigw.rest-api']!.disableExecuteApiEndpoint = true;
  const records: AccessLogRecord[] = Array.from({ length: total }, (_, i) =>
    accessRecord({ requestId: `r-${i}`, timestamp: at(110 - (i * 45) / total) }, options.domainField === false ? {} : { domainName: i < onDefault ? DEFAULT_HOST : CUSTOM }),
  );
  // After the change only the custom domain's traffic arrives.
  records.push(...Array.from({ length: 50 }, (_, i) => accessRecord({ requestId: `late-${i}`, timestamp: at(50 - i / 2) }, options.domainField === false ? {} : { domainName: CUSTOM })));
  input.evidence['logs.access']![0]!.records = records;
  if (options.change !== false) {
    input.evidence['cloudtrail.changes']!.push({
      eventId: 'e-disable',
      eventName: 'UpdateRestApi',
      eventTime: new Date(at(60)).toISOString(),
      eventSource: 'apigateway.amazonaws.com',
      username: 'platform-admin',
      requestParameters: { restApiId: API_ID, patch: { patchOperations: [{ op: 'replace', path: '/disableExecuteApiEndpoint', value: 'true' }] } },
      resources: [],
    });
  }
  return input;
}

describe('R6.default-endpoint-disabled', () => {
  it('fires high when the default endpoint is disabled and no domain serves the API', () => {
    const input = healthyInput();
    input.evidence['apigw.rest-api']!.disableExecuteApiEndpoint = true;
    input.evidence['apigw.domains'] = [];
    expect(rule.evaluate(input)[0]).toMatchObject({ severity: 'high', evidence: [{ quote: 'a1b2c3d4e5 disableExecuteApiEndpoint true' }] });
  });

  it('follows the share of traffic that used the default URL before it was disabled, with a figure', () => {
    const [f] = rule.evaluate(disabledWhileUsed(40, 120));
    expect(f?.severity).toBe('high');
    expect(f?.detail).toContain('40 of 120 requests (33.3%)');
    expect(f?.detail).toContain('before it was disabled at');
    expect(f?.evidence).toContainEqual(expect.objectContaining({ source: 'cloudtrail.changes', key: 'e-disable' }));
    expect(f?.figures).toEqual([
      expect.objectContaining({ numerator: 40, denominator: 120, unit: 'requests', exact: true, basis: 'logs', until: new Date(at(60)).toISOString(), scope: { kind: 'stage', name: 'prod' } }),
    ]);
  });

  it('is medium past the floor and share, low below them, info when nobody used it', () => {
    expect(rule.evaluate(disabledWhileUsed(6, 120))[0]?.severity).toBe('medium');
    expect(rule.evaluate(disabledWhileUsed(5, 120))[0]?.severity).toBe('medium');
    expect(rule.evaluate(disabledWhileUsed(4, 120))[0]?.severity).toBe('low');
    expect(rule.evaluate(disabledWhileUsed(0, 120))[0]?.severity).toBe('info');
  });

  it('is low, not info, when the logs cannot say which domain was called', () => {
    const [f] = rule.evaluate(disabledWhileUsed(40, 120, { domainField: false }));
    expect(f?.severity).toBe('low');
    expect(f?.detail).toContain('lacks $context.domainName');
  });

  it('counts the whole window when the change is not in CloudTrail (those callers are failing now)', () => {
    const use = defaultEndpointUse(disabledWhileUsed(40, 120, { change: false }));
    expect(use.beforeChange).toBe(false);
    expect(use.figure).toMatchObject({ numerator: 40, denominator: 170, what: 'requests to the default execute-api endpoint' });
  });

  it('recognises the change in REST and HTTP API CloudTrail records, not other updates (near miss)', () => {
    const input = disabledWhileUsed(1, 10, { change: false });
    const event = (requestParameters: Record<string, unknown>, eventName = 'UpdateApi') => ({ eventId: 'x', eventName, eventTime: new Date(at(30)).toISOString(), eventSource: 'apigateway.amazonaws.com', requestParameters, resources: [] });
    input.evidence['cloudtrail.changes'] = [event({ apiId: API_ID, disableExecuteApiEndpoint: true })];
    expect(disablingChange(input)?.eventName).toBe('UpdateApi');
    input.evidence['cloudtrail.changes'] = [event({ apiId: API_ID, disableExecuteApiEndpoint: false }), event({ restApiId: 'zzzzzzzzzz', disableExecuteApiEndpoint: true })];
    expect(disablingChange(input)).toBeUndefined();
  });

  it('does not fire when the default endpoint is on', () => {
    expect(rule.evaluate(healthyInput())).toEqual([]);
  });
});
