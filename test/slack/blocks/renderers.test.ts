import { actionView } from '../../../src/slack/jobs/action-view.js';
import { BUNDLE, fakeServices } from '../../support/fake-app.js';
import { describe, expect, it } from 'vitest';
import type { CoverageRow } from '../../../src/core/coverage.js';
import type { Finding } from '../../../src/core/finding.js';
import { shortModelName } from '../../../src/model/prices.js';
import { actionMessage, expiredActionMessage, type ActionView, priceLabel } from '../../../src/slack/blocks/actions.js';
import { answerMessage } from '../../../src/slack/blocks/answer.js';
import { contextModal, readContextChoices } from '../../../src/slack/blocks/context-modal.js';
import { coverageLine, coverageMessage, coverageTableMessage } from '../../../src/slack/blocks/coverage.js';
import { findingsMessage } from '../../../src/slack/blocks/findings.js';
import { ACTION, CONTEXT_INPUT } from '../../../src/slack/blocks/ids.js';
import { badInputMessage, errorMessage, helpMessage, overQuotaMessage, quotaMessage, notFoundMessage } from '../../../src/slack/blocks/notices.js';
import { parentMessage } from '../../../src/slack/blocks/parent.js';
import type { WeeklySummary } from '../../../src/app/index.js';
import { dailyBars } from '../../../src/core/units.js';
import { summaryMessage } from '../../../src/slack/blocks/summary.js';
import { assertWithinBlockKitLimits, blockKitProblems } from '../../support/block-kit-limits.js';

const long = (n: number, ch = 'x') => ch.repeat(n);

function row(i: number, overrides: Partial<CoverageRow> = {}): CoverageRow {
  return {
    source: `source.${i}`,
    title: `Source number ${i}`,
    status: (['ok', 'empty', 'not_configured', 'not_applicable', 'error'] as const)[i % 5]!,
    reason: `reason ${i} ${long(150)}`,
    count: i,
    hint: i % 5 === 4 ? `fix ${i} ${long(150)}` : undefined,
    error: i % 5 === 4 ? { kind: 'access_denied', message: 'User is not authorized', action: 'cloudtrail:LookupEvents' } : undefined,
    durationMs: 10,
    calls: [],
    ...overrides,
  } as CoverageRow;
}

const actionBase: ActionView = {
  investigationId: 'abc123def456ghij',
  state: 'pending',
  bundle: { tokens: 9_000, rawTokens: 120_000, budget: 'medium', sections: 6, redactions: 3 },
  estimate: { model: 'Claude Haiku 4.5', tokens: 9_400, costUsd: 0.0178 },
  modelEnabled: true,
};

describe('coverage table', () => {
  it('keeps 60 long rows within the limits and counts any that do not fit', () => {
    const rows = Array.from({ length: 60 }, (_, i) => row(i));
    assertWithinBlockKitLimits(coverageMessage(rows, { investigationId: 'inv1' }), 'message');
    const message = coverageTableMessage(rows);
    assertWithinBlockKitLimits(message, 'message');
    const text = JSON.stringify(message.blocks);
    for (const r of rows) expect(text.includes(`Source number ${r.count}*`) || /and \d+ more sources/.test(text)).toBe(true);
    expect(message.text).toContain('60 sources');
  });

  it('stays within limits with 500 rows of maximal text, and says how many were left out', () => {
    const rows = Array.from({ length: 500 }, (_, i) => row(i, { reason: long(5_000), hint: long(5_000), title: long(500) }));
    const message = coverageTableMessage(rows);
    expect(blockKitProblems(message as never, 'message')).toEqual([]);
    expect(JSON.stringify(message.blocks)).toMatch(/and \d+ more sources/);
    const compact = coverageMessage(rows, { investigationId: 'inv1' });
    expect(blockKitProblems(compact as never, 'message')).toEqual([]);
    expect(JSON.stringify(compact.blocks)).toContain('Coverage: 200 of 500 sources need attention');
  });

  it('shows the refused IAM action and the fix for an error row', () => {
    const line = coverageLine(row(4));
    expect(line).toContain(':red_circle:');
    expect(line).toContain('`cloudtrail:LookupEvents` refused');
    expect(line).toContain('_fix:_');
  });
});

describe('findings', () => {
  it('keeps 60 findings within 50 blocks, most severe first', () => {
    const findings: Finding[] = Array.from({ length: 60 }, (_, i) => ({
      rule: `R${i}`,
      severity: i === 59 ? 'critical' : 'low',
      title: `Finding ${i} ${long(300)}`,
      detail: long(4_000),
      evidence: Array.from({ length: 9 }, (_, j) => ({ source: 'logs.execution', key: `k${j}`, quote: long(400) })),
      fix: long(1_000),
    }));
    const message = findingsMessage(findings);
    assertWithinBlockKitLimits(message, 'message');
    expect(JSON.stringify(message.blocks[1])).toContain('Finding 59');
    expect(JSON.stringify(message.blocks)).toContain('more findings');
  });

  it('says plainly when no rule matched', () => {
    expect(findingsMessage([]).text).toContain('No findings');
  });
});

describe('action message', () => {
  it('offers Add context, Analyze (model, tokens, $) and Download, each carrying only the id', () => {
    const message = actionMessage(actionBase);
    assertWithinBlockKitLimits(message, 'message');
    const actions = message.blocks.find((b) => b.type === 'actions') as { elements: { action_id: string; value: string; text: { text: string } }[] };
    expect(actions.elements.map((e) => e.action_id)).toEqual([ACTION.addContext, ACTION.analyze, ACTION.download]);
    expect(actions.elements.every((e) => e.value === actionBase.investigationId)).toBe(true);
    // A short label (phones clip long ones), the price rounded up to the cent; the details beside it, with the same token figure.
    expect(actions.elements[1]?.text.text).toBe('Analyze · ~$0.02');
    const text = JSON.stringify(message.blocks);
    expect(text).toContain('*To send:* ~9.4k tokens: the redacted bundle');
    expect(text).toContain('Claude Haiku 4.5 · reads ~9.4k tokens · at most $0.018 · estimated offline');
    expect(text.match(/9\.4k/g)).toHaveLength(2);
  });

  it('offers the analysis on a healthy API without urging it', () => {
    const urged = actionMessage(actionBase).blocks.find((b) => b.type === 'actions') as { elements: { style?: string }[] };
    expect(urged.elements[1]?.style).toBe('primary');
    const healthy = actionMessage({ ...actionBase, verdict: 'healthy' });
    const elements = (healthy.blocks.find((b) => b.type === 'actions') as { elements: { action_id: string; style?: string }[] }).elements;
    expect(elements.find((e) => e.action_id === ACTION.analyze)?.style).toBeUndefined();
    expect(JSON.stringify(healthy.blocks)).toContain('No problem found, so an analysis is optional.');
  });

  it('rounds the label up to a cent and never shows $0.00', () => {
    expect(priceLabel(0.0048)).toBe('$0.01');
    expect(priceLabel(0.011)).toBe('$0.02');
    expect(priceLabel(1.3)).toBe('$1.30');
  });

  it('after an answer shows who approved and offers only the larger model and the download', () => {
    const message = actionMessage({ ...actionBase, state: 'answered', approvedBy: 'U0ALICE', larger: { model: 'Claude Sonnet 4.5', tokens: 9_400, costUsd: 0.05 } });
    const text = JSON.stringify(message.blocks);
    expect(text).toContain('approved by <@U0ALICE>');
    expect(text).toContain('Ask Claude Sonnet 4.5 · ~$0.05');
    expect(text).toContain('Larger model: Claude Sonnet 4.5 · reads ~9.4k tokens · at most $0.050');
    expect(text).not.toContain(ACTION.analyze + '"');
  });

  it('without a model configured offers no Analyze button and says why', () => {
    const message = actionMessage({ ...actionBase, modelEnabled: false });
    expect(JSON.stringify(message.blocks)).not.toContain(ACTION.analyze);
    expect(JSON.stringify(message.blocks)).toContain('No model is configured');
  });

  it('keeps a long added context and a long model name within limits', () => {
    const message = actionMessage({ ...actionBase, context: long(5_000), estimate: { model: long(200), tokens: 1, costUsd: 1 } });
    assertWithinBlockKitLimits(message, 'message');
  });
});

describe('add-context modal', () => {
  it('round-trips its inputs, and many sections stay within 100 blocks and 10 options a group', () => {
    const sections = Array.from({ length: 300 }, (_, i) => `section-${i}`);
    const view = contextModal({ privateMetadata: '{"id":"x"}', sections, selected: ['section-1'], budgets: ['small', 'medium', 'large'], budget: 'medium', context: 'hello' });
    assertWithinBlockKitLimits(view, 'modal');
    const choices = readContextChoices({
      [CONTEXT_INPUT.text.block]: { [CONTEXT_INPUT.text.action]: { value: '  after the deploy ' } },
      [`${CONTEXT_INPUT.sections.block}_0`]: { [CONTEXT_INPUT.sections.action]: { selected_options: [{ value: 'logs' }] } },
      [`${CONTEXT_INPUT.sections.block}_1`]: { [CONTEXT_INPUT.sections.action]: { selected_options: [{ value: 'cloudtrail' }] } },
      [CONTEXT_INPUT.budget.block]: { [CONTEXT_INPUT.budget.action]: { selected_option: { value: 'large' } } },
    });
    expect(choices).toEqual({ context: 'after the deploy', sections: ['logs', 'cloudtrail'], budget: 'large' });
  });
});

describe('answer, notices, parent, progress, summary', () => {
  it('renders the answer with its footer, within limits even when long', () => {
    const message = answerMessage({
      summary: long(10_000),
      rootCause: { statement: long(5_000), confidence: 'medium' },
      evidence: Array.from({ length: 30 }, () => long(1_000)),
      missingData: ['CloudTrail lookups were refused'],
      nextSteps: Array.from({ length: 30 }, () => long(1_000)),
      truncated: true,
      model: 'us.anthropic.claude-haiku-4-5-20251001-v1:0',
      inputTokens: 9_000,
      outputTokens: 700,
      costUsd: 0.0134,
      cacheHit: false,
      quota: { used: 10_000, limit: 200_000, remaining: 190_000, resetsAt: new Date('2026-11-24T00:00:00Z') },
      approvedBy: 'U0ALICE',
    });
    assertWithinBlockKitLimits(message, 'message');
    const text = JSON.stringify(message.blocks);
    expect(text).toContain('190k of 200k tokens left');
    expect(text).toContain('$0.013');
    expect(text).toContain('output token limit');
  });

  it('renders a reused answer: whose, how old, how the errors moved, and Analyze fresh with its price', () => {
    const message = answerMessage({
      ...sampleAnswerView(),
      cacheHit: true,
      costUsd: 0,
      reused: { askedBy: 'U0ALICE', ageMinutes: 14, errorCountThen: 212, errorCountNow: 340, savedUsd: 0.021, investigationId: 'inv-9', size: 'small', freshCostUsd: 0.0134 },
    });
    assertWithinBlockKitLimits(message, 'message');
    const text = JSON.stringify(message.blocks);
    expect(text).toContain('Same evidence as 14 minutes ago, asked by <@U0ALICE>; the error count went from 212 to 340');
    const actions = message.blocks.find((b) => b.type === 'actions') as { elements: { action_id: string; value: string; text: { text: string } }[] };
    expect(actions.elements[0]).toMatchObject({ action_id: ACTION.analyzeFresh, value: 'inv-9', text: { text: 'Analyze fresh (~$0.013)' } });
    // A name from the terminal is not a Slack id: shown as @name, never as a broken mention.
    const fromCli = JSON.stringify(answerMessage({ ...sampleAnswerView(), reused: { askedBy: 'alice', ageMinutes: 0, errorCountThen: 5, errorCountNow: 5, savedUsd: 0, investigationId: 'i', size: 'large', freshCostUsd: 0.1 } }).blocks);
    expect(fromCli).toContain('asked by @alice; the error count is unchanged (5)');
    expect(fromCli).toContain(ACTION.analyzeLargeFresh);
  });

  it('renders every notice within limits', () => {
    for (const message of [
      badInputMessage(long(5_000)),
      helpMessage(),
      quotaMessage({ user: 'U1', used: 1, limit: 2, remaining: 1, resetsAt: new Date() }),
      quotaMessage({ user: 'U1', used: 1, limit: null, remaining: null, resetsAt: new Date() }),
      overQuotaMessage({ used: 199_000, limit: 200_000, resetsAt: new Date(), needed: 9_000 }),
      errorMessage(long(1_000), 'E-1234abcd', long(5_000)),
      parentMessage({ target: { kind: 'api-gw', restApiId: 'a1b2c3d4e5', region: 'us-east-1', stage: 'prod' }, window: { since: new Date(0), until: new Date(1) }, requester: 'U1', origin: 'sandbox:healthy', investigationId: 'i' }),
      notFoundMessage('no API x', { subject: 'api', asked: long(3_000), account: '111111111111', region: 'us-east-1', tried: Array.from({ length: 20 }, () => ({ call: long(300), answer: long(300) })), candidates: Array.from({ length: 20 }, (_, i) => ({ id: `a${i}`, apiType: 'REST' as const, name: long(500) })), listed: 20 }),
      summaryMessage({ week: '2026-W47', previousWeek: '2026-W46', costUsd: 0, previousCostUsd: 0, tokens: 0, calls: 0, perUser: [], perModel: [], quotaHits: 0, cacheHits: 0, savedUsd: 0, fingerprintHits: 0, fingerprintSavedTokens: 0, fingerprintSavedUsd: 0, closedByRules: 0, rulesTokensAvoided: 0, tokensAvoided: 0, daily: [] }),
    ]) {
      assertWithinBlockKitLimits(message, 'message');
    }
    expect(errorMessage('The analysis failed', 'E-1234abcd').text).toContain('E-1234abcd');
  });

  it('renders the weekly summary with text bars, within limits with many users', () => {
    const summary: WeeklySummary = {
      week: '2026-W47',
      previousWeek: '2026-W46',
      costUsd: 12.5,
      previousCostUsd: 10,
      tokens: 3_000_000,
      calls: 400,
      perUser: Array.from({ length: 200 }, (_, i) => ({ name: `U${i}`, costUsd: i, tokens: i * 1000, calls: i })),
      perModel: [{ name: 'm', costUsd: 12.5, tokens: 3_000_000, calls: 400 }],
      quotaHits: 3,
      cacheHits: 20,
      savedUsd: 1.2,
      fingerprintHits: 7,
      fingerprintSavedTokens: 84_000,
      fingerprintSavedUsd: 0.45,
      closedByRules: 14,
      rulesTokensAvoided: 250_000,
      tokensAvoided: 9_000_000,
      daily: [
        { day: '2026-11-16', costUsd: 1 },
        { day: '2026-11-17', costUsd: 4 },
        { day: '2026-11-18', costUsd: 0 },
      ],
    };
    const message = summaryMessage(summary);
    assertWithinBlockKitLimits(message, 'message');
    expect(message.text).toContain('+25% vs last week');
    // Exact and same-incident (fingerprint) hits are counted apart, each with what it saved.
    const shown = JSON.stringify(message.blocks);
    expect(shown).toContain('13 same bundle');
    expect(shown).toContain('7 same incident');
    expect(shown).toContain('$0.45');
    expect(dailyBars(summary.daily).split('\n')[1]).toBe(`11-17 ${'█'.repeat(20)} $4.00`);
    expect(JSON.stringify(message.blocks)).not.toContain('AWS Budgets');
    // With a deployed Bedrock budget, its threshold is shown next to the week's spend.
    expect(JSON.stringify(summaryMessage({ ...summary, monthlyBudgetUsd: 250 }).blocks)).toContain('AWS Budgets alert on Bedrock at $250.00 a month');
  });
});

describe('the limits check itself', () => {
  it('catches too many blocks, long section text, long button values and duplicate action ids', () => {
    const problems = blockKitProblems(
      {
        blocks: [
          ...Array.from({ length: 51 }, () => ({ type: 'divider' })),
          { type: 'section', text: { type: 'mrkdwn', text: long(3_001) } },
          {
            type: 'actions',
            elements: [
              { type: 'button', action_id: 'a', text: { type: 'plain_text', text: long(76) }, value: long(2_001) },
              { type: 'button', action_id: 'a', text: { type: 'plain_text', text: 'ok' }, value: 'v' },
            ],
          },
        ],
      },
      'message',
    );
    expect(problems.join('\n')).toMatch(/53 blocks > 50/);
    expect(problems.join('\n')).toMatch(/section text 3001 > 3000/);
    expect(problems.join('\n')).toMatch(/button value 2001 > 2000/);
    expect(problems.join('\n')).toMatch(/button text 76 > 75/);
    expect(problems.join('\n')).toMatch(/duplicate action_id a/);
  });
});

describe('action message: safety and expiry', () => {
  it('redacts credentials in the added context before showing it to the channel', async () => {
    const context = 'header Authorization: Bearer abcdefghijklmnop0123456789QRSTUVWX and AKIAIOSFODNN7EXAMPLE';
    const view = await actionView(fakeServices(), { id: 'inv1', bundle: BUNDLE, choices: { context }, state: 'pending' });
    const message = actionMessage(view);
    const shown = JSON.stringify(message);
    expect(shown).not.toContain('AKIAIOSFODNN7EXAMPLE');
    expect(shown).not.toContain('abcdefghijklmnop0123456789QRSTUVWX');
    expect(shown).toContain('[REDACTED:');
  });

  it('renders an expired investigation without buttons, the same with or without its data', () => {
    const expired = expiredActionMessage();
    expect(expired.blocks.some((b) => b.type === 'actions')).toBe(false);
    expect(JSON.stringify(expired)).toContain('expired — run /troubleshoot again');
    expect(actionMessage({ ...actionBase, state: 'expired' }).blocks.at(-1)).toEqual(expired.blocks[0]);
    assertWithinBlockKitLimits(expired, 'message');
  });
});

describe('shortModelName', () => {
  it('strips every inference-profile prefix the IAM policy knows', () => {
    for (const prefix of ['us.', 'eu.', 'apac.', 'jp.', 'au.', 'ca.', 'us-gov.', 'global.', '']) {
      expect(shortModelName(`${prefix}anthropic.claude-haiku-4-5-20251001-v1:0`)).toBe('Claude Haiku 4.5');
      expect(shortModelName(`${prefix}example.unknown-model-v2:0`)).toBe('example.unknown-model');
    }
  });
});

function sampleAnswerView(): Parameters<typeof answerMessage>[0] {
  return {
    summary: 'The endpoint security group does not admit 443 from the callers.',
    rootCause: { statement: 'sg-0vpce443 has no 443 rule for 10.20.0.0/16', confidence: 'high' },
    evidence: [],
    missingData: [],
    nextSteps: [],
    model: 'us.anthropic.claude-haiku-4-5-20251001-v1:0',
    inputTokens: 0,
    outputTokens: 0,
    costUsd: 0,
    cacheHit: true,
    quota: { used: 0, limit: 200_000, remaining: 200_000, resetsAt: new Date('2026-11-24T00:00:00Z') },
    approvedBy: 'U0BOB',
  };
}
