import { describe, expect, it } from 'vitest';
import { startHarness, textOf, threadDone } from './harness.js';

describe('the Slack flow on a WebSocket API', () => {
  it('takes a wss:// URL, posts the WebSocket coverage and the W findings, within Block Kit limits', async () => {
    const h = await startHarness({ scenario: 'w-multi-browser-auth-and-gone' });
    try {
      await h.command('api-gw wss://w5k2m8q4r1.execute-api.us-east-1.amazonaws.com/production');
      await h.slack.waitFor(() => threadDone(h.slack), 30_000);
      // The parent is posted first and updated with the verdict; the thread holds the rest.
      const posts = [...h.slack.callsTo('chat.postMessage'), ...h.slack.callsTo('chat.update')];
      const all = posts.map((p) => textOf(p)).join('\n');
      expect(all).toContain('WebSocket API');
      expect(all).toContain('W1.identity-source-missing');
      expect(all).toContain('W16.posting-to-gone-connections');
      expect(all).toContain('Backend roles (@connections)');
      expect(all).toContain('from the WebSocket URL');
      expect(h.slack.violations).toEqual([]);
    } finally {
      await h.close();
    }
  }, 90_000);
});
