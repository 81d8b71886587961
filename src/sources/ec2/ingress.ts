import type { IpPermission } from '@aws-sdk/client-ec2';
import type { IngressRuleEvidence } from '../../core/evidence.js';

/** Whether an inbound rule admits TCP 443: protocol tcp (6) covering the port, or all traffic (-1). */
export function admitsHttps(permission: IpPermission): boolean {
  const protocol = String(permission.IpProtocol ?? '').toLowerCase();
  if (protocol === '-1' || protocol === 'all') return true;
  if (protocol !== 'tcp' && protocol !== '6') return false;
  const from = permission.FromPort ?? 0;
  const to = permission.ToPort ?? 65535;
  return from <= 443 && 443 <= to;
}

export function toIngressRule(permission: IpPermission): IngressRuleEvidence {
  const rule: IngressRuleEvidence = {
    ipProtocol: permission.IpProtocol ?? '',
    cidrs: (permission.IpRanges ?? []).map((r) => r.CidrIp ?? '').filter(Boolean),
    ipv6Cidrs: (permission.Ipv6Ranges ?? []).map((r) => r.CidrIpv6 ?? '').filter(Boolean),
    sourceGroupIds: (permission.UserIdGroupPairs ?? []).map((p) => p.GroupId ?? '').filter(Boolean),
    prefixListIds: (permission.PrefixListIds ?? []).map((p) => p.PrefixListId ?? '').filter(Boolean),
  };
  if (permission.FromPort !== undefined) rule.fromPort = permission.FromPort;
  if (permission.ToPort !== undefined) rule.toPort = permission.ToPort;
  return rule;
}
