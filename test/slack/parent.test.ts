import { afterEach, describe, expect, it } from 'vitest';
import type { CoverageRow } from '../../src/core/coverage.js';
import type { Finding } from '../../src/core/finding.js';
import { parentMessage, type ParentView } from '../../src/slack/blocks/parent.js';
import { progressMessage } from '../../src/slack/blocks/progress.js';
import { verdictOf } from '../../src/slack/jobs/parent-view.js';
import { ACTION } from '../../src/slack/blocks/ids.js';
import { assertWithinBlockKitLimits } from '../support/block-kit-limits.js';
import { closeAndCheck, findActionMessage, REQUESTER, startHarness, textOf, type Harness } from './harness.js';

const base: ParentView = {
  target: { kind: 'api-gw', restApiId: 'a1b2c3d4e5', region: 'us-east-1', stage: 'prod' },
  window: { since: new Date('2026-11-23T08:00:00Z'), until: new Date('2026-11-23T10:00:00Z') },
  requester: 'U1',
  origin: 'aws',
  investigationId: 'inv1',
};

const row = (status: CoverageRow['status']): CoverageRow => ({ source: `s.${status}`, title: status, status, durationMs: 1, calls: [] });
const finding = (overrides: Partial<Finding>): Finding => ({ rule: 'X.rule', severity: 'high', title: 'Title', detail: 'd', evidence: [], fix: 'Do the fix.', ...overrides });

describe('the parent message', () => {
  it('never reads "0/0 sources" before the runner counted them', () => {
    const first = parentMessage({ ...base, status: { kind: 'collecting', done: 0, total: 0 } });
    expect(JSON.stringify(first)).toContain('Starting the collection');
    expect(JSON.stringify(first)).not.toContain('0/0');
    expect(JSON.stringify(progressMessage({ done: 0, total: 0, recent: [], finished: false }))).not.toContain('0/0');
    expect(JSON.stringify(parentMessage({ ...base, status: { kind: 'collecting', done: 3, total: 12 } }))).toContain('Collecting: 3/12 sources');
  });

  it('names the most severe decisive finding with its fix, and counts the others', () => {
    const status = verdictOf(
      {
        coverage: [row('ok')],
        findings: [
          finding({ rule: 'C.cannot-rule-out', severity: 'critical', title: 'Cannot rule out an SCP deny', inconclusive: true }),
          finding({ rule: 'I1.lambda-permission-missing', severity: 'high', title: 'API Gateway may not invoke the function. More detail here.', fix: 'Add a resource-based permission. Then redeploy.' }),
          finding({ severity: 'medium' }),
        ],
      },
      true,
    );
    expect(status).toMatchObject({ kind: 'finding', severity: 'high', findings: 3 });
    const text = JSON.stringify(parentMessage({ ...base, status, links: [{ label: 'findings', url: 'https://example.slack.com/archives/C1/p1' }] }));
    expect(text).toContain('*high*: API Gateway may not invoke the function.');
    expect(text).not.toContain('More detail here');
    expect(text).toContain('_Fix:_ Add a resource-based permission.');
    expect(text).toContain('+2 more findings');
    expect(text).toContain('<https://example.slack.com/archives/C1/p1|findings>');
  });

  it('says "no known cause" with the sources that had problems when no rule decided', () => {
    const status = verdictOf({ coverage: [row('ok'), row('error'), row('not_configured'), row('empty')], findings: [finding({ inconclusive: true })] }, true);
    expect(status).toEqual({ kind: 'no-cause', problemSources: 2, inconclusive: 1, analysisAvailable: true });
    expect(JSON.stringify(parentMessage({ ...base, status }))).toContain('*No known cause*: 2 sources with problems, 1 check inconclusive, analysis available');
    const noModel = verdictOf({ coverage: [row('ok')], findings: [] }, false);
    expect(JSON.stringify(parentMessage({ ...base, status: noModel }))).not.toContain('analysis available');
  });

  it('stays within Block Kit limits with long texts', () => {
    const long = 'x'.repeat(5_000);
    assertWithinBlockKitLimits(
      parentMessage({
        ...base,
        status: { kind: 'finding', severity: 'critical', title: long, fix: long, findings: 40 },
        answer: { rootCause: long, confidence: 'low' },
        links: [{ label: 'answer', url: `https://example.slack.com/${'p'.repeat(300)}` }],
      }),
      'message',
    );
  });
});

describe('the parent message through the flow', () => {
  let h: Harness;
  afterEach(() => closeAndCheck(h));

  it('is updated in place: progress, then the verdict with links, then the root cause after the analysis', async () => {
    h = await startHarness({ scenario: 'i1-lambda-permission-missing' });
    await h.command('api-gw a1b2c3d4e5 prod --since 2h');
    const action = await h.slack.waitFor(() => findActionMessage(h.slack), 30_000);
    const parent = h.slack.callsTo('chat.postMessage')[0]!;
    expect(textOf(parent)).toContain('Starting the collection');
    const parentTs = String(parent.response?.ts);
    const verdict = await h.slack.waitFor(() => h.slack.callsTo('chat.update').filter((u) => u.args.ts === parentTs && textOf(u).includes('_Fix:_')).at(-1));
    expect(textOf(verdict)).toMatch(/\*(critical|high)\*: /);
    expect(textOf(verdict)).toContain('|findings>');
    expect(textOf(verdict)).toContain('|coverage>');
    // The last word on the parent is the verdict, not a late progress update.
    const lastBeforeAnalysis = h.slack.callsTo('chat.update').filter((u) => u.args.ts === parentTs).at(-1)!;
    expect(textOf(lastBeforeAnalysis)).toContain('_Fix:_');

    await h.click(ACTION.analyze, action.investigationId, REQUESTER, { ts: action.ts, thread_ts: action.threadTs });
    const answered = await h.slack.waitFor(() => h.slack.callsTo('chat.update').find((u) => u.args.ts === parentTs && textOf(u).includes('confidence')));
    expect(textOf(answered)).toContain('*Analysis*');
    expect(textOf(answered)).toContain('The integration for the failing route is missing or misconfigured.');
    expect(textOf(answered)).toContain('|answer>');
    // The rules' verdict stays beside the model's.
    expect(textOf(answered)).toContain('_Fix:_');
  }, 60_000);

  it('says "no known cause" when the rules found none', async () => {
    h = await startHarness({ scenario: 'healthy' });
    await h.command('api-gw a1b2c3d4e5 prod --since 2h');
    await h.slack.waitFor(() => findActionMessage(h.slack), 30_000);
    const parentTs = String(h.slack.callsTo('chat.postMessage')[0]?.response?.ts);
    const verdict = await h.slack.waitFor(() => h.slack.callsTo('chat.update').find((u) => u.args.ts === parentTs && textOf(u).includes('No known cause')));
    expect(textOf(verdict)).toMatch(/No known cause\*: \d+ sources? with problems/);
  }, 60_000);
});
