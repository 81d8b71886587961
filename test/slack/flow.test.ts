import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ACTION, CONTEXT_INPUT, VIEW } from '../../src/slack/blocks/ids.js';
import { actionIds, APPROVER, BYSTANDER, buttonValues, findActionMessage, REQUESTER, startHarness, textOf, tickedSections, type Harness, closeAndCheck } from './harness.js';

describe('the Slack flow, end to end through the HTTP receiver', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(() => closeAndCheck(h));

  async function investigateToActions() {
    const res = await h.command('api-gw a1b2c3d4e5 prod --since 2h');
    expect(res.status).toBe(200);
    return h.slack.waitFor(() => findActionMessage(h.slack), 30_000);
  }

  it('runs command → progress → table → modal submit → approve → answer → download', async () => {
    const action = await investigateToActions();
    const posts = h.slack.callsTo('chat.postMessage');
    // Parent in the channel, everything else in its thread.
    const parent = posts[0];
    expect(parent?.args.thread_ts).toBeUndefined();
    expect(textOf(parent!)).toContain('a1b2c3d4e5');
    expect(textOf(parent!)).toContain(`<@${REQUESTER}>`);
    const threadTs = String(parent?.response?.ts);
    expect(posts.slice(1).every((p) => p.args.thread_ts === threadTs)).toBe(true);
    // Progress: posted, then updated to finished.
    const progressTs = String(posts[1]?.response?.ts);
    const updates = h.slack.callsTo('chat.update').filter((u) => u.args.ts === progressTs);
    expect(updates.length).toBeGreaterThan(0);
    expect(textOf(updates.at(-1)!)).toMatch(/Collected \d+\/\d+ sources/);
    // Coverage table: every source with a status.
    const coverage = posts.find((p) => textOf(p).includes('Coverage:'));
    expect(coverage).toBeDefined();
    expect(textOf(coverage!)).toContain(':large_green_circle:');
    // Actions: Add context, Analyze with model/tokens/$, Download; values carry only the id.
    expect(actionIds(action.call.args)).toEqual([ACTION.addContext, ACTION.analyze, ACTION.download]);
    expect(new Set(buttonValues(action.call.args))).toEqual(new Set([action.investigationId]));
    expect(textOf(action.call)).toMatch(/Analyze \(Claude Haiku 4\.5, ~[\d.k]+ tokens, ~\$[\d.]+\)/);

    // Add context: the modal opens, its submission updates the estimate.
    await h.click(ACTION.addContext, action.investigationId, REQUESTER, { ts: action.ts, thread_ts: action.threadTs });
    // A loading modal opens at once (the trigger expires in 3 s); the form replaces it.
    await h.slack.waitFor(() => h.slack.callsTo('views.open')[0]);
    const opened = await h.slack.waitFor(() => h.slack.callsTo('views.update').find((u) => (u.args.view as { callback_id?: string }).callback_id === VIEW.context));
    const view = opened.args.view as { callback_id: string; private_metadata: string; blocks: unknown[] };
    expect(view.callback_id).toBe(VIEW.context);
    const before = h.slack.callsTo('chat.update').length;
    await h.submitView(
      {
        callback_id: VIEW.context,
        private_metadata: view.private_metadata,
        state: {
          values: {
            [CONTEXT_INPUT.text.block]: { [CONTEXT_INPUT.text.action]: { type: 'plain_text_input', value: 'It started after the 10:05 deploy' } },
            ...tickedSections(view),
            [CONTEXT_INPUT.budget.block]: { [CONTEXT_INPUT.budget.action]: { type: 'radio_buttons', selected_option: { value: 'small' } } },
          },
        },
      },
      REQUESTER,
    );
    const revised = await h.slack.waitFor(() => h.slack.callsTo('chat.update').slice(before).find((u) => u.args.ts === action.ts));
    expect(textOf(revised)).toContain('It started after the 10:05 deploy');
    expect(textOf(revised)).toContain('small budget');
    const revision = await h.app.currentBundle(action.investigationId);
    expect(revision?.bundle.text).toContain('10:05 deploy');

    // Approve: the requester may; the answer lands in the thread with the bill.
    await h.click(ACTION.analyze, action.investigationId, REQUESTER, { ts: action.ts, thread_ts: action.threadTs });
    const answer = await h.slack.waitFor(() => h.slack.callsTo('chat.postMessage').find((p) => textOf(p).includes('Root cause')));
    expect(answer.args.thread_ts).toBe(threadTs);
    expect(textOf(answer)).toMatch(/tokens left, resets/);
    expect(h.model.calls).toHaveLength(1);
    const sent = JSON.stringify(h.model.calls[0]);
    expect(sent).toContain('10:05 deploy');
    const answered = await h.slack.waitFor(() => h.slack.callsTo('chat.update').filter((u) => u.args.ts === action.ts && textOf(u).includes('Analyzed, approved by')).at(-1));
    expect(textOf(answered)).toContain(`<@${REQUESTER}>`);
    expect(actionIds(answered.args)).toEqual([ACTION.analyzeLarge, ACTION.download]);
    expect(textOf(answered)).toMatch(/Ask Claude Sonnet 4\.5 · ~\$\d+\.\d\d/);
    const usage = await h.ledger.quota.usage(REQUESTER);
    expect(usage.used).toBeGreaterThan(0);

    // Download: the redacted bundle is uploaded to the thread with files upload v2.
    await h.click(ACTION.download, action.investigationId, BYSTANDER, { ts: action.ts, thread_ts: action.threadTs });
    const completed = await h.slack.waitFor(() => h.slack.callsTo('files.completeUploadExternal')[0]);
    expect(completed.args.thread_ts).toBe(threadTs);
    expect(completed.args.channel_id).toBe(action.call.args.channel);
    expect(h.slack.uploads).toHaveLength(1);
    expect(h.slack.uploads[0]?.content).toBe(revision?.bundle.text);
  }, 60_000);

  it('refuses Analyze from someone who is neither the requester nor an approver', async () => {
    const action = await investigateToActions();
    await h.click(ACTION.analyze, action.investigationId, BYSTANDER, { ts: action.ts, thread_ts: action.threadTs });
    const refusal = await h.slack.waitFor(() => h.slack.callsTo('chat.postEphemeral').find((c) => c.args.user === BYSTANDER));
    expect(textOf(refusal)).toContain('Only <@U0ALICE>');
    expect(h.model.calls).toHaveLength(0);
    expect((await h.ledger.quota.usage(BYSTANDER)).used).toBe(0);
    expect((await h.ledger.investigations.get(action.investigationId))?.state).toBe('pending');
  }, 60_000);

  it('analyses once when Analyze is double-clicked, and charges once', async () => {
    const action = await investigateToActions();
    const click = () => h.click(ACTION.analyze, action.investigationId, APPROVER, { ts: action.ts, thread_ts: action.threadTs });
    await Promise.all([click(), click()]);
    await h.slack.waitFor(() => h.slack.callsTo('chat.postMessage').find((p) => textOf(p).includes('Root cause')));
    await h.slack.waitFor(() => h.slack.callsTo('chat.postEphemeral').find((c) => textOf(c).includes('already')));
    expect(h.model.calls).toHaveLength(1);
    expect(h.slack.callsTo('chat.postMessage').filter((p) => textOf(p).includes('Root cause'))).toHaveLength(1);
    const week = await h.ledger.spend.spendForWeek(h.ledger.spend.weekOf(new Date()));
    expect(week.spend).toHaveLength(1);
    expect((await h.ledger.quota.usage(APPROVER)).used).toBe(week.spend[0]!.inputTokens + week.spend[0]!.outputTokens);
  }, 60_000);

  it('asks the larger model when its button is pressed after the small one answered', async () => {
    const action = await investigateToActions();
    await h.click(ACTION.analyze, action.investigationId, REQUESTER, { ts: action.ts, thread_ts: action.threadTs });
    await h.slack.waitFor(() => h.slack.callsTo('chat.update').find((u) => u.args.ts === action.ts && actionIds(u.args).includes(ACTION.analyzeLarge)));
    await h.click(ACTION.analyzeLarge, action.investigationId, APPROVER, { ts: action.ts, thread_ts: action.threadTs });
    await h.slack.waitFor(() => h.slack.callsTo('chat.postMessage').filter((p) => textOf(p).includes('Root cause')).length === 2);
    expect(h.model.calls.map((c) => c.modelId)).toEqual([h.config.models.small, h.config.models.large]);
    const last = await h.slack.waitFor(() => h.slack.callsTo('chat.update').filter((u) => u.args.ts === action.ts && textOf(u).includes(`approved by <@${APPROVER}>`) && textOf(u).includes('Analyzed')).at(-1));
    // The larger model was used: it is not offered again.
    expect(actionIds(last.args)).toEqual([ACTION.download]);
  }, 60_000);
});

describe('over quota', () => {
  let h: Harness;
  afterEach(() => closeAndCheck(h));

  it('tells the approver used/limit and reset time, sends nothing, and leaves the investigation pending', async () => {
    h = await startHarness({ 'quota.dailyTokens': 100 });
    await h.command('api-gw a1b2c3d4e5 prod');
    const action = await h.slack.waitFor(() => findActionMessage(h.slack), 30_000);
    await h.click(ACTION.analyze, action.investigationId, REQUESTER, { ts: action.ts, thread_ts: action.threadTs });
    const notice = await h.slack.waitFor(() => h.slack.callsTo('chat.postEphemeral').find((c) => textOf(c).includes('Over your daily model quota')));
    expect(notice.args.user).toBe(REQUESTER);
    expect(textOf(notice)).toMatch(/0 of 100 tokens used/);
    expect(textOf(notice)).toContain('Resets <!date^');
    expect(h.model.calls).toHaveLength(0);
    expect((await h.ledger.investigations.get(action.investigationId))?.state).toBe('pending');
    const restored = await h.slack.waitFor(() => h.slack.callsTo('chat.update').filter((u) => u.args.ts === action.ts).at(-1));
    expect(actionIds(restored.args)).toContain(ACTION.analyze);
    const week = await h.ledger.spend.spendForWeek(h.ledger.spend.weekOf(new Date()));
    expect(week.events.filter((e) => e.kind === 'quota_hit')).toHaveLength(1);
  }, 60_000);
});

describe('the demo scenario (several faults, one source refused)', () => {
  it('posts coverage with errors and findings, every message within Block Kit limits', async () => {
    const h = await startHarness({ scenario: 'long-night' });
    try {
      const env = await h.app.world();
      await h.command(`api-gw ${env.defaults?.restApiId ?? ''} ${env.defaults?.stage ?? ''}`.trim());
      await h.slack.waitFor(() => findActionMessage(h.slack), 30_000);
      const posts = h.slack.callsTo('chat.postMessage');
      const coverage = posts.find((p) => String(p.args.text).startsWith('Coverage:'));
      expect(textOf(coverage!)).toContain(':red_circle:');
      const findings = posts.find((p) => /findings/.test(String(p.args.text)));
      expect(findings).toBeDefined();
      expect(h.slack.violations).toEqual([]);
    } finally {
      await h.close();
    }
  }, 60_000);
});

describe('approvers from a user group', () => {
  it('lets a member of the approver group press Analyze, read live from usergroups.users.list', async () => {
    const h = await startHarness({ 'slack.approvers': [], 'slack.approverGroup': 'S0ONCALL' });
    try {
      h.slack.userGroups.set('S0ONCALL', [BYSTANDER]);
      await h.command('api-gw a1b2c3d4e5 prod');
      const action = await h.slack.waitFor(() => findActionMessage(h.slack), 30_000);
      await h.click(ACTION.analyze, action.investigationId, BYSTANDER, { ts: action.ts, thread_ts: action.threadTs });
      await h.slack.waitFor(() => h.slack.callsTo('chat.postMessage').find((p) => textOf(p).includes('Root cause')));
      expect(h.slack.callsTo('usergroups.users.list')[0]?.args.usergroup).toBe('S0ONCALL');
      expect((await h.ledger.quota.usage(BYSTANDER)).used).toBeGreaterThan(0);
      expect((await h.ledger.quota.usage(REQUESTER)).used).toBe(0);
    } finally {
      await h.close();
    }
    expect(h.slack.violations).toEqual([]);
  }, 60_000);
});
