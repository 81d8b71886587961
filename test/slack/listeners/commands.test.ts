import { describe, expect, it, vi } from 'vitest';
import { troubleshootCommand, type CommandArgs } from '../../../src/slack/listeners/commands/troubleshoot.js';
import { fakeApp, fakeClient, fakeServices } from '../../support/fake-app.js';

function args(text: string, channel = 'C1', context: { retryNum?: number } = {}) {
  const ack = vi.fn(async () => undefined);
  const respond = vi.fn(async () => undefined);
  const client = fakeClient();
  const command = { text, channel_id: channel, user_id: 'U0ALICE', response_url: 'http://127.0.0.1/respond', trigger_id: 't1' };
  return { ack, respond, client, command, all: { ack, respond, client, command, context } as unknown as CommandArgs };
}

/** A claim the test settles when it chooses. */
function deferredClaim() {
  let settle!: (first: boolean) => void;
  let fail!: (err: Error) => void;
  const promise = new Promise<boolean>((resolve, reject) => {
    settle = resolve;
    fail = reject;
  });
  return { claimOnce: vi.fn(() => promise), settle, fail };
}

describe('/troubleshoot listener', () => {
  it('acks bad input privately at once and dispatches nothing', async () => {
    const dispatch = vi.fn();
    const a = args('api-gw !bad!');
    await troubleshootCommand(fakeServices(), dispatch)(a.all);
    expect(a.ack).toHaveBeenCalledWith(expect.objectContaining({ response_type: 'ephemeral', text: expect.stringContaining('api: ') }));
    expect(dispatch).not.toHaveBeenCalled();
  });

  it('hands the validated request (not the raw text) to a job, phone dashes included', async () => {
    const dispatch = vi.fn(async () => undefined);
    const a = args('api-gw a1b2c3d4e5 prod —since 30m —until 2026-11-23T09:00:00Z');
    await troubleshootCommand(fakeServices(), dispatch)(a.all);
    expect(a.ack).toHaveBeenCalledWith(expect.objectContaining({ response_type: 'ephemeral' }));
    expect(dispatch).toHaveBeenCalledWith(
      expect.objectContaining({ kind: 'troubleshoot', request: { restApiId: 'a1b2c3d4e5', stage: 'prod', sinceMs: 1_800_000, until: '2026-11-23T09:00:00.000Z' }, responseUrl: 'http://127.0.0.1/respond' }),
      a.client,
    );
  });

  it('acks a second delivery of the same command (same trigger id) and starts nothing', async () => {
    const app = fakeApp({ claimOnce: vi.fn(async () => false) });
    const dispatch = vi.fn();
    const a = args('api-gw a1b2c3d4e5');
    await troubleshootCommand(fakeServices(app), dispatch)(a.all);
    expect(app.claimOnce).toHaveBeenCalledWith('DELIVERY#t1', expect.any(Number), expect.anything());
    expect(a.ack).toHaveBeenCalledTimes(1);
    expect(dispatch).not.toHaveBeenCalled();
  });

  it('acks without waiting for the delivery claim (a ledger write), and starts the work once it is won', async () => {
    const claim = deferredClaim();
    const dispatch = vi.fn(async () => undefined);
    const a = args('api-gw a1b2c3d4e5');
    const handled = troubleshootCommand(fakeServices(fakeApp({ claimOnce: claim.claimOnce })), dispatch)(a.all);
    await vi.waitFor(() => expect(a.ack).toHaveBeenCalledWith(expect.objectContaining({ response_type: 'ephemeral' })));
    expect(claim.claimOnce).toHaveBeenCalledWith('DELIVERY#t1', expect.any(Number), expect.anything());
    expect(dispatch).not.toHaveBeenCalled();
    claim.settle(true);
    await handled;
    expect(dispatch).toHaveBeenCalledTimes(1);
  });

  it('acks Slack’s retry (X-Slack-Retry-Num) empty; it starts the work, and says so, only when the first delivery never arrived', async () => {
    const seen = args('api-gw a1b2c3d4e5', 'C1', { retryNum: 1 });
    const dispatch = vi.fn(async () => undefined);
    await troubleshootCommand(fakeServices(fakeApp({ claimOnce: vi.fn(async () => false) })), dispatch)(seen.all);
    expect(seen.ack).toHaveBeenCalledWith();
    expect(seen.respond).not.toHaveBeenCalled();
    expect(dispatch).not.toHaveBeenCalled();
    const lost = args('api-gw a1b2c3d4e5', 'C1', { retryNum: 2 });
    await troubleshootCommand(fakeServices(fakeApp({ claimOnce: vi.fn(async () => true) })), dispatch)(lost.all);
    expect(lost.ack).toHaveBeenCalledWith();
    expect(lost.respond).toHaveBeenCalledWith(expect.objectContaining({ response_type: 'ephemeral' }));
    expect(dispatch).toHaveBeenCalledTimes(1);
  });

  it('tells the person privately when the claim cannot be written, and starts nothing', async () => {
    const claim = deferredClaim();
    const dispatch = vi.fn();
    const a = args('api-gw a1b2c3d4e5');
    const handled = troubleshootCommand(fakeServices(fakeApp({ claimOnce: claim.claimOnce })), dispatch)(a.all);
    await vi.waitFor(() => expect(a.ack).toHaveBeenCalled());
    claim.fail(new Error('ledger down'));
    await handled;
    expect(dispatch).not.toHaveBeenCalled();
    expect(a.client.chat.postEphemeral).toHaveBeenCalledWith(expect.objectContaining({ channel: 'C1', user: 'U0ALICE', text: expect.stringContaining('Starting the command failed') }));
  });

  it('answers usage through respond, from the app', async () => {
    const app = fakeApp();
    const a = args('usage');
    await troubleshootCommand(fakeServices(app), vi.fn())(a.all);
    expect(app.usage).toHaveBeenCalledWith('U0ALICE');
    expect(a.respond).toHaveBeenCalledWith(expect.objectContaining({ response_type: 'ephemeral' }));
  });

  it('refuses channels that are not allowed, and unknown account aliases', async () => {
    const dispatch = vi.fn();
    const refused = args('api-gw a1b2c3d4e5', 'C0OTHER');
    await troubleshootCommand(fakeServices(fakeApp(), { 'slack.allowedChannels': ['C1'] }), dispatch)(refused.all);
    expect(refused.ack).toHaveBeenCalledWith(expect.objectContaining({ response_type: 'ephemeral' }));
    const unknown = args('api-gw a1b2c3d4e5 --account payments');
    await troubleshootCommand(fakeServices(), dispatch)(unknown.all);
    expect(unknown.ack).toHaveBeenCalledWith(expect.objectContaining({ text: expect.stringContaining('unknown account "payments"') }));
    expect(dispatch).not.toHaveBeenCalled();
  });

  it('shows help for an empty command', async () => {
    const a = args('');
    await troubleshootCommand(fakeServices(), vi.fn())(a.all);
    expect(a.ack).toHaveBeenCalledWith(expect.objectContaining({ response_type: 'ephemeral', text: expect.any(String) }));
  });
});
