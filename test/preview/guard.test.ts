/**
 * The preview answers its own page only: a web page elsewhere (a cross-origin `text/plain` POST, no
 * preflight needed) cannot start an investigation or press a button, a DNS-rebinding page (a
 * foreign Host) cannot read the channel, and a body over the cap is refused. The page itself, with
 * the token it was served, works.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES, TOKEN_HEADER } from '../../src/preview/guard.js';
import { startPreview, type Preview } from '../../src/preview/server.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

let preview: Preview;
let port: number;
beforeAll(async () => {
  preview = await startPreview({ port: 0, scenario: 'healthy', env: { FIREBREAK_LOG_LEVEL: 'silent' } });
  port = Number(new URL(preview.url).port);
});
afterAll(() => preview.stop());

function send(method: string, path: string, headers: Record<string, string>, body?: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers: { host: `127.0.0.1:${port}`, ...headers, ...(body === undefined ? {} : { 'content-length': String(Buffer.byteLength(body)) }) } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const own = () => ({ origin: `http://127.0.0.1:${port}`, 'content-type': 'application/json' });

async function pageToken(): Promise<string> {
  const page = await send('GET', '/', {});
  expect(page.status).toBe(200);
  const token = /name="firebreak-token" content="([^"]+)"/.exec(page.text)?.[1];
  expect(token).toBeTruthy();
  return token as string;
}

describe('the preview accepts only its own page', () => {
  it('refuses a cross-origin text/plain POST: no command reaches the bot', async () => {
    const before = preview.standIn.calls.length;
    const res = await send('POST', '/do/command', { origin: 'https://evil.example', 'content-type': 'text/plain' }, JSON.stringify({ text: '/troubleshoot api-gw a1b2c3d4e5' }));
    expect(res.status).toBe(403);
    // Even with the page's own token, another origin is refused.
    const token = await pageToken();
    const withToken = await send('POST', '/do/action', { origin: 'https://evil.example', 'content-type': 'application/json', [TOKEN_HEADER]: token }, JSON.stringify({ key: 'x', actionId: 'analyze' }));
    expect(withToken.status).toBe(403);
    expect(preview.standIn.calls.length).toBe(before);
    expect(preview.channel.snapshot().messages).toHaveLength(0);
  });

  it('refuses a foreign Host (DNS rebinding), for reads too', async () => {
    for (const path of ['/state', '/events', '/scenarios', '/']) {
      const res = await send('GET', path, { host: `attacker.example:${port}` });
      expect(res.status, path).toBe(421);
      expect(res.text).not.toContain('messages');
    }
    const post = await send('POST', '/do/close', { ...own(), host: 'attacker.example' }, '{}');
    expect(post.status).toBe(421);
  });

  it('refuses a POST without the page token, or not JSON, and a body over the cap', async () => {
    expect((await send('POST', '/do/close', own(), '{}')).status).toBe(403);
    expect((await send('POST', '/do/close', { ...own(), [TOKEN_HEADER]: 'made-up' }, '{}')).status).toBe(403);
    const token = await pageToken();
    expect((await send('POST', '/do/close', { origin: own().origin, 'content-type': 'text/plain', [TOKEN_HEADER]: token }, '{}')).status).toBe(415);
    expect((await send('POST', '/do/close', { 'content-type': 'application/json', [TOKEN_HEADER]: token }, '{}')).status).toBe(403);
    const big = JSON.stringify({ text: 'x'.repeat(MAX_BODY_BYTES + 1) });
    expect((await send('POST', '/do/command', { ...own(), [TOKEN_HEADER]: token }, big)).status).toBe(413);
  });

  it('guards the fire-alarm control like the others: no alarm event reaches the bot from elsewhere', async () => {
    const before = preview.standIn.calls.length;
    const fire = JSON.stringify({ scenario: 'a8-waf-blocks', alarm: 'waf-shop-edge-blocked', state: 'ALARM' });
    expect((await send('POST', '/do/alarm', { origin: 'https://evil.example', 'content-type': 'text/plain' }, fire)).status).toBe(403);
    expect((await send('POST', '/do/alarm', { ...own(), host: 'attacker.example' }, fire)).status).toBe(421);
    expect((await send('POST', '/do/alarm', own(), fire)).status).toBe(403);
    const token = await pageToken();
    expect((await send('POST', '/do/alarm', { origin: 'https://evil.example', 'content-type': 'application/json', [TOKEN_HEADER]: token }, fire)).status).toBe(403);
    expect((await send('POST', '/do/alarm', { origin: own().origin, 'content-type': 'text/plain', [TOKEN_HEADER]: token }, fire)).status).toBe(415);
    const big = JSON.stringify({ scenario: 'a8-waf-blocks', alarm: 'waf-shop-edge-blocked', state: 'ALARM', padding: 'x'.repeat(MAX_BODY_BYTES) });
    expect((await send('POST', '/do/alarm', { ...own(), [TOKEN_HEADER]: token }, big)).status).toBe(413);
    expect(preview.standIn.calls.length).toBe(before);
    expect(preview.channel.snapshot().messages).toHaveLength(0);
    // The page itself gets through the guard, to the alarm check behind it.
    const unknown = await send('POST', '/do/alarm', { ...own(), [TOKEN_HEADER]: token }, JSON.stringify({ scenario: 'a8-waf-blocks', alarm: 'no-such-alarm' }));
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.text)).toMatchObject({ ok: false, error: 'scenario a8-waf-blocks has no alarm no-such-alarm' });
  });

  it('serves its own page, whose token makes its POSTs work', async () => {
    const token = await pageToken();
    const res = await send('POST', '/do/close', { ...own(), [TOKEN_HEADER]: token }, '{}');
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text)).toEqual({ ok: true });
    const localhost = await send('GET', '/state', { host: `localhost:${port}` });
    expect(localhost.status).toBe(200);
  });
});
