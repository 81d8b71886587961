import { describe, expect, it, vi } from 'vitest';
import type { ButtonArgs } from '../../../src/slack/listeners/actions/analyze.js';
import { coverageTableAction } from '../../../src/slack/listeners/actions/coverage-table.js';
import { buttonBody, fakeApp, fakeClient, fakeServices } from '../../support/fake-app.js';

describe('Full table button listener', () => {
  it('acks, then shows every coverage row to the clicker alone, in the thread, from the stored report', async () => {
    const coverage = [
      { source: 'apigw.rest-api', title: 'REST API', status: 'ok', reason: 'PRIVATE API shop-api', durationMs: 1, calls: [] },
      { source: 'cloudtrail.changes', title: 'CloudTrail changes', status: 'error', error: { kind: 'access_denied', message: 'no', action: 'cloudtrail:LookupEvents' }, durationMs: 1, calls: [] },
    ];
    const app = fakeApp({
      lookup: vi.fn(async () => ({ status: 'found' as const, investigation: { id: 'inv1', requester: 'U0ALICE', state: 'pending' as const, ref: {}, report: { coverage } as never, bundleOptions: {}, createdAt: '', expiresAt: '' } })),
    });
    const ack = vi.fn(async () => undefined);
    const client = fakeClient();
    await coverageTableAction(fakeServices(app))({ ack, body: buttonBody('U0BOB'), client } as unknown as ButtonArgs);
    expect(ack).toHaveBeenCalled();
    expect(app.lookup).toHaveBeenCalledWith('inv1');
    const posted = client.chat.postEphemeral.mock.calls[0] as unknown as [{ user: string; thread_ts: string; blocks: unknown[] }];
    expect(posted[0]).toMatchObject({ user: 'U0BOB', thread_ts: '1.0' });
    const text = JSON.stringify(posted[0].blocks);
    expect(text).toContain('PRIVATE API shop-api');
    expect(text).toContain('`cloudtrail:LookupEvents` refused');
  });

  it('says the investigation expired when it is gone', async () => {
    const app = fakeApp({ lookup: vi.fn(async () => ({ status: 'expired' as const })) });
    const client = fakeClient();
    await coverageTableAction(fakeServices(app))({ ack: vi.fn(async () => undefined), body: buttonBody('U0BOB'), client } as unknown as ButtonArgs);
    expect(JSON.stringify(client.chat.postEphemeral.mock.calls[0])).toMatch(/expired|no longer/i);
  });
});
