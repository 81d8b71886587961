import { afterEach, describe, expect, it } from 'vitest';
import { FakeBedrock } from '../support/fake-bedrock.js';
import { ACTION } from '../../src/slack/blocks/ids.js';
import { actionIds, findActionMessage, REQUESTER, startHarness, textOf, type Harness, closeAndCheck, bundleUploads } from './harness.js';

/** Anything that fails says so in the thread with an error id; nothing collected is lost. */
describe('failures', () => {
  let h: Harness;
  afterEach(() => closeAndCheck(h));

  it('a failed model call is reported in the thread with an error id, refunded, and the bundle stays downloadable', async () => {
    const model = FakeBedrock.answering().fail(Object.assign(new Error('The model is not ready'), { name: 'ValidationException', $metadata: { httpStatusCode: 400 } }));
    h = await startHarness({}, model);
    await h.command('api-gw a1b2c3d4e5 prod');
    const action = await h.slack.waitFor(() => findActionMessage(h.slack), 30_000);
    await h.click(ACTION.analyze, action.investigationId, REQUESTER, { ts: action.ts, thread_ts: action.threadTs });
    const failure = await h.slack.waitFor(() => h.slack.callsTo('chat.postMessage').find((p) => textOf(p).includes('The analysis failed')));
    expect(failure.args.thread_ts).toBe(action.threadTs);
    const errorId = /E-[0-9a-f]{8}/.exec(textOf(failure))?.[0];
    expect(errorId).toBeDefined();
    // Back to pending: the Analyze button returns with why the last attempt failed.
    const updated = await h.slack.waitFor(() => h.slack.callsTo('chat.update').filter((u) => u.args.ts === action.ts && textOf(u).includes('last attempt failed')).at(-1));
    expect(textOf(updated)).toContain(`last attempt failed (error id ${errorId}), nothing charged`);
    expect(actionIds(updated.args)).toEqual([ACTION.addContext, ACTION.analyze, ACTION.download]);
    expect((await h.ledger.quota.usage(REQUESTER)).used).toBe(0);
    expect((await h.ledger.investigations.get(action.investigationId))?.state).toBe('pending');

    await h.click(ACTION.download, action.investigationId, REQUESTER, { ts: action.ts, thread_ts: action.threadTs });
    await h.slack.waitFor(() => bundleUploads(h.slack)[0]);

    // A later click works: the model answers this time (the script ran out; the fallback answers).
    await h.click(ACTION.analyze, action.investigationId, REQUESTER, { ts: action.ts, thread_ts: action.threadTs });
    const answer = await h.slack.waitFor(() => h.slack.callsTo('chat.postMessage').find((p) => textOf(p).includes('Root cause')));
    expect(answer.args.thread_ts).toBe(action.threadTs);
    expect((await h.ledger.investigations.get(action.investigationId))?.state).toBe('answered');
    expect((await h.ledger.quota.usage(REQUESTER)).used).toBeGreaterThan(0);
  }, 60_000);

  it('an investigation that cannot start says why in the thread, with an error id', async () => {
    h = await startHarness();
    // The target was read (so the parent is posted), then the investigation itself falls over.
    h.services.app.troubleshoot = async () => {
      throw new Error('the engine fell over');
    };
    await h.command('api-gw a1b2c3d4e5 prod');
    const failure = await h.slack.waitFor(() => h.slack.callsTo('chat.postMessage').find((p) => textOf(p).includes('The investigation failed')));
    const parent = h.slack.callsTo('chat.postMessage')[0];
    expect(failure.args.thread_ts).toBe(parent?.response?.ts);
    expect(textOf(failure)).toContain('the engine fell over');
    expect(textOf(failure)).toMatch(/Error id `E-[0-9a-f]{8}`/);
    // The channel does not keep reading "collecting".
    await h.slack.waitFor(() => h.slack.callsTo('chat.update').find((u) => u.args.ts === parent?.response?.ts && textOf(u).includes('The investigation failed (error id')));
  }, 60_000);
});
