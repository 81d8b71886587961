import { callerEndpoints, vpcOf } from '../endpoints.js';
import { finding, isPrivateApi, requireSources } from '../helpers.js';
import { defineRule } from '../types.js';

/** N3: private DNS on an endpoint works only when the VPC has DNS support and DNS hostnames on. */
export const n3VpcDnsAttributesOff = defineRule({
  id: 'N3.vpc-dns-attributes-off',
  severity: 'high',
  title: 'VPC DNS attributes are off, so the endpoint private DNS cannot resolve',
  evaluate(input) {
    if (!isPrivateApi(input)) return [];
    const blocked = requireSources(input, this, ['ec2.vpc-endpoints'], 'VPC DNS attributes that break endpoint private DNS');
    if (blocked) return blocked;
    return callerEndpoints(input).flatMap((endpoint) => {
      const vpc = vpcOf(input, endpoint.vpcId);
      if (!endpoint.privateDnsEnabled || !vpc) return [];
      const off = [vpc.enableDnsSupport === false ? 'enableDnsSupport' : '', vpc.enableDnsHostnames === false ? 'enableDnsHostnames' : ''].filter(Boolean);
      if (!off.length) return [];
      return [
        finding(this, {
          detail: `Endpoint ${endpoint.vpcEndpointId} has private DNS on, but VPC ${vpc.vpcId} has ${off.join(' and ')} false: the execute-api name does not resolve to the endpoint (NXDOMAIN or public IPs, then 403).`,
          evidence: [
            { source: 'ec2.vpc-endpoints', key: vpc.vpcId, quote: `${vpc.vpcId} ${off.map((a) => `${a}=false`).join(' ')}` },
            { source: 'ec2.vpc-endpoints', key: endpoint.vpcEndpointId, quote: `${endpoint.vpcEndpointId} PrivateDnsEnabled true` },
          ],
          fix: `Turn on ${off.join(' and ')} for ${vpc.vpcId} (aws ec2 modify-vpc-attribute).`,
        }),
      ];
    });
  },
});
