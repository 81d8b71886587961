import { describe, expect, it } from 'vitest';
import { n4PrivateDnsOff as rule } from '../../../src/rules/network/n4-private-dns-off.js';
import { asRegional, failSource, healthyInput } from '../fixtures.js';

describe('N4.private-dns-off', () => {
  it('fires medium when private DNS is off and the API has no endpoint association', () => {
    const input = healthyInput();
    input.evidence['ec2.vpc-endpoints']!.endpoints[0]!.privateDnsEnabled = false;
    input.evidence['apigw.rest-api']!.vpcEndpointIds = [];
    expect(rule.evaluate(input)[0]).toMatchObject({ severity: 'medium' });
  });

  it('is low when the API is associated with the endpoint (the <apiId>-<vpceId> alias works)', () => {
    const input = healthyInput();
    input.evidence['ec2.vpc-endpoints']!.endpoints[0]!.privateDnsEnabled = false;
    expect(rule.evaluate(input)[0]?.fix).toContain('a1b2c3d4e5-vpce-0a1');
  });

  it('stays silent with private DNS on or for a public API (near miss)', () => {
    expect(rule.evaluate(healthyInput())).toEqual([]);
    expect(rule.evaluate(asRegional(healthyInput()))).toEqual([]);
  });

  it('is inconclusive when the endpoints could not be read', () => {
    expect(rule.evaluate(failSource(healthyInput(), 'ec2.vpc-endpoints'))[0]).toMatchObject({ inconclusive: true });
  });
});
