import { afterEach, describe, expect, it, vi } from 'vitest';
import { ACTION } from '../../src/slack/blocks/ids.js';
import { appHomeOpened } from '../../src/slack/listeners/events/app-home.js';
import { assertWithinBlockKitLimits } from '../support/block-kit-limits.js';
import { fakeApp, fakeClient, fakeServices } from '../support/fake-app.js';
import { closeAndCheck, findActionMessage, REQUESTER, startHarness, type Harness } from './harness.js';

const WEEK = { week: '2026-W48', previousWeek: '2026-W47', costUsd: 0.42, previousCostUsd: 0, tokens: 50_000, calls: 3, perUser: [{ name: 'U0ALICE', costUsd: 0.3, tokens: 40_000, calls: 2 }], perModel: [], quotaHits: 0, cacheHits: 0, savedUsd: 0, fingerprintHits: 0, fingerprintSavedTokens: 0, fingerprintSavedUsd: 0, closedByRules: 1, rulesTokensAvoided: 0, tokensAvoided: 0, daily: [{ day: '2026-11-23', costUsd: 0.42 }] };

function homeEvent(user: string, tab = 'home') {
  return { event: { type: 'app_home_opened', user, channel: 'D1', tab, event_ts: '1.0' } };
}

describe('App Home listener', () => {
  it('publishes, for a person with no history, the quota, an empty list, the team week and the limits', async () => {
    const app = fakeApp({ weeklySummary: vi.fn(async () => WEEK) });
    const client = fakeClient();
    await appHomeOpened(fakeServices(app))({ ...homeEvent('U0NEW'), client } as never);
    expect(app.usage).toHaveBeenCalledWith('U0NEW');
    expect(app.history).toHaveBeenCalledWith('U0NEW', 5);
    const published = client.views.publish.mock.calls[0] as unknown as [{ user_id: string; view: { type: string; blocks: unknown[] } }];
    expect(published[0].user_id).toBe('U0NEW');
    expect(published[0].view.type).toBe('home');
    assertWithinBlockKitLimits(published[0].view, 'modal');
    const text = JSON.stringify(published[0].view.blocks);
    expect(text).toContain('199k of 200k tokens left');
    expect(text).toContain('<!date^');
    expect(text).toContain('None yet');
    expect(text).toContain('$0.42');
    expect(text).toContain('<@U0ALICE> $0.300 (2 analyses)');
    expect(text).toContain('Daily quota: 200k tokens a person');
    expect(text).toContain('<@U0APPROVER>');
  });

  it('lists the last investigations with their verdict and the answer', async () => {
    const app = fakeApp({
      weeklySummary: vi.fn(async () => ({ ...WEEK, calls: 0, costUsd: 0 })),
      history: vi.fn(async () => [
        { investigationId: 'inv2', at: '2026-11-23T09:00:00Z', target: 'API Gateway a1b2c3d4e5 stage prod (us-east-1)', verdict: 'critical: VPC endpoint security groups do not admit HTTPS', rootCause: 'The endpoint SG lost its 443 rule.', confidence: 'high', channel: 'C1', threadTs: '1.0' },
        { investigationId: 'inv1', at: '2026-11-22T09:00:00Z', target: 'API Gateway k8h2t4p6v1 (us-east-1)', verdict: 'no known cause (2 sources with problems)' },
      ]),
    });
    const client = fakeClient();
    await appHomeOpened(fakeServices(app))({ ...homeEvent('U0ALICE'), client } as never);
    const text = JSON.stringify(client.views.publish.mock.calls[0]);
    expect(text).toContain('critical: VPC endpoint security groups do not admit HTTPS');
    expect(text).toContain('_high_: The endpoint SG lost its 443 rule.');
    expect(text).toContain('no known cause (2 sources with problems)');
    expect(text).toContain('No spend recorded this week');
  });

  it('does nothing for the Messages tab', async () => {
    const app = fakeApp();
    const client = fakeClient();
    await appHomeOpened(fakeServices(app))({ ...homeEvent('U0ALICE', 'messages'), client } as never);
    expect(client.views.publish).not.toHaveBeenCalled();
  });
});

describe('App Home end to end', () => {
  let h: Harness;
  afterEach(() => closeAndCheck(h));

  async function openHome(user: string) {
    const body = JSON.stringify({ token: 'legacy', team_id: 'T0EXAMPLE', api_app_id: 'A0APP', type: 'event_callback', event_id: `Ev${Date.now()}`, event_time: Math.floor(Date.now() / 1000), ...homeEvent(user) });
    const res = await h.post(body, { headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(200);
  }

  it('shows my investigation with its verdict and, after an analysis, its root cause', async () => {
    h = await startHarness({ scenario: 'long-night' });
    await h.command('api-gw a1b2c3d4e5 prod');
    const action = await h.slack.waitFor(() => findActionMessage(h.slack), 30_000);
    await openHome(REQUESTER);
    const first = await h.slack.waitFor(() => h.slack.callsTo('views.publish').find((c) => c.args.user_id === REQUESTER));
    expect(JSON.stringify(first.args.view)).toContain('critical: ');
    expect(JSON.stringify(first.args.view)).toContain('https://example.slack.com/archives/');

    await h.click(ACTION.analyze, action.investigationId, REQUESTER, { ts: action.ts, thread_ts: action.threadTs });
    await h.slack.waitFor(() => h.slack.callsTo('chat.postMessage').find((p) => JSON.stringify(p.args).includes('Root cause')));
    await openHome(REQUESTER);
    const second = await h.slack.waitFor(() => h.slack.callsTo('views.publish').filter((c) => c.args.user_id === REQUESTER)[1]);
    expect(JSON.stringify(second.args.view)).toContain('The integration for the failing route is missing or misconfigured.');
    expect(JSON.stringify(second.args.view)).toMatch(/\$\d/);
  }, 60_000);
});
