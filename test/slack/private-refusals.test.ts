import { afterEach, describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/main.js';
import { loadConfig } from '../../src/config.js';
import { closeAndCheck, startHarness, textOf, type Harness } from './harness.js';

/**
 * What cannot be read is said to the person who asked, privately, before anything is posted: an
 * unknown id, an account without a role, a region where the API is not, a window in the future,
 * malformed percent-encoding. One ephemeral reply each; the channel sees nothing.
 */
describe('private refusals in Slack', () => {
  let h: Harness;
  let closed = false;
  afterEach(async () => {
    if (!closed) await closeAndCheck(h);
    closed = false;
  });

  async function privately(text: string, scenario = 'long-night'): Promise<string> {
    h = await startHarness({ scenario });
    const res = await h.command(text);
    expect(res.status).toBe(200);
    // The ack says what is being looked at (privately); the refusal follows through the response_url.
    expect(await res.text()).toContain('Investigating');
    const reply = await h.slack.waitFor(() => h.slack.responses[0], 30_000);
    expect(reply.body.response_type).toBe('ephemeral');
    // Let the job finish: nothing more may be posted.
    await closeAndCheck(h);
    closed = true;
    expect(h.slack.callsTo('chat.postMessage')).toHaveLength(0);
    expect(h.slack.callsTo('chat.postEphemeral')).toHaveLength(0);
    expect(h.slack.responses).toHaveLength(1);
    return JSON.stringify(reply.body);
  }

  it('an unknown id: what was tried and the nearest APIs, nothing in the channel', async () => {
    const text = await privately('api-gw a1b2c3d4e6 prod');
    expect(text).toContain('No API `a1b2c3d4e6` in account `111111111111`, us-east-1.');
    expect(text).toContain('`apigatewayv2:GetApi` → NotFoundException');
    expect(text).toContain('`apigateway:GetRestApi` → NotFoundException');
    expect(text).toContain('`/troubleshoot api-gw a1b2c3d4e5`');
    expect(text).toContain('nothing was posted to the channel');
  }, 60_000);

  it('an account without a role', async () => {
    const text = await privately('api-gw a1b2c3d4e5 --account 999999999999');
    expect(text).toContain('Cannot read account `999999999999`');
    expect(text).toContain('no read-only role configured');
  }, 60_000);

  it('a region where the API is not: says where it is', async () => {
    const text = await privately('api-gw a1b2c3d4e5 --region eu-west-3');
    expect(text).toContain('No API `a1b2c3d4e5` in account `111111111111`, eu-west-3.');
    expect(text).toContain('`/troubleshoot api-gw a1b2c3d4e5 --region us-east-1`');
  }, 60_000);

  it('a window in the future (against the scenario’s clock)', async () => {
    const text = await privately('api-gw a1b2c3d4e5 --until 2030-01-01T00:00:00Z');
    expect(text).toContain('the window ends in the future');
  }, 60_000);

  it('malformed percent-encoding is answered in the ack', async () => {
    h = await startHarness({ scenario: 'long-night' });
    const res = await h.command('api-gw https://orders.shop.example.com/v1/%zz');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { response_type: string; text: string };
    expect(body.response_type).toBe('ephemeral');
    expect(body.text).toContain('is not valid percent-encoding');
    expect(textOf({ method: 'ack', args: body as unknown as Record<string, unknown> })).toContain('Usage: `/troubleshoot api-gw &lt;api id');
  }, 60_000);
});

describe('the same refusals in the CLI', () => {
  function io() {
    const out: string[] = [];
    const err: string[] = [];
    const cli: CliIo = { out: (t) => out.push(t), err: (t) => err.push(t), style: { color: false, width: 140 }, config: loadConfig({ FIREBREAK_LEDGER_SNAPSHOT: '' }) };
    return { cli, out, err };
  }

  it('malformed percent-encoding exits 2 with one clear line and the usage', async () => {
    const run = io();
    expect(await runCli(['troubleshoot', 'api-gw', 'https://orders.shop.example.com/v1/%zz', '--scenario', 'long-night'], run.cli)).toBe(2);
    expect(run.err.join('\n')).toMatch(/^firebreak: api: "%zz" is not valid percent-encoding .*\nusage: firebreak troubleshoot api-gw <api id/);
  });

  it('a window in the future exits 2; an unknown account exits 1 saying what is missing', async () => {
    const future = io();
    expect(await runCli(['troubleshoot', 'api-gw', 'a1b2c3d4e5', '--scenario', 'long-night', '--until', '2030-01-01T00:00:00Z'], future.cli)).toBe(2);
    expect(future.err.join('\n')).toContain('the window ends in the future (2030-01-01T00:00:00Z');
    const account = io();
    expect(await runCli(['troubleshoot', 'api-gw', 'a1b2c3d4e5', '--scenario', 'long-night', '--account', '999999999999'], account.cli)).toBe(1);
    expect(account.err.join('\n')).toContain('cannot read account 999999999999: no read-only role configured');
  }, 30_000);
});
