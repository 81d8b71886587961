/**
 * End to end through the real receiver: secrets planted in every source of a scenario (one line of
 * every family of the redaction corpus in every place), typed into the Add context modal and into
 * a 👎 feedback note never reach any Slack message, modal, uploaded file or response_url, the model
 * prompt (FakeBedrock records it), the stored context or the stored feedback note. The CLI's side
 * is test/cli/secrets-egress.test.ts.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/app/log.js';
import { ACTION, CONTEXT_INPUT, FEEDBACK_INPUT, VIEW } from '../../src/slack/blocks/ids.js';
import { handleWorkerEvent } from '../../src/slack/receivers/worker.js';
import { createSlackServices } from '../../src/slack/services-factory.js';
import { ALARM_NAME, CONTEXT, FEEDBACK_NOTE, leak, scenarioFile } from '../support/secrets-everywhere.js';
import { closeAndCheck, findActionMessage, REQUESTER, startHarness, textOf, tickedSections } from './harness.js';

describe('nothing secret leaves through Slack', () => {
  it('coverage, findings, the action message, the modal, the answer and the uploaded bundle hold no planted secret', async () => {
    const h = await startHarness({ scenario: scenarioFile(mkdtempSync(join(tmpdir(), 'firebreak-slack-egress-'))) });
    try {
      await h.command('api-gw a1b2c3d4e5');
      const action = await h.slack.waitFor(() => findActionMessage(h.slack), 30_000);
      const at = { ts: action.ts, thread_ts: action.threadTs };

      await h.click(ACTION.addContext, action.investigationId, REQUESTER, at);
      const opened = await h.slack.waitFor(() => h.slack.callsTo('views.update').find((u) => (u.args.view as { callback_id?: string }).callback_id === VIEW.context));
      const view = opened.args.view as { private_metadata: string };
      const before = h.slack.callsTo('chat.update').length;
      await h.submitView(
        {
          callback_id: VIEW.context,
          private_metadata: view.private_metadata,
          state: { values: { [CONTEXT_INPUT.text.block]: { [CONTEXT_INPUT.text.action]: { type: 'plain_text_input', value: CONTEXT } }, ...tickedSections(opened.args.view as Record<string, unknown>) } },
        },
        REQUESTER,
      );
      await h.slack.waitFor(() => h.slack.callsTo('chat.update').slice(before).find((u) => u.args.ts === action.ts));
      // Whatever the context was reopened with is what the modal shows back: open it again.
      await h.click(ACTION.addContext, action.investigationId, REQUESTER, at);
      await h.slack.waitFor(() => h.slack.callsTo('views.update').filter((u) => (u.args.view as { callback_id?: string }).callback_id === VIEW.context)[1]);

      await h.click(ACTION.analyze, action.investigationId, REQUESTER, at);
      await h.slack.waitFor(() => h.slack.callsTo('chat.postMessage').find((p) => textOf(p).includes('Root cause')), 30_000);
      await h.click(ACTION.download, action.investigationId, REQUESTER, at);
      await h.slack.waitFor(() => h.slack.uploads[0], 30_000);

      // 👎 with "the real cause" note.
      const answer = h.slack.callsTo('chat.postMessage').find((p) => textOf(p).includes('Root cause'))!;
      const feedbackValue = ((answer.args.blocks as { block_id?: string; elements?: { value: string }[] }[]).find((b) => b.block_id === 'firebreak_feedback')?.elements ?? [])[0]?.value ?? '';
      await h.click(ACTION.feedbackWrong, feedbackValue, REQUESTER, { ts: String(answer.response?.ts), thread_ts: action.threadTs });
      const feedbackModal = await h.slack.waitFor(() => h.slack.callsTo('views.open').find((c) => (c.args.view as { callback_id?: string }).callback_id === VIEW.feedback));
      await h.submitView(
        { callback_id: VIEW.feedback, private_metadata: (feedbackModal.args.view as { private_metadata: string }).private_metadata, state: { values: { [FEEDBACK_INPUT.block]: { [FEEDBACK_INPUT.action]: { type: 'plain_text_input', value: FEEDBACK_NOTE } } } } },
        REQUESTER,
      );
      const week = h.ledger.spend.weekOf(new Date());
      await expect.poll(async () => (await h.ledger.spend.spendForWeek(week)).feedback?.[0]?.realCause, { timeout: 10_000 }).toBeDefined();
      const stored = await h.ledger.spend.spendForWeek(week);
      expect(stored.feedback?.[0]?.realCause).toContain('[REDACTED:');
      expect(leak(JSON.stringify(stored)), 'the stored feedback note').toBeUndefined();
      const current = await h.app.currentBundle(action.investigationId);
      expect(current?.choices.context).toContain('[REDACTED:');
      expect(leak(JSON.stringify(current)), 'the stored context and bundle').toBeUndefined();

      expect(h.model.calls).toHaveLength(1);
      for (const call of h.slack.calls) expect(leak(JSON.stringify(call.args)), `${call.method}`).toBeUndefined();
      for (const upload of h.slack.uploads) expect(leak(JSON.stringify(upload)), 'uploaded file').toBeUndefined();
      for (const response of h.slack.responses) expect(leak(JSON.stringify(response.body)), 'response_url').toBeUndefined();
      expect(leak(JSON.stringify(h.model.calls)), 'the model prompt').toBeUndefined();
    } finally {
      await closeAndCheck(h);
    }
  }, 120_000);

  it('an alarm whose own text carries secrets (name, description, reason, tags): its parent, thread and the worker log hold none', async () => {
    const h = await startHarness({ scenario: scenarioFile(mkdtempSync(join(tmpdir(), 'firebreak-slack-alarm-egress-'))), 'alarms.routes': [{ channel: 'C0ALARMS' }] });
    try {
      const logs: string[] = [];
      const services = await createSlackServices(h.config, { app: h.app, logger: createLogger({ level: 'debug' }, { write: (line: string) => void logs.push(line) }) });
      // The event as EventBridge delivers it: the alarm's own text, unredacted.
      const event = await h.app.alarms.fireEvent(ALARM_NAME, 'ALARM');
      expect(leak(JSON.stringify(event))).toBeDefined();
      expect(await handleWorkerEvent(event, services, h.running.app.client)).toEqual({ ran: true });
      const parent = h.slack.callsTo('chat.postMessage').find((c) => c.args.channel === 'C0ALARMS' && !c.args.thread_ts);
      expect(parent && textOf(parent)).toContain('Started by alarm `apigw-shop-api-5xx');
      expect(await handleWorkerEvent(await h.app.alarms.fireEvent(ALARM_NAME, 'OK'), services, h.running.app.client)).toEqual({ ran: true });
      expect(h.slack.callsTo('chat.update').length).toBeGreaterThan(0);
      for (const call of h.slack.calls) expect(leak(JSON.stringify(call.args)), `${call.method}`).toBeUndefined();
      expect(logs.length).toBeGreaterThan(0);
      expect(leak(logs.join('\n')), 'the worker log').toBeUndefined();
    } finally {
      await closeAndCheck(h);
    }
  }, 120_000);
});
