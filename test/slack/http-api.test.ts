import { describe, expect, it } from 'vitest';
import { startHarness, textOf, threadDone } from './harness.js';

describe('the Slack flow on an HTTP API (API Gateway v2)', () => {
  it('posts coverage with the v2 sources and the H findings, within Block Kit limits', async () => {
    const h = await startHarness({ scenario: 'http-multi-throttle-and-permission' });
    try {
      const env = await h.app.world();
      await h.command(`api-gw ${env.defaults?.restApiId ?? ''}`.trim());
      await h.slack.waitFor(() => threadDone(h.slack), 30_000);
      const posts = h.slack.callsTo('chat.postMessage');
      const all = posts.map((p) => textOf(p)).join('\n');
      expect(all).toContain('Routes and integrations');
      expect(all).toMatch(/not applicable\*: [^"\n]*Execution logs/);
      expect(all).toContain('H18.lambda-permission-missing');
      expect(h.slack.violations).toEqual([]);
    } finally {
      await h.close();
    }
  }, 60_000);
});
