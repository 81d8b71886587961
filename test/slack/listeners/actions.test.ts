import { describe, expect, it, vi } from 'vitest';
import { addContextAction } from '../../../src/slack/listeners/actions/add-context.js';
import { analyzeAction, type ButtonArgs } from '../../../src/slack/listeners/actions/analyze.js';
import { downloadAction } from '../../../src/slack/listeners/actions/download.js';
import { contextSubmitted, type ViewArgs } from '../../../src/slack/listeners/views/context-submitted.js';
import { CONTEXT_INPUT } from '../../../src/slack/blocks/ids.js';
import { buttonBody, fakeApp, fakeClient, fakeServices } from '../../support/fake-app.js';

function click(user: string) {
  const ack = vi.fn(async () => undefined);
  const client = fakeClient();
  return { ack, client, all: { ack, body: buttonBody(user), client } as unknown as ButtonArgs };
}

describe('Analyze button listener', () => {
  it('lets the requester approve: one conditional move, then the job with the pinned revision', async () => {
    const app = fakeApp();
    const dispatch = vi.fn(async () => undefined);
    const c = click('U0ALICE');
    await analyzeAction(fakeServices(app), dispatch, 'small')(c.all);
    expect(c.ack).toHaveBeenCalled();
    expect(app.approve).toHaveBeenCalledWith(expect.objectContaining({ investigationId: 'inv1', user: 'U0ALICE', size: 'small' }));
    expect(c.client.chat.update).toHaveBeenCalledWith(expect.objectContaining({ ts: '3.0' }));
    expect(dispatch).toHaveBeenCalledWith(expect.objectContaining({ kind: 'analyze', investigationId: 'inv1', revision: 0, size: 'small' }), c.client);
  });

  it('refuses a bystander privately and moves nothing', async () => {
    const app = fakeApp();
    const dispatch = vi.fn();
    const c = click('U0BOB');
    await analyzeAction(fakeServices(app), dispatch, 'small')(c.all);
    expect(app.approve).not.toHaveBeenCalled();
    expect(c.client.chat.postEphemeral).toHaveBeenCalledWith(expect.objectContaining({ user: 'U0BOB' }));
    expect(dispatch).not.toHaveBeenCalled();
  });

  it('tells the loser of a double click that the analysis is in progress', async () => {
    const app = fakeApp({ approve: vi.fn(async () => false) });
    (app.lookup as ReturnType<typeof vi.fn>).mockResolvedValue({ status: 'found', investigation: { id: 'inv1', requester: 'U0ALICE', state: 'approved', ref: {} } });
    const dispatch = vi.fn();
    const c = click('U0ALICE');
    await analyzeAction(fakeServices(app), dispatch, 'small')(c.all);
    expect(c.client.chat.postEphemeral).toHaveBeenCalledWith(expect.objectContaining({ text: expect.stringContaining('in progress') }));
    expect(dispatch).not.toHaveBeenCalled();
  });

  it('gives the approval back when the job cannot be handed on', async () => {
    const app = fakeApp();
    const c = click('U0APPROVER');
    await analyzeAction(fakeServices(app), vi.fn(async () => Promise.reject(new Error('invoke failed'))), 'small')(c.all);
    expect(app.release).toHaveBeenCalledWith(expect.objectContaining({ investigationId: 'inv1', size: 'small' }));
    expect(c.client.chat.postMessage).toHaveBeenCalledWith(expect.objectContaining({ text: expect.stringMatching(/E-[0-9a-f]{8}/) }));
  });

  it('marks the message expired when the investigation is gone', async () => {
    const app = fakeApp({ lookup: vi.fn(async () => ({ status: 'expired' as const })) });
    const c = click('U0ALICE');
    await analyzeAction(fakeServices(app), vi.fn(), 'small')(c.all);
    expect(c.client.chat.update).toHaveBeenCalledWith(expect.objectContaining({ text: expect.stringContaining('expired') }));
  });
});

describe('Add context and Download listeners', () => {
  it('opens a loading modal at once, then the form with the current choices', async () => {
    const c = click('U0ALICE');
    await addContextAction(fakeServices())(c.all);
    expect(c.client.views.open).toHaveBeenCalledWith(expect.objectContaining({ trigger_id: 'trigger-1' }));
    expect(c.client.views.update).toHaveBeenCalledWith(expect.objectContaining({ view_id: 'V1', view: expect.objectContaining({ type: 'modal' }) }));
  });

  it('hands a download to a job', async () => {
    const dispatch = vi.fn(async () => undefined);
    const c = click('U0BOB');
    await downloadAction(fakeServices(), dispatch)(c.all);
    expect(dispatch).toHaveBeenCalledWith(expect.objectContaining({ kind: 'download', investigationId: 'inv1', threadTs: '1.0' }), c.client);
  });
});

describe('Add context modal submission', () => {
  const submit = (values: Record<string, Record<string, unknown>>) => {
    const ack = vi.fn(async () => undefined);
    const view = { private_metadata: JSON.stringify({ id: 'inv1', channel: 'C1', messageTs: '3.0' }), state: { values } };
    return { ack, all: { ack, body: { user: { id: 'U0ALICE' } }, view, client: fakeClient() } as unknown as ViewArgs };
  };

  it('keeps the modal open with an error when no section is ticked', async () => {
    const dispatch = vi.fn();
    const s = submit({});
    await contextSubmitted(fakeServices(), dispatch)(s.all);
    expect(s.ack).toHaveBeenCalledWith(expect.objectContaining({ response_action: 'errors' }));
    expect(dispatch).not.toHaveBeenCalled();
  });

  it('closes and dispatches the rebuild with what was chosen', async () => {
    const dispatch = vi.fn(async () => undefined);
    const s = submit({
      [`${CONTEXT_INPUT.sections.block}_0`]: { [CONTEXT_INPUT.sections.action]: { type: 'checkboxes', selected_options: [{ value: 'configuration' }] } },
      [CONTEXT_INPUT.text.block]: { [CONTEXT_INPUT.text.action]: { type: 'plain_text_input', value: 'deploy at 14:00' } },
    });
    await contextSubmitted(fakeServices(), dispatch)(s.all);
    expect(s.ack).toHaveBeenCalledWith();
    expect(dispatch).toHaveBeenCalledWith(expect.objectContaining({ kind: 'context', investigationId: 'inv1', choices: expect.objectContaining({ sections: ['configuration'], context: 'deploy at 14:00' }) }), expect.anything());
  });
});
