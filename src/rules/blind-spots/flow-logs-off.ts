import { coverageRow, evidenceOf, finding, isPrivateApi } from '../helpers.js';
import { defineRule } from '../types.js';

/** For a private API, flow logs are the only trace of connections refused before API Gateway (N2). */
export const flowLogsOff = defineRule({
  id: 'B.flow-logs-off',
  severity: 'low',
  title: 'No VPC flow logs: refused connections to the endpoint are invisible',
  evaluate(input) {
    if (!isPrivateApi(input)) return [];
    const row = coverageRow(input, 'ec2.flow-logs');
    const logs = evidenceOf(input, 'ec2.flow-logs');
    if (row?.status !== 'not_configured' && !(logs && logs.flowLogs.length === 0)) return [];
    const endpoints = (evidenceOf(input, 'ec2.vpc-endpoints')?.endpoints ?? []).filter((e) => !e.missing);
    const vpcs = [...new Set(endpoints.map((e) => e.vpcId).filter(Boolean))];
    // No endpoint, no endpoint traffic to log: the missing endpoint is the finding (N5), not its logs.
    if (vpcs.length === 0) return [];
    return [
      finding(this, {
        detail: `No flow logs cover the endpoint VPC(s) ${vpcs.join(', ')}: connections refused by a security group or NACL before API Gateway (N2) leave no record anywhere.`,
        evidence: [{ source: 'ec2.flow-logs', quote: row?.reason ?? 'no flow logs' }],
        fix: `Create a flow log (REJECT or ALL) for ${vpcs.join(', ')} to CloudWatch Logs.`,
      }),
    ];
  },
});
