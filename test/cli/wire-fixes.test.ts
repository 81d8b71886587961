import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import type { CliIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/main.js';
import { loadConfig } from '../../src/config.js';
import type { CoverageRow } from '../../src/core/coverage.js';
import type { Finding } from '../../src/core/finding.js';

/**
 * What crossing the AWS wire showed (issue 22), fixed and held here through the CLI's text and
 * JSON on sandbox scenarios: the wire suite (`npm run test:wire`) shows the same against moto.
 */
type Yaml = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- scenario files edited in place

const dir = mkdtempSync(join(tmpdir(), 'firebreak-wire-fixes-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A built-in scenario, changed (as text, then as data), written to a file for `--scenario`. */
function variant(base: string, name: string, change: (s: Yaml) => void, replace: [string, string][] = []): string {
  let text = readFileSync(join('src', 'sandbox', 'scenarios', `${base}.yaml`), 'utf8');
  for (const [from, to] of replace) text = text.replaceAll(from, to);
  const scenario = parse(text) as Yaml;
  scenario.name = name;
  change(scenario);
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, stringify(scenario));
  return file;
}

interface Run {
  code: number;
  text: string;
  err: string;
}

async function cli(args: string[]): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (t) => out.push(t), err: (t) => err.push(t), style: { color: false, width: 160 }, config: loadConfig({ FIREBREAK_LEDGER_SNAPSHOT: '', FIREBREAK_BUNDLE_DIR: dir }) };
  const code = await runCli(['troubleshoot', 'api-gw', ...args], io);
  return { code, text: out.join('\n'), err: err.join('\n') };
}

interface Report {
  target: { restApiId: string; apiType: string; stage?: string };
  coverage: CoverageRow[];
  findings: Finding[];
  resolution?: string;
}

/** The same investigation as text and as JSON. */
async function both(args: string[]): Promise<{ text: Run; report: Report }> {
  const [text, json] = await Promise.all([cli(args), cli([...args, '--json'])]);
  expect(text.code).toBe(0);
  expect(json.code).toBe(0);
  return { text, report: JSON.parse(json.text) as Report };
}

const byRule = (report: Report, rule: string) => report.findings.filter((f) => f.rule === rule);
const AWKWARD = /was failed|was unknown|\(unknown\)|Deserialization error|inspect the hidden field/;

describe('a service that answers an HTML 500 page (moto\'s CloudTrail LookupEvents)', () => {
  it.each([
    ['REST', 'healthy', 'a1b2c3d4e5', 'B.cloudtrail-refused'],
    ['HTTP', 'http-healthy', 'k8h2t4p6v1', 'HB.cloudtrail-refused'],
  ])('%s: one line, "the service failed (HTTP 500)", retry advice, not throttling advice', async (_kind, base, id, rule) => {
    const file = variant(base, `${base}-cloudtrail-html`, (s) => {
      s.faults = [{ operation: 'cloudtrail:LookupEvents', answer: 'html' }];
    });
    const { text, report } = await both([id, '--scenario', file]);
    for (const source of ['cloudtrail.changes', 'cloudtrail.denies']) {
      const row = report.coverage.find((r) => r.source === source);
      expect(row).toMatchObject({ status: 'error', error: { kind: 'service_error' } });
      expect(row?.error?.message).toBe('the service failed (HTTP 500; it answered text/html that is not an AWS response)');
      expect(row?.hint).not.toMatch(/throttl|per second/i);
    }
    const [blind] = byRule(report, rule);
    expect(blind?.detail).toMatch(/^The CloudTrail lookup could not be read: the service failed \(HTTP 500/);
    expect(blind?.fix).not.toContain('2 lookups per second');
    expect(blind?.fix).toMatch(/run the investigation again/i);
    // Nothing anywhere keeps the SDK's second line or an awkward template, in JSON or text.
    for (const f of report.findings) for (const s of [f.title, f.detail, f.fix, ...f.evidence.map((e) => e.quote ?? '')]) {
      expect(s).not.toContain('\n');
      expect(s).not.toMatch(AWKWARD);
    }
    for (const r of report.coverage) expect(r.error?.message ?? '').not.toContain('\n');
    expect(text.text).not.toMatch(AWKWARD);
    expect(text.text).toContain('error:service_error');
    expect(text.text).toContain('the service failed (HTTP 500');
  }, 60_000);
});

describe('any id API Gateway accepts is accepted', () => {
  it.each([
    ['an 8-character HTTP API id (moto\'s)', 'http-healthy', 'k8h2t4p6v1', 'zgpjabnd', 'HTTP'],
    ['a 12-character REST API id', 'healthy', 'a1b2c3d4e5', 'wire0rest0id', 'REST'],
  ])('%s, bare and as an invoke URL', async (_what, base, from, id, apiType) => {
    const file = variant(base, `${base}-id-${id}`, () => undefined, [[from, id]]);
    const bare = await both([id, '--scenario', file]);
    expect(bare.report.target).toMatchObject({ restApiId: id, apiType });
    expect(bare.text.text).toContain(id);
    expect(bare.report.coverage[0]).toMatchObject({ status: 'ok' });
    const url = `https://${id}.execute-api.us-east-1.amazonaws.com/prod`;
    const byUrl = await cli([url, '--scenario', file, '--json']);
    expect(byUrl.code).toBe(0);
    expect(JSON.parse(byUrl.text)).toMatchObject({ target: { restApiId: id, apiType, stage: 'prod' } });
  }, 60_000);
});

describe('DNS that cannot be checked', () => {
  it.each([
    ['REST', 'healthy', 'a1b2c3d4e5', 'R4.dns-points-elsewhere'],
    ['HTTP', 'http-healthy', 'k8h2t4p6v1', 'H8.dns-points-elsewhere'],
  ])('%s: a domain whose target does not resolve either is inconclusive, not "does not resolve"', async (_kind, base, id, rule) => {
    const file = variant(base, `${base}-no-dns`, (s) => {
      s.dns = { records: {} };
    });
    const { text, report } = await both([id, '--scenario', file]);
    const found = byRule(report, rule);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ severity: 'low', inconclusive: true });
    expect(found[0]?.detail).toContain('this resolver cannot tell');
    expect(text.text).not.toMatch(/\[(HIGH|CRITICAL)\][^\n]*DNS/);
    expect(text.text).toContain(`Cannot rule out: DNS of`);
  }, 60_000);
});

describe('a PRIVATE API without any VPC endpoint', () => {
  it('is a critical finding, and no flow-log finding comes with it', async () => {
    const file = variant('private-api', 'private-api-no-endpoint', (s) => {
      const account = s.accounts[0];
      const api = account.apigateway.restApis[0];
      api.endpointConfiguration = { types: ['PRIVATE'] };
      // Callers are allowed by VPC, not by endpoint id: no endpoint is named anywhere.
      api.policy.Statement[0].Condition = { StringEquals: { 'aws:SourceVpc': 'vpc-0a1b2c3d' } };
      account.ec2.vpcEndpoints = [];
      account.ec2.flowLogs = [];
      s.traffic = [];
    });
    const { text, report } = await both(['p1r2i3v4a5', '--scenario', file]);
    expect(report.coverage.find((r) => r.source === 'ec2.vpc-endpoints')?.status).toBe('not_configured');
    const [n5] = byRule(report, 'N5.endpoint-not-available');
    expect(n5).toMatchObject({ severity: 'critical', title: 'The private API has no VPC endpoint: nobody can call it' });
    expect(n5?.inconclusive).toBeUndefined();
    expect(byRule(report, 'B.flow-logs-off')).toEqual([]);
    expect(text.text).toContain('[CRITICAL] The private API has no VPC endpoint: nobody can call it');
    expect(text.text).not.toContain('B.flow-logs-off');
    expect(text.text).not.toContain('No flow logs cover the endpoint VPC(s) :');
  }, 60_000);
});

describe('an authorizer list that cannot be read (moto has no apigatewayv2 GetAuthorizers)', () => {
  it.each([
    ['REST', 'private-api', 'p1r2i3v4a5', 'apigateway:GetAuthorizers', 'apigw.authorizers'],
    ['HTTP', 'http-healthy', 'k8h2t4p6v1', 'apigatewayv2:GetAuthorizers', 'apigwv2.authorizers'],
  ])('%s: the integrations\' functions are still read, and the row says the authorizers\' are unknown', async (_kind, base, id, operation, source) => {
    const file = variant(base, `${base}-no-authorizers`, (s) => {
      s.faults = [{ operation, answer: 'html' }];
    });
    const { text, report } = await both([id, '--scenario', file]);
    expect(report.coverage.find((r) => r.source === source)).toMatchObject({ status: 'error', error: { kind: 'service_error' } });
    const functions = report.coverage.find((r) => r.source === 'lambda.functions');
    expect(functions?.status).toBe('ok');
    expect(functions?.reason).toContain(`authorizer functions not known: ${source} failed`);
    expect(report.coverage.find((r) => r.source === 'logs.lambda')?.status).not.toBe('error');
    expect(text.text).toMatch(/lambda\.functions\s+read/);
  }, 60_000);
});
