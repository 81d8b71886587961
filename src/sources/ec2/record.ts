import type { CapturedCall, ScenarioWriter } from '../../core/recording.js';
import { itemsOf, text } from '../record.js';

/** EC2's Describe answers: the list each returns, by its id, into the scenario's `ec2` section. */
const LISTS: Record<string, { output: string; section: string; id: string }> = {
  DescribeVpcEndpoints: { output: 'VpcEndpoints', section: 'vpcEndpoints', id: 'VpcEndpointId' },
  DescribeVpcs: { output: 'Vpcs', section: 'vpcs', id: 'VpcId' },
  DescribeSecurityGroups: { output: 'SecurityGroups', section: 'securityGroups', id: 'GroupId' },
  DescribeNetworkInterfaces: { output: 'NetworkInterfaces', section: 'networkInterfaces', id: 'NetworkInterfaceId' },
  DescribeFlowLogs: { output: 'FlowLogs', section: 'flowLogs', id: 'FlowLogId' },
  DescribeRouteTables: { output: 'RouteTables', section: 'routeTables', id: 'RouteTableId' },
  DescribeSubnets: { output: 'Subnets', section: 'subnets', id: 'SubnetId' },
};

/** DescribeVpcAttribute's answer is the scenario's lowercase helper on the VPC. */
const ATTRIBUTES: Record<string, string> = { EnableDnsSupport: 'enableDnsSupport', EnableDnsHostnames: 'enableDnsHostnames' };

export function writeEc2Answer(call: CapturedCall, w: ScenarioWriter): void {
  if (call.service !== 'ec2' || !call.output) return;
  const out = call.output;
  if (call.operation === 'DescribeVpcAttribute') {
    const VpcId = text(out.VpcId) ?? text(call.input.VpcId);
    if (!VpcId) return;
    for (const [key, helper] of Object.entries(ATTRIBUTES)) {
      const value = (out[key] as { Value?: unknown } | undefined)?.Value;
      if (typeof value === 'boolean') w.put(call.accountId, ['ec2', 'vpcs', { VpcId }], { [helper]: value });
    }
    return;
  }
  const list = LISTS[call.operation];
  if (!list) return;
  for (const item of itemsOf(out, list.output)) {
    const id = text(item[list.id]);
    if (id) w.put(call.accountId, ['ec2', list.section, { [list.id]: id }], item);
  }
}
