import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROTECTED_SECTIONS, SECTION_ORDER } from '../../src/bundle/sections.js';
import { startEmbeddedDynamo, type EmbeddedDynamo } from '../../src/ledger/embedded.js';
import { ACTION, CONTEXT_INPUT, VIEW } from '../../src/slack/blocks/ids.js';
import { findActionMessage, REQUESTER, sectionValues, startHarness, textOf } from './harness.js';

/**
 * State lives in DynamoDB: a click served by another instance (or after a restart) works, and an
 * expired investigation says so. Instances here share one dynalite, as they would one table.
 */
describe('investigation state across instances', () => {
  let dynamo: EmbeddedDynamo;
  beforeAll(async () => {
    dynamo = await startEmbeddedDynamo();
  });
  afterAll(async () => {
    await dynamo.close();
  });

  it('serves Add context and Analyze from a fresh instance, and refuses once expired', async () => {
    const shared = { 'ledger.endpoint': dynamo.endpoint, 'ledger.embedded': false };
    const first = await startHarness(shared);
    await first.command('api-gw a1b2c3d4e5 prod');
    const action = await first.slack.waitFor(() => findActionMessage(first.slack), 30_000);
    await first.close();

    const second = await startHarness(shared);
    try {
      // No evidence in this process: the bundle is rebuilt by reading the same fixed window again.
      await second.submitView(
        {
          callback_id: VIEW.context,
          private_metadata: JSON.stringify({ id: action.investigationId, channel: action.call.args.channel, messageTs: action.ts }),
          state: {
            values: {
              [CONTEXT_INPUT.text.block]: { [CONTEXT_INPUT.text.action]: { type: 'plain_text_input', value: 'only POST /orders fails' } },
              ...sectionValues(SECTION_ORDER.filter((name) => !PROTECTED_SECTIONS.has(name))),
            },
          },
        },
        REQUESTER,
      );
      const revised = await second.slack.waitFor(() => second.slack.callsTo('chat.update').find((u) => u.args.ts === action.ts));
      expect(textOf(revised)).toContain('only POST /orders fails');

      await second.click(ACTION.analyze, action.investigationId, REQUESTER, { ts: action.ts, thread_ts: action.threadTs });
      const answer = await second.slack.waitFor(() => second.slack.callsTo('chat.postMessage').find((p) => textOf(p).includes('Root cause')));
      expect(answer.args.thread_ts).toBe(action.threadTs);
      expect(JSON.stringify(second.model.calls[0])).toContain('only POST /orders fails');
    } finally {
      await second.close();
    }

    const later = new Date(Date.now() + 25 * 3600_000);
    const third = await startHarness(shared, undefined, { now: () => later });
    try {
      await third.click(ACTION.download, action.investigationId, REQUESTER, { ts: action.ts, thread_ts: action.threadTs });
      const expired = await third.slack.waitFor(() => third.slack.callsTo('chat.postEphemeral')[0]);
      expect(textOf(expired)).toContain('expired');
      expect(third.slack.callsTo('files.getUploadURLExternal')).toHaveLength(0);
      // The action message loses its buttons, so nobody else presses one that can only say "expired".
      const update = await third.slack.waitFor(() => third.slack.callsTo('chat.update').find((c) => c.args.ts === action.ts));
      expect(textOf(update)).toContain('expired');
      expect(JSON.stringify(update)).not.toContain('"type":"button"');
    } finally {
      await third.close();
    }
  }, 90_000);
});
