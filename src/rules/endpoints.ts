import type { VpcEndpointEvidence, VpcEvidence } from '../core/evidence.js';
import { evidenceOf } from './helpers.js';
import type { RuleInput } from './types.js';

/**
 * The execute-api endpoints that callers of this private API use: those the API lists in its
 * endpointConfiguration when it lists any, otherwise every execute-api endpoint found.
 */
export function callerEndpoints(input: RuleInput): VpcEndpointEvidence[] {
  const endpoints = (evidenceOf(input, 'ec2.vpc-endpoints')?.endpoints ?? []).filter((e) => !e.missing);
  const referenced = endpoints.filter((e) => e.referencedByApi);
  return referenced.length ? referenced : endpoints;
}

export function vpcOf(input: RuleInput, vpcId: string): VpcEvidence | undefined {
  return evidenceOf(input, 'ec2.vpc-endpoints')?.vpcs.find((v) => v.vpcId === vpcId);
}

export function isAvailable(endpoint: VpcEndpointEvidence): boolean {
  return endpoint.state.toLowerCase() === 'available';
}
