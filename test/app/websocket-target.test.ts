import { describe, expect, it } from 'vitest';
import { parseCommandText } from '../../src/app/index.js';
import type { CliIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/main.js';
import { loadConfig } from '../../src/config.js';
import { validateTroubleshoot } from '../../src/core/input.js';
import { parseTargetRef } from '../../src/core/target-ref.js';

const WSS = 'wss://w5k2m8q4r1.execute-api.us-east-1.amazonaws.com/production';

describe('WebSocket targets in the grammar', () => {
  it('read the id, region and stage of a wss:// URL, bare or as Slack wraps it', () => {
    expect(parseTargetRef(WSS)).toEqual({ ok: true, value: { kind: 'invoke-url', id: 'w5k2m8q4r1', region: 'us-east-1', stage: 'production' } });
    expect(parseTargetRef('wss://w5k2m8q4r1.execute-api.eu-west-1.amazonaws.com')).toEqual({ ok: true, value: { kind: 'invoke-url', id: 'w5k2m8q4r1', region: 'eu-west-1' } });
    expect(validateTroubleshoot({ restApiId: WSS })).toMatchObject({ ok: true, value: { restApiId: 'w5k2m8q4r1', region: 'us-east-1', stage: 'production', given: WSS } });
    expect(parseCommandText(`api-gw <${WSS}> --since 30m`)).toMatchObject({ kind: 'troubleshoot', request: { restApiId: 'w5k2m8q4r1', stage: 'production', sinceMs: 1_800_000 } });
  });

  it('leave a wss:// URL on a custom domain to the domain lookup', () => {
    expect(parseTargetRef('wss://chat.example.com/')).toEqual({ ok: true, value: { kind: 'domain', domain: 'chat.example.com', path: [] } });
  });
});

function cli() {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (t) => out.push(t), err: (t) => err.push(t), style: { color: false, width: 140 }, config: loadConfig({ FIREBREAK_LEDGER_SNAPSHOT: '' }) };
  return { io, out, err };
}

async function troubleshoot(target: string, scenario: string) {
  const run = cli();
  const code = await runCli(['troubleshoot', 'api-gw', target, '--scenario', scenario, '--json'], run.io);
  return { code, report: run.out.length ? JSON.parse(run.out.join('\n')) : undefined, err: run.err.join('\n') };
}

describe('troubleshoot api-gw on a WebSocket API (CLI, sandbox)', () => {
  it('resolves a wss:// URL and runs the WebSocket sources and rules; the report says WEBSOCKET', async () => {
    const { code, report } = await troubleshoot(WSS, 'w12-function-errors');
    expect(code).toBe(0);
    expect(report.target).toEqual({ kind: 'api-gw', restApiId: 'w5k2m8q4r1', region: 'us-east-1', stage: 'production', apiType: 'WEBSOCKET' });
    expect(report.resolution).toBe(`resolved ${WSS} → w5k2m8q4r1 / production from the WebSocket URL`);
    expect(report.coverage.map((r: { source: string }) => r.source)).toEqual(expect.arrayContaining(['apigwv2.api', 'logs.execution', 'iam.manage-connections']));
    const w12 = report.findings.find((f: { rule: string }) => f.rule === 'W12.function-errors');
    expect(w12).toMatchObject({ severity: 'high', figures: [expect.objectContaining({ unit: 'invocations', scope: { kind: 'function', name: 'chat-sendmessage' } })] });
    expect(report.bundle.text).toContain('websocket api id=w5k2m8q4r1');
  }, 60_000);

  it('resolves a WebSocket API by its name, and through its custom domain', async () => {
    const byName = await troubleshoot('chat-ws', 'w-healthy');
    expect(byName.code).toBe(0);
    expect(byName.report.resolution).toBe('resolved chat-ws → w5k2m8q4r1 via API name');
    const byDomain = await troubleshoot('wss://chat.example.com', 'w-healthy');
    expect(byDomain.report.resolution).toContain('→ w5k2m8q4r1 / production via API mapping');
    expect(byDomain.report.target.apiType).toBe('WEBSOCKET');
  }, 90_000);
});
