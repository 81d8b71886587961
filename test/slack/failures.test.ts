import { afterEach, describe, expect, it } from 'vitest';
import { FakeBedrock } from '../../src/model/fake.js';
import { ACTION } from '../../src/slack/blocks/ids.js';
import { actionIds, findActionMessage, REQUESTER, startHarness, textOf, type Harness } from './harness.js';

/** Anything that fails says so in the thread with an error id; nothing collected is lost. */
describe('failures', () => {
  let h: Harness;
  afterEach(async () => {
    await h.close();
    expect(h.slack.violations).toEqual([]);
  });

  it('a failed model call is reported in the thread with an error id, refunded, and the bundle stays downloadable', async () => {
    const model = new FakeBedrock().fail(Object.assign(new Error('The model is not ready'), { name: 'ValidationException', $metadata: { httpStatusCode: 400 } }));
    h = await startHarness({}, model);
    await h.command('api-gw a1b2c3d4e5 prod');
    const action = await h.slack.waitFor(() => findActionMessage(h.slack), 30_000);
    await h.click(ACTION.analyze, action.investigationId, REQUESTER, { ts: action.ts, thread_ts: action.threadTs });
    const failure = await h.slack.waitFor(() => h.slack.callsTo('chat.postMessage').find((p) => textOf(p).includes('The analysis failed')));
    expect(failure.args.thread_ts).toBe(action.threadTs);
    const errorId = /E-[0-9a-f]{8}/.exec(textOf(failure))?.[0];
    expect(errorId).toBeDefined();
    const updated = await h.slack.waitFor(() => h.slack.callsTo('chat.update').filter((u) => u.args.ts === action.ts && textOf(u).includes('analysis failed')).at(-1));
    expect(textOf(updated)).toContain(errorId);
    expect(actionIds(updated.args)).toEqual([ACTION.download]);
    expect((await h.services.quota.usage(REQUESTER)).used).toBe(0);
    expect((await h.services.investigations.get(action.investigationId))?.state).toBe('failed');

    await h.click(ACTION.download, action.investigationId, REQUESTER, { ts: action.ts, thread_ts: action.threadTs });
    await h.slack.waitFor(() => h.slack.uploads[0]);
  }, 60_000);

  it('an investigation that cannot start says why in the thread, with an error id', async () => {
    h = await startHarness();
    await h.command('api-gw a1b2c3d4e5 prod --account nosuchalias');
    const failure = await h.slack.waitFor(() => h.slack.callsTo('chat.postMessage').find((p) => textOf(p).includes('The investigation failed')));
    const parent = h.slack.callsTo('chat.postMessage')[0];
    expect(failure.args.thread_ts).toBe(parent?.response?.ts);
    expect(textOf(failure)).toContain('unknown account');
    expect(textOf(failure)).toMatch(/Error id `E-[0-9a-f]{8}`/);
  }, 60_000);
});
