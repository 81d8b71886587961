import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { parseCommandText } from '../../src/app/index.js';
import type { CliIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/main.js';
import { loadConfig } from '../../src/config.js';
import { validateTroubleshoot } from '../../src/core/input.js';
import { parseTargetRef } from '../../src/core/target-ref.js';
import { closeAndCheck, startHarness, textOf, type Harness } from '../slack/harness.js';

const INVOKE = 'https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/prod/orders';
const CONSOLE = 'https://us-east-1.console.aws.amazon.com/apigateway/main/apis/a1b2c3d4e5/resources?api=a1b2c3d4e5&region=us-east-1';
const CLASSIC_CONSOLE = 'https://console.aws.amazon.com/apigateway/home?region=eu-west-1#/apis/a1b2c3d4e5/stages/beta';

describe('the grammar accepts what people paste', () => {
  it('reads region and stage from an invoke URL, also as Slack wraps it; typed options win', () => {
    expect(validateTroubleshoot({ restApiId: INVOKE })).toMatchObject({ ok: true, value: { restApiId: 'a1b2c3d4e5', region: 'us-east-1', stage: 'prod', given: INVOKE } });
    const slack = parseCommandText(`api-gw <${INVOKE}> --since 1h`);
    expect(slack).toMatchObject({ kind: 'troubleshoot', request: { restApiId: 'a1b2c3d4e5', region: 'us-east-1', stage: 'prod', sinceMs: 3_600_000 } });
    expect(validateTroubleshoot({ restApiId: INVOKE, stage: 'beta', region: 'us-west-2' })).toMatchObject({ ok: true, value: { stage: 'beta', region: 'us-west-2' } });
  });

  it('reads the id, region and stage of console links, new and classic', () => {
    expect(parseTargetRef(CONSOLE)).toEqual({ ok: true, value: { kind: 'console-url', id: 'a1b2c3d4e5', region: 'us-east-1' } });
    expect(parseTargetRef(CLASSIC_CONSOLE)).toEqual({ ok: true, value: { kind: 'console-url', id: 'a1b2c3d4e5', region: 'eu-west-1', stage: 'beta' } });
    expect(parseTargetRef('https://console.aws.amazon.com/apigateway/home')).toMatchObject({ ok: false });
  });

  it('leaves a custom domain (bare, as a URL or a Slack link) and a name to the lookup', () => {
    expect(validateTroubleshoot({ restApiId: 'orders.shop.example.com' })).toMatchObject({ ok: true, value: { restApiId: 'orders.shop.example.com', lookup: { kind: 'domain', value: 'orders.shop.example.com', path: [] } } });
    expect(parseTargetRef('<https://orders.shop.example.com/v2/orders|orders.shop.example.com/v2/orders>')).toEqual({ ok: true, value: { kind: 'domain', domain: 'orders.shop.example.com', path: ['v2', 'orders'] } });
    expect(validateTroubleshoot({ restApiId: 'shop-api', stage: 'prod' })).toMatchObject({ ok: true, value: { lookup: { kind: 'name', value: 'shop-api' }, stage: 'prod' } });
    expect(validateTroubleshoot({ restApiId: '<<>>' })).toMatchObject({ ok: false, error: expect.stringContaining('invoke URL') });
  });
});

function cli() {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (t) => out.push(t), err: (t) => err.push(t), style: { color: false, width: 140 }, config: loadConfig({ FIREBREAK_LEDGER_SNAPSHOT: '' }) };
  return { io, out, err };
}

async function resolvedBy(target: string, scenario = 'long-night'): Promise<{ code: number; report?: { target: { restApiId: string; stage?: string; region: string }; resolution?: string }; err: string }> {
  const run = cli();
  const code = await runCli(['troubleshoot', 'api-gw', target, '--scenario', scenario, '--json'], run.io);
  return { code, ...(run.out.length ? { report: JSON.parse(run.out.join('\n')) } : {}), err: run.err.join('\n') };
}

describe('each form resolves in the sandbox, through the CLI (read-only)', () => {
  it.each([
    ['an id', 'a1b2c3d4e5', undefined],
    ['an invoke URL', INVOKE, `resolved ${INVOKE} → a1b2c3d4e5 / prod from the invoke URL`],
    ['a custom domain', 'orders.shop.example.com', 'resolved orders.shop.example.com → a1b2c3d4e5 / prod via base path mapping'],
    ['a URL on the custom domain', 'https://orders.shop.example.com/orders/42', 'via base path mapping'],
    ['the API name', 'shop-api', 'resolved shop-api → a1b2c3d4e5 via API name'],
    ['a console link', CONSOLE, 'from the console link'],
  ])('%s', async (_form, target, resolution) => {
    const { code, report } = await resolvedBy(target);
    expect(code).toBe(0);
    expect(report?.target).toMatchObject({ restApiId: 'a1b2c3d4e5', stage: 'prod', region: 'us-east-1' });
    if (resolution) expect(report?.resolution).toContain(resolution);
    else expect(report?.resolution).toBeUndefined();
  }, 30_000);

  it('an HTTP API behind a custom domain, through its API mapping key', async () => {
    const { code, report } = await resolvedBy('https://orders.shop.example.com/v2/orders', 'http-h6-api-mapping-stale-stage');
    expect(code).toBe(0);
    expect(report?.target).toMatchObject({ restApiId: 'k8h2t4p6v1', stage: 'v2' });
    expect(report?.resolution).toBe('resolved https://orders.shop.example.com/v2/orders → k8h2t4p6v1 / v2 via API mapping');
  }, 30_000);

  it('an unknown domain or name exits 2 and says what was tried', async () => {
    const domain = await resolvedBy('nothere.example.com');
    expect(domain.code).toBe(2);
    expect(domain.err).toContain('tried: apigateway:GetBasePathMappings → no such domain (NotFoundException); apigatewayv2:GetApiMappings → no such domain (NotFoundException)');
    const name = await resolvedBy('no-such-api');
    expect(name.code).toBe(2);
    expect(name.err).toContain('no API is named exactly "no-such-api" in us-east-1\n  tried: apigateway:GetRestApis → 1 REST API; apigatewayv2:GetApis → 0 HTTP/WebSocket APIs');
  }, 30_000);

  it('an ambiguous name lists the candidates', async () => {
    const scenario = parse(readFileSync(join('src', 'sandbox', 'scenarios', 'long-night.yaml'), 'utf8')) as { name: string; accounts: { apigateway: { restApis: { id: string; name: string; createdDate?: string }[] } }[] };
    const apis = scenario.accounts[0]!.apigateway.restApis;
    apis.push({ ...apis[0]!, id: 'z9y8x7w6v5', createdDate: '2023-03-01T00:00:00Z' });
    scenario.name = 'two-shop-apis';
    const file = join(mkdtempSync(join(tmpdir(), 'firebreak-resolve-')), 'two-shop-apis.yaml');
    writeFileSync(file, stringify(scenario));
    const { code, err } = await resolvedBy('shop-api', file);
    expect(code).toBe(2);
    expect(err).toContain('2 APIs are named "shop-api" in us-east-1; name one by its id: a1b2c3d4e5 (REST, created 2024-01-10), z9y8x7w6v5 (REST, created 2023-03-01)');
  }, 30_000);
});

describe('in Slack', () => {
  let h: Harness;
  afterEach(() => closeAndCheck(h));

  it('shows the resolution in the parent message', async () => {
    h = await startHarness({ scenario: 'long-night' });
    await h.command('api-gw orders.shop.example.com --since 2h');
    const parent = await h.slack.waitFor(() => h.slack.callsTo('chat.postMessage').find((c) => c.args.thread_ts === undefined), 30_000);
    expect(textOf(parent)).toContain('resolved orders.shop.example.com → a1b2c3d4e5 / prod via base path mapping');
  }, 60_000);

  it('tells the person privately what was tried for an unknown name, and posts nothing in the channel', async () => {
    h = await startHarness({ scenario: 'long-night' });
    await h.command('api-gw no-such-api');
    const reply = await h.slack.waitFor(() => h.slack.responses.find((r) => JSON.stringify(r).includes('Could not read that API')), 30_000);
    expect(JSON.stringify(reply)).toContain('`apigateway:GetRestApis` → 1 REST API');
    expect(JSON.stringify(reply)).toContain('`/troubleshoot api-gw a1b2c3d4e5`');
    expect(JSON.stringify(reply)).toContain('ephemeral');
    expect(h.slack.callsTo('chat.postMessage')).toHaveLength(0);
  }, 60_000);
});
