import { DescribeFlowLogsCommand, type FlowLog } from '@aws-sdk/client-ec2';
import type { FlowLogConfigEvidence, FlowRecordEvidence } from '../../core/evidence.js';
import type { AwsClients } from '../../aws/clients.js';
import type { VpcEndpointEvidence } from '../../core/evidence.js';
import { clientsFor, homeAccountOf, listText, plural } from '../cross-account.js';
import { combineTruncation, readLogGroup } from '../logs/read-log-group.js';
import { collectPages } from '../paginate.js';
import { defineSource, type SourceContext } from '../types.js';
import { DEFAULT_FLOW_LOG_FORMAT, flowLogFields, parseFlowRecord } from './flow-log-format.js';
import { recordLogReads } from '../logs/record.js';
import { recordAnswers } from '../record.js';
import { writeEc2Answer } from './record.js';

function toConfig(flowLog: FlowLog): FlowLogConfigEvidence {
  const config: FlowLogConfigEvidence = {
    flowLogId: flowLog.FlowLogId ?? '',
    resourceId: flowLog.ResourceId ?? '',
    logFormat: flowLog.LogFormat || DEFAULT_FLOW_LOG_FORMAT,
  };
  if (flowLog.TrafficType) config.trafficType = flowLog.TrafficType;
  if (flowLog.LogDestinationType) config.logDestinationType = flowLog.LogDestinationType;
  if (flowLog.LogGroupName) config.logGroupName = flowLog.LogGroupName;
  if (flowLog.FlowLogStatus) config.flowLogStatus = flowLog.FlowLogStatus;
  if (flowLog.DeliverLogsStatus) config.deliverLogsStatus = flowLog.DeliverLogsStatus;
  return config;
}

/** CloudWatch Logs destinations: the group name, or the last part of a log-group ARN. */
function logGroupOf(flowLog: FlowLog): string | undefined {
  if (flowLog.LogGroupName) return flowLog.LogGroupName;
  const arn = flowLog.LogDestination;
  return arn ? /:log-group:([^:]+)/.exec(arn)?.[1] : undefined;
}

async function describeFlowLogs(ctx: SourceContext, clients: AwsClients, endpoints: VpcEndpointEvidence[]): Promise<FlowLog[]> {
  const vpcIds = [...new Set(endpoints.map((e) => e.vpcId).filter(Boolean))];
  const resourceIds = [...new Set([...vpcIds, ...endpoints.flatMap((e) => [...e.subnetIds, ...e.networkInterfaceIds])])];
  const described = await collectPages(async (NextToken) => {
    const out = await clients.ec2.send(
      new DescribeFlowLogsCommand({ Filter: [{ Name: 'resource-id', Values: resourceIds }], ...(NextToken ? { NextToken } : {}) }),
    );
    return { items: out.FlowLogs ?? [], ...(out.NextToken ? { next: out.NextToken } : {}) };
  }, ctx.limits);
  return described.items;
}

export const flowLogsSource = defineSource({
  id: 'ec2.flow-logs',
  title: 'VPC flow logs',
  dependsOn: ['ec2.vpc-endpoints'],
  calls: { chain: 2, why: 'FilterLogEvents reads the log group that DescribeFlowLogs names' },
  // The addresses the custom domains resolve to are read too: a private custom domain, or a stale record.
  after: ['dns.custom-domains'],
  async run(ctx) {
    const endpointsRow = ctx.coverage('ec2.vpc-endpoints');
    const endpoints = (ctx.evidence['ec2.vpc-endpoints']?.endpoints ?? []).filter((e) => !e.missing);
    if (endpointsRow?.status === 'not_applicable' || endpointsRow?.status === 'not_configured' || endpoints.length === 0) {
      return { status: 'not_applicable', reason: 'no VPC endpoint whose traffic to check', evidence: { flowLogs: [], rejects: [] } };
    }
    const vpcIds = [...new Set(endpoints.map((e) => e.vpcId).filter(Boolean))];
    // Each endpoint's flow logs live in its own account: describe them there, read them there.
    const home = homeAccountOf(ctx);
    const byAccount = new Map<string, VpcEndpointEvidence[]>();
    for (const e of endpoints) byAccount.set(e.accountId ?? home ?? '', [...(byAccount.get(e.accountId ?? home ?? '') ?? []), e]);
    const unreadAccounts: string[] = [];
    const described = await Promise.all(
      [...byAccount].map(async ([account, list]) => {
        const access = clientsFor(ctx, account || undefined);
        if ('unreadable' in access) {
          unreadAccounts.push(`account ${account} (${access.unreadable})`);
          return [];
        }
        try {
          return (await describeFlowLogs(ctx, access.clients, list)).map((flowLog) => ({ flowLog, clients: access.clients }));
        } catch (err) {
          if (!account || account === home) throw err;
          unreadAccounts.push(`account ${account} (${(err as Error).name})`);
          return [];
        }
      }),
    );
    const located = described.flat();
    const flowLogs = located.map((l) => l.flowLog);
    const readAccounts = [...new Set(located.map((l) => l.clients.accountId).filter((a): a is string => Boolean(a)))];
    const accountsNote = readAccounts.length > 1 ? `; in accounts ${listText(readAccounts)}` : '';
    const unreadNote = `${accountsNote}${unreadAccounts.length ? `; not read: ${listText(unreadAccounts)}` : ''}`;
    if (flowLogs.length === 0) {
      return {
        status: 'not_configured',
        reason: `no flow log on ${listText(vpcIds)}, their endpoint subnets or ENIs${unreadNote}`,
        hint: `create a VPC flow log for ${listText(vpcIds)} to CloudWatch Logs`,
        evidence: { flowLogs: [], rejects: [] },
      };
    }
    const configs = flowLogs.map(toConfig);
    const readable = flowLogs.filter((f) => (f.LogDestinationType ?? 'cloud-watch-logs') === 'cloud-watch-logs' && logGroupOf(f));
    const unread = flowLogs.filter((f) => !readable.includes(f)).map((f) => `${f.FlowLogId} (${f.LogDestinationType ?? 'unknown'})`);
    const unreadText = `${unread.length ? `; not read: ${listText(unread)}, firebreak reads only CloudWatch Logs destinations` : ''}${unreadNote}`;
    if (readable.length === 0) {
      return {
        status: 'not_configured',
        reason: `flow logs deliver only outside CloudWatch Logs${unreadText}`,
        hint: `add a flow log for ${listText(vpcIds)} to CloudWatch Logs`,
        evidence: { flowLogs: configs, rejects: [] },
        count: 0,
      };
    }
    const owners = new Map<string, string>();
    for (const e of endpoints) for (const address of e.eniAddresses) owners.set(address, e.vpcEndpointId);
    for (const d of ctx.evidence['dns.custom-domains'] ?? []) for (const address of d.addresses) if (!owners.has(address)) owners.set(address, d.domainName);
    const addresses = new Set(owners.keys());
    // Several flow logs may share one group; read each group once, with every format that writes to it.
    const groups = new Map<string, { group: string; clients: AwsClients; formats: string[][] }>();
    for (const { flowLog: f, clients } of located.filter((l) => readable.includes(l.flowLog))) {
      const group = logGroupOf(f) ?? '';
      const key = `${clients.accountId ?? ''}/${group}`;
      const entry = groups.get(key) ?? { group, clients, formats: [] };
      entry.formats.push(flowLogFields(f.LogFormat));
      groups.set(key, entry);
    }
    const reads = await Promise.all(
      [...groups.values()].map(async ({ group, clients, formats }) => ({ formats, read: await readLogGroup(clients.logs, group, ctx.window, ctx.limits, 'REJECT') })),
    );
    const rejects: FlowRecordEvidence[] = [];
    for (const { formats, read } of reads) {
      for (const line of read.lines) {
        const record = formats.map((fields) => parseFlowRecord(line.message, fields, line.timestamp)).find(Boolean);
        if (!record || record.action !== 'REJECT') continue;
        const target = owners.get(record.dstaddr ?? '') ?? owners.get(record.srcaddr ?? '');
        if (target) rejects.push({ ...record, target });
      }
    }
    rejects.sort((a, b) => a.timestamp - b.timestamp);
    const truncated = combineTruncation(reads.map(({ read }) => ({ kept: read.lines.length, truncated: read.truncated })));
    const missingGroups = reads.filter(({ read }) => read.missing).map(({ read }) => read.logGroup);
    const missingText = missingGroups.length ? `; log group ${listText(missingGroups)} does not exist` : '';
    const evidence = { flowLogs: configs, rejects };
    const searched = `${plural(groups.size, 'flow log group')} for ${plural(addresses.size, 'endpoint address', 'endpoint addresses')}`;
    if (rejects.length === 0) {
      return { status: 'empty', evidence, count: 0, reason: `no REJECT involving the endpoints in ${searched}${missingText}${unreadText}`, ...(truncated ? { truncated } : {}) };
    }
    return {
      status: 'ok',
      evidence,
      count: rejects.length,
      reason: `${plural(rejects.length, 'REJECT record')} involving the endpoints in ${searched}${missingText}${unreadText}`,
      ...(truncated ? { truncated } : {}),
    };
  },
  record(read, w) {
    recordAnswers(writeEc2Answer)(read, w);
    // A record's time is its capture window's start, not the event's: kept by its text.
    const raws = new Set((read.evidence?.rejects ?? []).map((r) => r.raw));
    recordLogReads(read.calls, (event) => raws.has(event.message), w);
  },
});
