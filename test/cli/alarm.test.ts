import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listScenarios } from '../../src/app/index.js';
import { runCli } from '../../src/cli/main.js';
import type { CliIo } from '../../src/cli/io.js';
import { loadConfig } from '../../src/config.js';
import type { Report } from '../../src/core/report.js';
import { verdictLine } from '../../src/core/verdict.js';
import { apiAlarmEvent } from '../fixtures/alarms.js';

/**
 * `firebreak alarm` replays an alarm through the bot's path and prints what the channel would get;
 * on every built-in scenario that declares alarms it gives the same verdict, findings and reads
 * as `firebreak troubleshoot` for the same window.
 */
function captureIo(env: Record<string, string> = {}): CliIo & { outLines: string[]; errLines: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { outLines: stdout, errLines: stderr, out: (t) => stdout.push(t), err: (t) => stderr.push(t), style: { color: false, width: 140 }, config: loadConfig({ FIREBREAK_LEDGER_SNAPSHOT: '', ...env }) };
}

interface Record_ {
  outcome: string;
  channel?: string;
  verdict?: string;
  reason?: string;
  report?: Report;
  trigger?: { alarmName: string; via: string; firings: number; recoveredAt?: string };
}

async function alarmJson(argv: string[], env: Record<string, string> = {}): Promise<Record_[]> {
  const io = captureIo(env);
  const code = await runCli(['alarm', ...argv, '--json'], io);
  expect(io.errLines).toEqual([]);
  expect(code).toBe(0);
  return JSON.parse(io.outLines.join('\n')) as Record_[];
}

/** What must agree between the two front ends: everything the rules and the reads decided. */
function decided(report: Report) {
  return {
    target: report.target,
    window: report.window,
    verdict: verdictLine(report),
    findings: report.findings.map((f) => [f.rule, f.severity, f.title, Boolean(f.inconclusive)]),
    coverage: report.coverage.map((r) => [r.source, r.status, r.count, r.truncated, (r.calls ?? []).slice().sort()]),
  };
}

describe('firebreak alarm', async () => {
  const withAlarms = (await listScenarios()).filter((s) => s.alarms.length > 0);

  it('is declared by two to four built-in scenarios', () => {
    expect(withAlarms.length).toBeGreaterThanOrEqual(2);
    expect(withAlarms.length).toBeLessThanOrEqual(4);
  });

  it.each(withAlarms.flatMap((s) => s.alarms.map((alarm) => [s.name, alarm] as const)))('on %s, alarm %s, gives the same verdict as troubleshoot for the same window', async (scenario, alarm) => {
    const [record] = await alarmJson(['--fire', alarm, '--scenario', scenario]);
    expect(record?.outcome).toBe('investigate');
    const report = record!.report!;
    const { target, window } = report;
    const io = captureIo();
    const argv = ['troubleshoot', 'api-gw', target.restApiId, ...(target.stage ? [target.stage] : []), '--since', '2h', '--until', window.until, '--region', target.region, '--scenario', scenario, '--json'];
    expect(await runCli(argv, io)).toBe(0);
    const typed = JSON.parse(io.outLines.join('\n')) as Report;
    expect(decided(report)).toEqual(decided(typed));
    expect(record?.verdict).toBe(verdictLine(typed));
  }, 60_000);

  it('prints what the channel would get, the verdict, and the troubleshoot command that gives it', async () => {
    const io = captureIo({ FIREBREAK_ALARM_ROUTES: JSON.stringify([{ alarmNamePrefix: 'apigw-', channel: 'C0SHOPAPI' }]) });
    expect(await runCli(['alarm', '--fire', 'apigw-shop-api-traffic-drop', '--scenario', 'long-night'], io)).toBe(0);
    const text = io.outLines.join('\n');
    expect(text).toContain('apigw-shop-api-traffic-drop ALARM: a new investigation');
    expect(text).toContain('in channel C0SHOPAPI');
    expect(text).toContain('Started by alarm apigw-shop-api-traffic-drop (Count Sum < 10 (5 min)), in ALARM since 10:40 UTC');
    expect(text).toContain('API found by: dimension ApiName');
    expect(text).toContain('Route: alarm name prefix apigw- → C0SHOPAPI');
    expect(text).toContain('Same as: firebreak troubleshoot api-gw a1b2c3d4e5 prod --since 2h --until 2024-05-01T10:40:00.000Z --region us-east-1 --scenario long-night');
    expect(text).toMatch(/\nVerdict: critical: /);
    expect(io.errLines).toEqual([]);
  }, 60_000);

  it('replays event files in order through one episode: a re-fire and the recovery update the same investigation', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'firebreak-alarm-'));
    const file = (name: string, event: unknown) => {
      const path = join(dir, name);
      writeFileSync(path, JSON.stringify(event));
      return path;
    };
    const dims = { ApiId: 'k8h2t4p6v1', Stage: '$default' };
    const records = await alarmJson(
      [
        file('1.json', apiAlarmEvent({ alarmName: 'orders-5xx', dimensions: dims, at: new Date('2024-05-01T11:50:00Z') })),
        file('2.json', apiAlarmEvent({ alarmName: 'orders-5xx', dimensions: dims, at: new Date('2024-05-01T11:55:00Z') })),
        file('3.json', apiAlarmEvent({ alarmName: 'orders-5xx', dimensions: dims, at: new Date('2024-05-01T12:05:00Z'), state: 'OK' })),
        '--scenario',
        'http-h21-integration-timeout',
        '--channel',
        'C0ORDERSCH',
      ],
    );
    expect(records.map((r) => r.outcome)).toEqual(['investigate', 'refire', 'recovered']);
    expect(records[0]?.channel).toBe('C0ORDERSCH');
    expect(records[2]?.trigger).toMatchObject({ firings: 2, recoveredAt: '2024-05-01T12:05:00.000Z' });
    // The same sequence without files: --state moves the sandbox clock past what the episode saw.
    const fired = await alarmJson(['--fire', 'apigw-orders-http-5xx', '--state', 'ALARM,ALARM,OK', '--scenario', 'http-h21-integration-timeout']);
    expect(fired.map((r) => r.outcome)).toEqual(['investigate', 'refire', 'recovered']);
    expect(fired[2]?.trigger).toMatchObject({ firings: 2, recoveredAt: '2024-05-01T12:18:00.000Z' });
  }, 60_000);

  it('says nothing would be posted, and why, for an alarm it cannot place or route', async () => {
    const records = await alarmJson(['--fire', 'apigw-shop-api-traffic-drop', '--scenario', 'long-night'], { FIREBREAK_ALARM_ROUTES: JSON.stringify([{ alarmNamePrefix: 'payments-', channel: 'C0PAYMENTS' }]) });
    expect(records).toEqual([expect.objectContaining({ outcome: 'ignored', reason: 'unrouted: no entry of alarms.routes takes alarm apigw-shop-api-traffic-drop' })]);
  });

  it('prints the event it would replay, in EventBridge\'s shape', async () => {
    const io = captureIo();
    expect(await runCli(['alarm', '--fire', 'waf-shop-edge-blocked', '--scenario', 'a8-waf-blocks', '--print-event'], io)).toBe(0);
    const event = JSON.parse(io.outLines.join('\n')) as { 'detail-type': string; resources: string[]; detail: { state: { value: string; timestamp: string } } };
    expect(event['detail-type']).toBe('CloudWatch Alarm State Change');
    expect(event.resources).toEqual(['arn:aws:cloudwatch:us-east-1:111111111111:alarm:waf-shop-edge-blocked']);
    expect(event.detail.state).toMatchObject({ value: 'ALARM', timestamp: '2024-05-01T11:58:00.000+0000' });
  });

  it.each([
    [[], 'give an event file'],
    [['--fire', 'x', 'file.json'], 'give event files or --fire, not both'],
    [['--state', 'OK', 'file.json'], '--state, --at and --print-event go with --fire'],
    [['--fire', 'x', '--state', 'FIRING'], '--state: expected ALARM or OK'],
    [['--fire', 'x', '--at', 'yesterday'], '--at: expected an ISO 8601 time'],
    [['--channel', '#incidents', 'file.json'], '--channel: expected a Slack channel id'],
    [['/nonexistent/event.json'], '/nonexistent/event.json: cannot read it (ENOENT)'],
    [['--fire', 'no-such-alarm', '--scenario', 'long-night'], 'no alarm named "no-such-alarm" in us-east-1 (sandbox:long-night)'],
  ])('exits 2 with one clear line for %j', async (argv, message) => {
    const io = captureIo();
    expect(await runCli(['alarm', ...argv], io)).toBe(2);
    expect(io.errLines).toHaveLength(1);
    expect(io.errLines[0]).toContain(message);
  });

  it('exits 2 naming the file and the field for a payload that is not an alarm', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'firebreak-alarm-'));
    const notJson = join(dir, 'bad.json');
    writeFileSync(notJson, '{ nope');
    const notAlarm = join(dir, 'config-change.json');
    writeFileSync(notAlarm, JSON.stringify({ source: 'aws.cloudwatch', 'detail-type': 'CloudWatch Alarm Configuration Change', detail: {} }));
    for (const [path, message] of [
      [notJson, 'bad.json: not JSON'],
      [notAlarm, 'config-change.json: not a "CloudWatch Alarm State Change" event: detail-type'],
    ] as const) {
      const io = captureIo();
      expect(await runCli(['alarm', path, '--scenario', 'healthy'], io)).toBe(2);
      expect(io.errLines.join('\n')).toContain(message);
    }
  });
});
