import type { LambdaNetworkReachEvidence } from '../../core/evidence.js';
import { clip, evidenceOf, finding } from '../helpers.js';
import { defineRule } from '../types.js';

/**
 * L1 (the seed's story): a VPC-attached function cannot reach an AWS service it needs (another
 * Lambda function, STS, Secrets Manager, S3...): its subnets have no NAT route and the VPC has no
 * usable endpoint for that service (missing, private DNS off, or its security group refusing the
 * function). The calls hang until the function times out, or fail with ETIMEDOUT/ENOTFOUND.
 */
const FAILURE = /ETIMEDOUT|ECONNREFUSED|ENOTFOUND|EAI_AGAIN|timed? ?out|Could not connect to the endpoint|Connect timeout|connection timeout|socket hang up|TimeoutError|UnknownEndpoint/i;
const HOST = /(?<![\w-])(?:https?:\/\/)?([a-z0-9-]+)(?:\.(?:fips\.)?[a-z]{2}(?:-gov)?-[a-z]+-\d)?\.amazonaws\.com/gi;

/** Services named in the function's failing log lines (by the hostnames the SDK calls). */
export function servicesInErrors(lines: { message: string }[]): Map<string, string> {
  const found = new Map<string, string>();
  for (const { message } of lines) {
    if (!FAILURE.test(message)) continue;
    for (const m of message.matchAll(HOST)) {
      const service = m[1]?.toLowerCase();
      if (service && !found.has(service)) found.set(service, message);
    }
  }
  return found;
}

function whyUnreachable(reach: LambdaNetworkReachEvidence, service: string): string | undefined {
  if (reach.subnets.some((s) => s.natRoute)) return undefined;
  if (reach.subnets.some((s) => s.otherDefaultRoute)) return undefined; // a transit gateway may lead to a NAT elsewhere
  const endpoints = reach.endpoints.filter((e) => e.service === service || e.service.endsWith(`.${service}`));
  const gateway = endpoints.find((e) => e.type === 'Gateway');
  if (gateway) {
    const routed = reach.subnets.every((s) => s.gatewayEndpointIds.includes(gateway.vpcEndpointId));
    return routed ? undefined : `gateway endpoint ${gateway.vpcEndpointId} is not in the route tables of its subnets`;
  }
  const iface = endpoints.find((e) => e.type !== 'Gateway');
  const route = reach.subnets.some((s) => s.internetGatewayOnly) ? 'its subnets route 0.0.0.0/0 only to an internet gateway (a function has no public IP)' : 'its subnets have no NAT route';
  if (!iface) return `${route} and ${reach.vpcId ?? 'its VPC'} has no ${service} endpoint`;
  if (iface.state !== 'available') return `${route} and ${service} endpoint ${iface.vpcEndpointId} is ${iface.state}`;
  if (!iface.privateDnsEnabled) return `${route} and ${service} endpoint ${iface.vpcEndpointId} has private DNS off (the SDK's default hostname resolves to public addresses)`;
  if (iface.admitsFunction === false) return `${route} and the security groups of ${service} endpoint ${iface.vpcEndpointId} (${iface.securityGroupIds.join(', ')}) do not admit 443 from the function`;
  return undefined;
}

export const l1LambdaCannotReachService = defineRule({
  id: 'L1.lambda-cannot-reach-service',
  severity: 'high',
  title: 'A VPC-attached function cannot reach an AWS service it calls',
  evaluate(input) {
    const reach = evidenceOf(input, 'lambda.network-reach') ?? [];
    const logs = evidenceOf(input, 'logs.lambda') ?? [];
    const findings = [];
    for (const r of reach) {
      if (r.unreadable || !r.subnets.length) continue;
      const log = logs.find((l) => l.functionName === r.functionName);
      const fromErrors = servicesInErrors(log?.lines ?? []);
      const failing = (log?.errors ?? 0) + (log?.timeouts ?? 0) > 0;
      const needed = new Set([...r.servicesFromEnvironment, ...fromErrors.keys()]);
      const blocked = [...needed].flatMap((service) => {
        const why = whyUnreachable(r, service);
        return why ? [{ service, why, seen: fromErrors.get(service) }] : [];
      });
      if (!blocked.length) continue;
      const confirmed = blocked.some((b) => b.seen) || failing;
      findings.push(
        finding(this, {
          // From configuration alone it is a lead, not a cause: nothing shows the calls failing.
          ...(confirmed ? {} : { severity: 'low' as const }),
          detail: `${r.functionName} runs in ${r.vpcId ?? 'a VPC'} and cannot reach ${blocked.map((b) => `${b.service} (${b.why})`).join('; ')}.${
            blocked.some((b) => b.seen) ? ' Its logs show the calls failing.' : failing ? ` Its logs show ${log?.timeouts ?? 0} timeouts and ${log?.errors ?? 0} errors.` : ' Its configuration names these services; no failure is logged in the window.'
          }`,
          evidence: [
            { source: 'lambda.network-reach', key: r.functionName, quote: clip(`${r.functionName} subnets ${r.subnets.map((s) => `${s.subnetId}→${s.routeTableId ?? '?'}${s.natRoute ? ' NAT' : ' no NAT'}`).join(', ')}; endpoints ${r.endpoints.map((e) => `${e.service}${e.privateDnsEnabled ? '' : ' (no private DNS)'}`).join(', ') || 'none'}`) },
            ...blocked.filter((b) => b.seen).slice(0, 2).map((b) => ({ source: 'logs.lambda', key: r.functionName, quote: clip(b.seen ?? '') })),
          ],
          fix: `Create an interface VPC endpoint com.amazonaws.${input.target.region}.${blocked[0]?.service} in ${r.vpcId ?? 'the VPC'} (private DNS on, security group admitting 443 from ${r.securityGroupIds.join(', ') || 'the function'})${blocked.some((b) => ['s3', 'dynamodb'].includes(b.service)) ? ', a gateway endpoint for S3/DynamoDB in the subnets\' route tables,' : ''} or a NAT gateway route for its subnets.`,
        }),
      );
    }
    return findings;
  },
});
