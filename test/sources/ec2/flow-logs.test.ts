import { describe, expect, it } from 'vitest';
import { flowLogFields, parseFlowRecord } from '../../../src/sources/ec2/flow-log-format.js';
import { flowLogsSource } from '../../../src/sources/ec2/flow-logs.js';
import { rowOf, runOnScenario } from '../../support/run-source.js';
import { stubSource } from '../../support/stub-sources.js';
import { ec2World, endpointEvidence, scenario } from './fixtures.js';

const CUSTOM = '${version} ${vpc-id} ${interface-id} ${action} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${start} ${end}';
const withEndpoints = (status: 'ok' | 'not_applicable' = 'ok') => ({
  before: [stubSource('ec2.vpc-endpoints', status === 'ok' ? { endpoints: [endpointEvidence()], vpcs: [] } : { endpoints: [], vpcs: [] }, status)],
});

const v2Logs = [
  { timestamp: '2026-11-20T09:30:00Z', message: '2 111111111111 eni-1 10.0.5.9 10.0.1.15 49761 443 6 3 180 1795167000 1795167060 REJECT OK' },
  { timestamp: '2026-11-20T09:31:00Z', message: '2 111111111111 eni-9 10.0.5.9 10.0.9.9 49762 443 6 3 180 1795167060 1795167120 REJECT OK' },
  { timestamp: '2026-11-20T09:32:00Z', message: '2 111111111111 eni-1 10.0.5.9 10.0.1.15 49763 443 6 3 180 1795167120 1795167180 ACCEPT OK' },
];

const flowLog = (extra: Record<string, unknown> = {}) => ({ FlowLogId: 'fl-1', ResourceId: 'vpc-1', TrafficType: 'ALL', LogDestinationType: 'cloud-watch-logs', LogGroupName: 'vpc-flow', ...extra });

describe('flow log records', () => {
  it('parse by the flow log\u2019s own format', () => {
    const record = parseFlowRecord('3 vpc-1 eni-1 REJECT 10.0.5.9 10.0.1.15 50000 443 6 1795167000 1795167060', flowLogFields(CUSTOM), 0);
    expect(record).toMatchObject({ interfaceId: 'eni-1', srcaddr: '10.0.5.9', dstaddr: '10.0.1.15', dstport: 443, protocol: 6, action: 'REJECT', timestamp: 1795167000_000 });
    expect(parseFlowRecord('2 too short', flowLogFields(undefined), 0)).toBeUndefined();
  });

  it('keep NODATA dashes as absent', () => {
    const record = parseFlowRecord('2 111111111111 eni-1 - - - - - - - 1431280876 1431280934 - NODATA', flowLogFields(undefined), 0);
    expect(record?.srcaddr).toBeUndefined();
    expect(record?.action).toBeUndefined();
  });
});

describe('ec2.flow-logs', () => {
  it('keeps REJECT records that involve an endpoint address', async () => {
    const world = ec2World({ flowLogs: [flowLog()] });
    const result = await runOnScenario(flowLogsSource, scenario(world, { logs: [{ logGroupName: 'vpc-flow', events: v2Logs }] }), withEndpoints());
    const row = rowOf(result, 'ec2.flow-logs');
    expect(row.status).toBe('ok');
    expect(row.count).toBe(1);
    expect(row.calls).toEqual(['ec2:DescribeFlowLogs', 'logs:FilterLogEvents']);
    const evidence = result.evidence['ec2.flow-logs'];
    expect(evidence?.flowLogs[0]).toMatchObject({ flowLogId: 'fl-1', resourceId: 'vpc-1', logGroupName: 'vpc-flow' });
    expect(evidence?.flowLogs[0]?.logFormat).toContain('${srcaddr}');
    expect(evidence?.rejects).toEqual([expect.objectContaining({ srcaddr: '10.0.5.9', dstaddr: '10.0.1.15', dstport: 443, action: 'REJECT' })]);
  });

  it('reads a custom format', async () => {
    const world = ec2World({ flowLogs: [flowLog({ LogFormat: CUSTOM })] });
    const logs = [{ logGroupName: 'vpc-flow', events: [{ timestamp: '2026-11-20T09:30:00Z', message: '3 vpc-1 eni-1 REJECT 10.0.5.9 10.0.1.15 50000 443 6 1795167000 1795167060' }] }];
    const result = await runOnScenario(flowLogsSource, scenario(world, { logs }), withEndpoints());
    expect(result.evidence['ec2.flow-logs']?.rejects).toHaveLength(1);
  });

  it('is empty when no REJECT involves the endpoints', async () => {
    const world = ec2World({ flowLogs: [flowLog()] });
    const row = rowOf(await runOnScenario(flowLogsSource, scenario(world, { logs: [{ logGroupName: 'vpc-flow', events: [v2Logs[1]] }] }), withEndpoints()), 'ec2.flow-logs');
    expect(row.status).toBe('empty');
    expect(row.reason).toContain('no REJECT involving the endpoints in 1 flow log group for 1 endpoint address');
  });

  it('is not configured without a flow log, naming the VPC', async () => {
    const row = rowOf(await runOnScenario(flowLogsSource, scenario(ec2World()), withEndpoints()), 'ec2.flow-logs');
    expect(row.status).toBe('not_configured');
    expect(row.hint).toBe('create a VPC flow log for vpc-1 to CloudWatch Logs');
  });

  it('says S3 flow logs are not read, without failing', async () => {
    const world = ec2World({ flowLogs: [flowLog({ LogDestinationType: 's3', LogGroupName: undefined, LogDestination: 'arn:aws:s3:::flow-bucket' })] });
    const row = rowOf(await runOnScenario(flowLogsSource, scenario(world), withEndpoints()), 'ec2.flow-logs');
    expect(row.status).toBe('not_configured');
    expect(row.reason).toContain('fl-1 (s3)');
  });

  it('is not applicable without endpoints', async () => {
    expect(rowOf(await runOnScenario(flowLogsSource, scenario(ec2World()), withEndpoints('not_applicable')), 'ec2.flow-logs').status).toBe('not_applicable');
  });

  it.each([
    ['ec2:DescribeFlowLogs', 'AccessDeniedException', 'access_denied'],
    ['logs:FilterLogEvents', 'AccessDeniedException', 'access_denied'],
    ['ec2:DescribeFlowLogs', 'ThrottlingException', 'throttled'],
  ])('classifies %s %s', async (operation, error, kind) => {
    const world = ec2World({ flowLogs: [flowLog()] });
    const row = rowOf(await runOnScenario(flowLogsSource, scenario(world, { logs: [{ logGroupName: 'vpc-flow', events: v2Logs }], faults: [{ operation, error }] }), withEndpoints()), 'ec2.flow-logs');
    expect(row.error?.kind).toBe(kind);
    if (kind === 'access_denied') expect(row.error?.action).toBe(operation);
  });

  it('times out on a slow read', async () => {
    const world = ec2World({ flowLogs: [flowLog()] });
    const result = await runOnScenario(flowLogsSource, scenario(world, { faults: [{ operation: 'ec2:DescribeFlowLogs', latencyMs: 5000 }] }), { ...withEndpoints(), sourceTimeoutMs: 200 });
    expect(rowOf(result, 'ec2.flow-logs').error?.kind).toBe('timeout');
  });
});
