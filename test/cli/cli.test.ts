import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { runCli } from '../../src/cli/main.js';
import type { CliIo } from '../../src/cli/io.js';

function captureIo(): CliIo & { outLines: string[]; errLines: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return {
    outLines: stdout,
    errLines: stderr,
    out: (t) => stdout.push(t),
    err: (t) => stderr.push(t),
    style: { color: false, width: 140 },
    config: loadConfig({}),
  };
}

describe('firebreak CLI', () => {
  it.each([
    [['troubleshoot', 'api-gw', '!bad!', '--scenario', 'healthy'], 'api: name the API by its id (a1b2c3d4e5), an invoke URL'],
    [['troubleshoot', 'api-gw', 'NOT-AN-ID', '--scenario', 'healthy'], 'no API is named exactly "NOT-AN-ID" in us-east-1\n  tried: apigateway:GetRestApis → 1 REST API; apigatewayv2:GetApis → 0 HTTP/WebSocket APIs'],
    [['troubleshoot', 'api-gw', 'a1b2c3d4e5', '--since', 'yesterday'], '--since: a window is a duration (30m, 2h, 3d) or its ISO 8601 start'],
    [['troubleshoot', 'lambda', 'a1b2c3d4e5'], 'expected a target kind "api-gw"'],
    [['troubleshoot', 'api-gw', 'a1b2c3d4e5', '--colour'], 'unknown option --colour; options are --stage'],
    [['troubleshoot', 'api-gw', 'a1b2c3d4e5', '--budget', 'huge'], '--budget: expected small, medium or large'],
    [['frobnicate'], 'unknown command "frobnicate"'],
  ])('exits 2 with one clear line for %j', async (argv, message) => {
    const io = captureIo();
    expect(await runCli(argv, io)).toBe(2);
    expect(io.errLines).toHaveLength(1);
    expect(io.errLines[0]).toContain(message);
    expect(io.outLines).toEqual([]);
  });

  it('lists the built-in scenarios with their API ids', async () => {
    const io = captureIo();
    expect(await runCli(['scenarios'], io)).toBe(0);
    const text = io.outLines.join('\n');
    expect(text).toMatch(/healthy\s+[a-z0-9]{10}\s+\S/);
  });

  it('prints the coverage table and findings for a scenario', async () => {
    const io = captureIo();
    expect(await runCli(['troubleshoot', 'api-gw', 'a1b2c3d4e5', '--scenario', 'healthy', '--stage', 'prod'], io)).toBe(0);
    const text = io.outLines.join('\n');
    expect(text).toContain('SOURCE');
    for (const source of ['apigw.rest-api', 'apigw.stages', 'logs.execution', 'cloudtrail.denies', 'ec2.vpc-endpoints']) expect(text).toContain(source);
    expect(text).toMatch(/Findings \(\d+\)/);
  });

  it('uses the scenario\'s stage as the default stage, and --stage over it', async () => {
    const io = captureIo();
    expect(await runCli(['troubleshoot', 'api-gw', 'a1b2c3d4e5', '--scenario', 'healthy', '--json'], io)).toBe(0);
    expect(JSON.parse(io.outLines.join('\n')).target.stage).toBe('prod');
    const other = captureIo();
    await runCli(['troubleshoot', 'api-gw', 'a1b2c3d4e5', '--scenario', 'healthy', '--stage', 'beta', '--json'], other);
    expect(JSON.parse(other.outLines.join('\n')).target.stage).toBe('beta');
  });

  it('prints the JSON report with its stable fields', async () => {
    const io = captureIo();
    expect(await runCli(['troubleshoot', 'api-gw', 'a1b2c3d4e5', '--scenario', 'healthy', '--json'], io)).toBe(0);
    const report = JSON.parse(io.outLines.join('\n'));
    expect(Object.keys(report)).toEqual(expect.arrayContaining(['target', 'window', 'coverage', 'findings', 'bundle']));
    expect(report.target).toMatchObject({ kind: 'api-gw', restApiId: 'a1b2c3d4e5' });
    expect(report.coverage[0]).toMatchObject({ source: 'apigw.rest-api', status: 'ok' });
    expect(Object.keys(report.bundle)).toEqual(expect.arrayContaining(['tokens', 'rawTokens', 'sections', 'redactions', 'text']));
  });

  it('says clearly when the API does not exist, without a stack trace', async () => {
    const io = captureIo();
    expect(await runCli(['troubleshoot', 'api-gw', 'zzzzzzzzzz', '--scenario', 'healthy'], io)).toBe(1);
    expect(io.errLines.join('\n')).toMatch(/no API zzzzzzzzzz in account \d{12}, us-east-1\n {2}tried: apigatewayv2:GetApi → NotFoundException; apigateway:GetRestApi → NotFoundException/);
    expect(io.errLines.join('\n')).not.toMatch(/\bat .*\.ts:\d+/);
  });

  it('reports a bad scenario file by field', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'firebreak-scenario-'));
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'name: bad\ndescription: broken\napiId: a1b2c3d4e5\nnow: 2026-11-20T10:00:00Z\naccounts:\n  - accountId: "111111111111"\n    apigateway:\n      restApis:\n        - id: NOPE\n');
    const io = captureIo();
    expect(await runCli(['troubleshoot', 'api-gw', 'a1b2c3d4e5', '--scenario', file], io)).toBe(2);
    expect(io.errLines.join('\n')).toMatch(/bad\.yaml.*restApis\.0\.id/);
  });
});

describe('firebreak iam-policy', () => {
  it('prints the committed least-privilege policy', async () => {
    const { readFileSync } = await import('node:fs');
    const io = captureIo();
    expect(await runCli(['iam-policy'], io)).toBe(0);
    const printed = JSON.parse(io.outLines.join('\n'));
    const committed = JSON.parse(readFileSync(new URL('../../docs/iam-policy.json', import.meta.url), 'utf8'));
    expect(printed).toEqual(committed);
  });
});

describe('firebreak CLI when nothing can be read', () => {
  it('exits 1 with one line naming expired credentials, not a table of errors', async () => {
    const { readFileSync } = await import('node:fs');
    const { parse, stringify } = await import('yaml');
    const scenario = parse(readFileSync(new URL('../../src/sandbox/scenarios/healthy.yaml', import.meta.url), 'utf8'));
    // Every service firebreak reads refuses the expired token (org.scps reads Organizations even when the methods are unknown).
    scenario.faults = ['apigateway', 'logs', 'cloudtrail', 'ec2', 'lambda', 'wafv2', 'organizations', 'sts', 'cloudwatch'].map((service) => ({
      operation: `${service}:*`,
      error: 'ExpiredTokenException',
      message: 'The security token included in the request is expired',
    }));
    const file = join(mkdtempSync(join(tmpdir(), 'firebreak-expired-')), 'expired.yaml');
    writeFileSync(file, stringify(scenario));
    const io = captureIo();
    expect(await runCli(['troubleshoot', 'api-gw', 'a1b2c3d4e5', '--scenario', file], io)).toBe(1);
    expect(io.errLines).toHaveLength(1);
    expect(io.errLines[0]).toMatch(/no source could be read; first: apigw\.rest-api: ExpiredTokenException.*refresh them \(e\.g\. aws sso login\)/);
    expect(io.outLines).toEqual([]);
  });

  it('validates --budget in the demo too', async () => {
    const io = captureIo();
    expect(await runCli(['demo', '--budget', 'huge'], io)).toBe(2);
    expect(io.errLines[0]).toContain('--budget: expected small, medium or large, got "huge"');
  });
});
