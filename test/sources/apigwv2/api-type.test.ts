import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { runCli } from '../../../src/cli/main.js';
import type { CliIo } from '../../../src/cli/io.js';
import { loadConfig } from '../../../src/config.js';
import { investigate, type Environment } from '../../../src/engine.js';
import { createSandboxEnvironment } from '../../../src/sandbox/environment.js';
import { loadScenario, parseScenario } from '../../../src/sandbox/load.js';
import { dependentChain, type CallRecord } from '../../../src/aws/call-context.js';
import { prefetchKey, resolveApiType } from '../../../src/sources/api-type.js';
import { HTTP_SOURCES, SOURCES, sourcesFor, WEBSOCKET_SOURCES } from '../../../src/sources/registry.js';
import { API_ID, httpApi, httpScenario } from './fixture.js';

function environmentOf(data: unknown): Environment {
  const sandbox = createSandboxEnvironment(parseScenario(data, 'test'));
  return { factory: sandbox.factory, dns: sandbox.dns, now: () => sandbox.now, origin: 'sandbox:test', region: sandbox.defaults.region };
}

const window = { since: new Date('2024-05-01T10:00:00Z'), until: new Date('2024-05-01T12:00:00Z') };

describe('which kind of API an id is', () => {
  it('is REST when GetRestApi knows it, HTTP when only API Gateway v2 does', async () => {
    const rest = createSandboxEnvironment(await loadScenario('healthy'));
    expect(await resolveApiType(rest.factory.forAccount(), 'a1b2c3d4e5')).toMatchObject({ apiType: 'REST' });
    const http = createSandboxEnvironment(await loadScenario('http-healthy'));
    expect(await resolveApiType(http.factory.forAccount(), API_ID)).toMatchObject({ apiType: 'HTTP' });
  });

  it('falls back to REST (whose source reports the error) when v2 does not know the id or cannot be asked', async () => {
    const env = environmentOf(httpScenario());
    const unknown = await resolveApiType(env.factory.forAccount(), 'zzzzzzzzzz');
    expect(unknown).toMatchObject({ apiType: 'REST' });
    expect(unknown).not.toHaveProperty('note');
    const refused = environmentOf(httpScenario((s) => (s.faults = [{ operation: 'apigatewayv2:GetApi', error: 'AccessDeniedException' }])));
    expect(await resolveApiType(refused.factory.forAccount(), API_ID)).toMatchObject({ apiType: 'REST', note: 'could not check whether it is an HTTP API (access_denied)' });
  });

  it('gives up on a hanging GetApi at its own deadline', async () => {
    const slow = environmentOf(httpScenario((s) => (s.faults = [{ operation: 'apigatewayv2:GetApi', latencyMs: 60_000 }])));
    expect(await resolveApiType(slow.factory.forAccount(), API_ID, 50)).toMatchObject({ apiType: 'REST', note: 'could not check whether it is an HTTP API (timeout)' });
  });

  it('reads GetApi and GetRestApi side by side, and hands the answer to the source of the kind found', async () => {
    const rest = createSandboxEnvironment({ ...(await loadScenario('healthy')), latencyMs: 50 });
    const records: CallRecord[] = [];
    const resolved = await resolveApiType(rest.factory.forAccount(), 'a1b2c3d4e5', undefined, (r) => records.push(r));
    expect(records.map((r) => r.operation).sort()).toEqual(['apigateway:GetRestApi', 'apigatewayv2:GetApi']);
    expect(dependentChain(records).chain).toHaveLength(1);
    expect([...(resolved.prefetched?.keys() ?? [])]).toEqual([prefetchKey('GetRestApi', 'a1b2c3d4e5')]);
    // The REST source reuses the probe's read: one GetRestApi in the whole investigation.
    const env: Environment = { factory: rest.factory, dns: rest.dns, now: () => rest.now, origin: 'x', region: 'us-east-1' };
    const calls: CallRecord[] = [];
    const { report } = await investigate({ kind: 'api-gw', restApiId: 'a1b2c3d4e5', region: 'us-east-1', stage: 'prod' }, window, env, { onCall: (r) => calls.push(r) });
    expect(calls.filter((c) => c.operation === 'apigateway:GetRestApi')).toHaveLength(1);
    expect(report.coverage.find((r) => r.source === 'apigw.rest-api')).toMatchObject({ status: 'ok', calls: ['apigateway:GetRestApi'] });
  });

  it('is not probed at all when the target already says its kind (a name or a mapping resolved it)', async () => {
    const rest = createSandboxEnvironment(await loadScenario('healthy'));
    const env: Environment = { factory: rest.factory, dns: rest.dns, now: () => rest.now, origin: 'x', region: 'us-east-1' };
    const calls: CallRecord[] = [];
    await investigate({ kind: 'api-gw', restApiId: 'a1b2c3d4e5', region: 'us-east-1', stage: 'prod', apiType: 'REST' }, window, env, { onCall: (r) => calls.push(r) });
    expect(calls.filter((c) => c.source === 'api-type')).toEqual([]);
    expect(calls.some((c) => c.operation === 'apigatewayv2:GetApi')).toBe(false);
  });

  it('picks the source set by kind, both with the same shared rows', () => {
    expect(sourcesFor('REST')).toBe(SOURCES);
    expect(sourcesFor(undefined)).toBe(SOURCES);
    expect(sourcesFor('HTTP')).toBe(HTTP_SOURCES);
    expect(sourcesFor('WEBSOCKET')).toBe(WEBSOCKET_SOURCES);
    const wsIds = WEBSOCKET_SOURCES.map((s) => s.id);
    expect(new Set(wsIds).size).toBe(wsIds.length);
    const ids = HTTP_SOURCES.map((s) => s.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const shared of ['logs.execution', 'logs.access', 'lambda.functions', 'logs.lambda', 'cloudtrail.changes', 'cloudtrail.denies', 'dns.custom-domains', 'waf.web-acl']) expect(ids).toContain(shared);
  });
});

describe('investigating an HTTP API', () => {
  it('resolves the kind first and reports it on the target', async () => {
    const { report } = await investigate({ kind: 'api-gw', restApiId: API_ID, region: 'us-east-1' }, window, environmentOf(httpScenario()));
    expect(report.target).toMatchObject({ kind: 'api-gw', restApiId: API_ID, apiType: 'HTTP' });
    expect(report.coverage.map((r) => r.source)).toEqual(HTTP_SOURCES.map((s) => s.id));
    expect(report.coverage.find((r) => r.source === 'logs.execution')?.status).toBe('not_applicable');
  });

  it('runs the WebSocket source set on a WebSocket API, marked WEBSOCKET', async () => {
    const env = environmentOf(httpScenario((s) => (httpApi(s).ProtocolType = 'WEBSOCKET')));
    const { report } = await investigate({ kind: 'api-gw', restApiId: API_ID, region: 'us-east-1' }, window, env);
    expect(report.target.apiType).toBe('WEBSOCKET');
    expect(report.coverage.map((r) => r.source)).toEqual(WEBSOCKET_SOURCES.map((s) => s.id));
    expect(report.coverage[0]).toMatchObject({ source: 'apigwv2.api', status: 'ok' });
  });

  it('keeps REST APIs on the REST source set, marked REST', async () => {
    const scenario = await loadScenario('healthy');
    const sandbox = createSandboxEnvironment(scenario);
    const env: Environment = { factory: sandbox.factory, dns: sandbox.dns, now: () => sandbox.now, origin: 'x', region: 'us-east-1' };
    const { report } = await investigate({ kind: 'api-gw', restApiId: 'a1b2c3d4e5', region: 'us-east-1', stage: 'prod' }, window, env);
    expect(report.target.apiType).toBe('REST');
    expect(report.coverage[0]?.source).toBe('apigw.rest-api');
  });
});

function captureIo(): CliIo & { outLines: string[]; errLines: string[] } {
  const outLines: string[] = [];
  const errLines: string[] = [];
  return { outLines, errLines, out: (t) => outLines.push(t), err: (t) => errLines.push(t), style: { color: false, width: 140 }, config: loadConfig({}) };
}

describe('the CLI on HTTP APIs', () => {
  it('runs end to end and the JSON report says which kind was investigated', async () => {
    const io = captureIo();
    expect(await runCli(['troubleshoot', 'api-gw', API_ID, '--scenario', 'http-h18-lambda-permission-missing', '--json'], io)).toBe(0);
    const report = JSON.parse(io.outLines.join('\n'));
    expect(report.target).toMatchObject({ kind: 'api-gw', restApiId: API_ID, apiType: 'HTTP' });
    expect(report.coverage[0]).toMatchObject({ source: 'apigwv2.api', status: 'ok' });
    expect(report.findings.map((f: { rule: string }) => f.rule)).toContain('H18.lambda-permission-missing');
    expect(report.bundle.text).toContain('route GET /orders');
  });

  it('accepts the $default stage of an HTTP API', async () => {
    const io = captureIo();
    expect(await runCli(['troubleshoot', 'api-gw', API_ID, '--scenario', 'http-healthy', '--stage', '$default', '--json'], io)).toBe(0);
    expect(JSON.parse(io.outLines.join('\n')).target).toMatchObject({ stage: '$default', apiType: 'HTTP' });
  });

  it('investigates a WebSocket API given by id (it used to be refused)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'firebreak-ws-'));
    const file = join(dir, 'ws.yaml');
    writeFileSync(file, stringify(httpScenario((s) => (httpApi(s).ProtocolType = 'WEBSOCKET'))));
    const io = captureIo();
    expect(await runCli(['troubleshoot', 'api-gw', API_ID, '--scenario', file, '--json'], io)).toBe(0);
    expect(JSON.parse(io.outLines.join('\n')).target).toMatchObject({ restApiId: API_ID, apiType: 'WEBSOCKET' });
  });

  it('says not found once when the id is neither a REST nor an HTTP API', async () => {
    const io = captureIo();
    expect(await runCli(['troubleshoot', 'api-gw', 'zzzzzzzzzz', '--scenario', 'http-healthy'], io)).toBe(1);
    // Decided before the investigation (app/check-target.ts): one answer, with both reads and the nearest API.
    expect(io.errLines).toHaveLength(1);
    expect(io.errLines[0]).toMatch(/^firebreak: no API zzzzzzzzzz in account \d{12}, us-east-1\n {2}tried: apigatewayv2:GetApi → NotFoundException; apigateway:GetRestApi → NotFoundException/);
    expect(io.errLines[0]).toContain('nearest: k8h2t4p6v1 (HTTP, orders-http)');
  });
});
