import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ACTION, CONTEXT_INPUT, VIEW } from '../../src/slack/blocks/ids.js';
import { actionIds, APPROVER, BYSTANDER, bundleUploads, buttonValues, findActionMessage, REQUESTER, startHarness, textOf, threadDone, tickedSections, type Harness, closeAndCheck } from './harness.js';

describe('the Slack flow, end to end through the HTTP receiver', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(() => closeAndCheck(h));

  async function investigateToActions() {
    const res = await h.command('api-gw a1b2c3d4e5 prod --since 2h');
    expect(res.status).toBe(200);
    await h.slack.waitFor(() => threadDone(h.slack), 30_000);
    return h.slack.waitFor(() => findActionMessage(h.slack), 30_000);
  }

  it('runs command → parent with progress → findings, chart, approval, coverage → modal submit → approve → answer → download', async () => {
    const action = await investigateToActions();
    const posts = h.slack.callsTo('chat.postMessage');
    // Parent in the channel, everything else in its thread.
    const parent = posts[0];
    expect(parent?.args.thread_ts).toBeUndefined();
    expect(textOf(parent!)).toContain('a1b2c3d4e5');
    expect(textOf(parent!)).toContain(`<@${REQUESTER}>`);
    const threadTs = String(parent?.response?.ts);
    expect(posts.slice(1).every((p) => p.args.thread_ts === threadTs)).toBe(true);
    // The thread opens on what matters: findings, then the approval, then the coverage; the
    // progress lives in the parent (no progress bar in the thread).
    expect(posts.slice(1).map((p) => String(p.args.text).replace(/^(\d+ findings|No findings|Coverage|Analyze|Bundle).*$/s, '$1'))).toEqual(['No findings', 'Analyze', 'Coverage']);
    expect(JSON.stringify(posts)).not.toMatch(/[█░]{5}/);
    const chart = h.slack.callsTo('files.completeUploadExternal').find((c) => c.args.thread_ts === threadTs);
    expect((chart?.args.files as { title: string }[])[0]?.title).toBe('Traffic of API Gateway a1b2c3d4e5 stage prod (us-east-1)');
    // Coverage: "read", never a green "ok".
    const coverage = posts.find((p) => textOf(p).includes('Coverage:'));
    expect(coverage).toBeDefined();
    expect(textOf(coverage!)).toContain('sources read');
    expect(textOf(coverage!)).not.toContain(':large_green_circle:');
    // Actions: Add context, Analyze with model/tokens/$, Download; values carry only the id.
    expect(actionIds(action.call.args)).toEqual([ACTION.addContext, ACTION.analyze, ACTION.download]);
    expect(new Set(buttonValues(action.call.args))).toEqual(new Set([action.investigationId]));
    expect(textOf(action.call)).toMatch(/Analyze · ~\$\d+\.\d\d \(Claude Haiku 4\.5 \(us-east-1\) · reads ~[\d.k]+ tokens/);

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

    // Download: the redacted bundle goes to the person who pressed it, in their DM, not the channel.
    await h.click(ACTION.download, action.investigationId, BYSTANDER, { ts: action.ts, thread_ts: action.threadTs });
    const completed = await h.slack.waitFor(() => h.slack.callsTo('files.completeUploadExternal').find((c) => c.args.channel_id !== action.call.args.channel));
    expect(h.slack.callsTo('conversations.open')[0]?.args.users).toBe(BYSTANDER);
    expect(completed.args.channel_id).toBe('D0BOB');
    expect(completed.args.thread_ts).toBeUndefined();
    expect(bundleUploads(h.slack)).toHaveLength(1);
    expect(bundleUploads(h.slack)[0]?.content).toBe(revision?.bundle.text);
    const told = await h.slack.waitFor(() => h.slack.callsTo('chat.postEphemeral').find((c) => c.args.user === BYSTANDER && textOf(c).includes('direct messages')));
    expect(told.args.thread_ts).toBe(threadTs);
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
    const notice = await h.slack.waitFor(() => h.slack.callsTo('chat.postEphemeral').find((c) => textOf(c).includes('Nothing was sent or charged')));
    expect(notice.args.user).toBe(REQUESTER);
    // The same figure as the button: what the analysis reserves, against the whole quota.
    expect(textOf(notice)).toMatch(/This analysis reserves up to [\d.]+k tokens, more than your whole daily quota \(100\)/);
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
  it('puts both critical findings in the parent, fixes as commands in the thread, the refusal once, the cited sources marked', async () => {
    const h = await startHarness({ scenario: 'long-night' });
    try {
      const env = await h.app.world();
      await h.command(`api-gw ${env.defaults?.restApiId ?? ''} ${env.defaults?.stage ?? ''}`.trim());
      await h.slack.waitFor(() => threadDone(h.slack), 30_000);
      const posts = h.slack.callsTo('chat.postMessage');
      const parentTs = String(posts[0]?.response?.ts);
      const verdict = await h.slack.waitFor(() => h.slack.callsTo('chat.update').filter((u) => u.args.ts === parentTs && textOf(u).includes('_Fix:_')).at(-1));
      const parentText = textOf(verdict);
      expect(parentText).toContain(':rotating_light: *critical*: VPC endpoint security groups do not admit HTTPS (443) from the callers');
      expect(parentText).toContain(":rotating_light: *critical*: A custom domain's DNS points at another API Gateway target");
      expect(parentText).toContain('+1 more finding in the thread');
      const findings = posts.find((p) => /findings/.test(String(p.args.text)));
      const findingsText = textOf(findings!);
      // The fix as a command, with the values firebreak knows, and a console link.
      expect(findingsText).toContain('aws ec2 authorize-security-group-ingress --group-id sg-0vpce443 --protocol tcp --port 443 --cidr 10.20.0.0/16 --region us-east-1');
      expect(findingsText).toContain('#SecurityGroup:groupId=sg-0vpce443|Open security group sg-0vpce443 in the AWS console>');
      // The CloudTrail refusal: one entry in the findings with the fix, one line in the coverage pointing to it.
      const coverage = textOf(posts.find((p) => String(p.args.text).startsWith('Coverage:'))!);
      expect((findingsText + coverage).match(/`cloudtrail:LookupEvents` refused/g)).toHaveLength(2);
      expect(coverage).toContain('`cloudtrail:LookupEvents` refused — the fix is with the findings');
      expect(coverage).not.toContain('allow `cloudtrail:LookupEvents`');
      // The security group and the DNS were read, and a critical finding cites them: they carry its mark.
      expect(coverage).toMatch(/:rotating_light: \*Endpoint security groups\* `read` · 1 — cited by the critical finding/);
      expect(coverage).toMatch(/:rotating_light: \*Custom domain DNS\* `read` · 1 — cited by the critical finding/);
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
