import { describe, expect, it } from 'vitest';
import { n5EndpointNotAvailable as rule } from '../../../src/rules/network/n5-endpoint-not-available.js';
import { failSource, healthyInput } from '../fixtures.js';

describe('N5.endpoint-not-available', () => {
  it('fires when the API endpoint is pending or failed', () => {
    const input = healthyInput();
    input.evidence['ec2.vpc-endpoints']!.endpoints[0]!.state = 'failed';
    expect(rule.evaluate(input)[0]?.evidence[0]?.quote).toBe('vpce-0a1 state failed');
  });

  it('fires when the API lists an endpoint that no longer exists', () => {
    const input = healthyInput();
    input.evidence['ec2.vpc-endpoints']!.endpoints.push({ ...input.evidence['ec2.vpc-endpoints']!.endpoints[0]!, vpcEndpointId: 'vpce-gone', missing: true, state: 'deleted' });
    expect(rule.evaluate(input)[0]?.evidence[0]?.quote).toContain('vpce-gone is listed by the API but does not exist');
  });

  it('ignores an unrelated unavailable endpoint when the API names its own (near miss)', () => {
    const input = healthyInput();
    input.evidence['ec2.vpc-endpoints']!.endpoints.push({ ...input.evidence['ec2.vpc-endpoints']!.endpoints[0]!, vpcEndpointId: 'vpce-other', referencedByApi: false, state: 'pending' });
    expect(rule.evaluate(input)).toEqual([]);
  });

  it('is inconclusive without endpoint data', () => {
    expect(rule.evaluate(failSource(healthyInput(), 'ec2.vpc-endpoints'))[0]).toMatchObject({ inconclusive: true });
  });
});

describe('N5.endpoint-not-available: a private API without any endpoint', () => {
  function withoutEndpoints(accounts: { accountId: string; status: 'read' | 'no_role' | 'error'; seenIn: string[] }[] = [{ accountId: '111111111111', status: 'read', seenIn: ['home'] }]) {
    const input = healthyInput();
    input.evidence['apigw.rest-api']!.vpcEndpointIds = [];
    input.evidence['ec2.vpc-endpoints'] = { endpoints: [], vpcs: [], accounts, lookups: [] };
    input.coverage = input.coverage.map((r) => (r.source === 'ec2.vpc-endpoints' ? { ...r, status: 'not_configured', reason: 'PRIVATE API, but the account has no execute-api interface VPC endpoint and the API names none' } : r));
    return input;
  }

  it('is critical: nobody can call the API', () => {
    const [f, ...rest] = rule.evaluate(withoutEndpoints());
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ severity: 'critical', title: 'The private API has no VPC endpoint: nobody can call it' });
    expect(f?.inconclusive).toBeUndefined();
    expect(f?.fix).toContain('com.amazonaws.us-east-1.execute-api');
  });

  it('cannot rule it out when an account involved could not be read (near miss)', () => {
    const [f] = rule.evaluate(withoutEndpoints([{ accountId: '111111111111', status: 'read', seenIn: ['home'] }, { accountId: '222222222222', status: 'no_role', seenIn: ['the resource policy'] }]));
    expect(f).toMatchObject({ severity: 'low', inconclusive: true });
  });
});

describe('N5.endpoint-not-available: endpoints named only by the policy', () => {
  it('cannot say "nobody" when the policy names an endpoint no account read has (it may be a caller\'s)', () => {
    const input = healthyInput();
    input.evidence['apigw.rest-api']!.vpcEndpointIds = [];
    input.evidence['ec2.vpc-endpoints'] = {
      endpoints: [],
      vpcs: [],
      accounts: [{ accountId: '111111111111', status: 'read', seenIn: ['home'] }],
      lookups: [{ vpcEndpointId: 'vpce-0a1', status: 'missing', namedBy: ['policy'] }],
    };
    const [f] = rule.evaluate(input);
    expect(f).toMatchObject({ inconclusive: true });
    expect(f?.detail).toContain('vpce-0a1');
  });
});
