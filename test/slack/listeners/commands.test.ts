import { describe, expect, it, vi } from 'vitest';
import { troubleshootCommand, type CommandArgs } from '../../../src/slack/listeners/commands/troubleshoot.js';
import { fakeApp, fakeClient, fakeServices } from '../../support/fake-app.js';

function args(text: string, channel = 'C1') {
  const ack = vi.fn(async () => undefined);
  const respond = vi.fn(async () => undefined);
  const client = fakeClient();
  const command = { text, channel_id: channel, user_id: 'U0ALICE', response_url: 'http://127.0.0.1/respond', trigger_id: 't1' };
  return { ack, respond, client, command, all: { ack, respond, client, command } as unknown as CommandArgs };
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
    expect(a.ack).toHaveBeenCalledWith();
    expect(dispatch).not.toHaveBeenCalled();
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
