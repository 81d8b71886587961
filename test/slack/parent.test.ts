import { afterEach, describe, expect, it } from 'vitest';
import type { CoverageRow } from '../../src/core/coverage.js';
import type { Finding } from '../../src/core/finding.js';
import { parentMessage, type ParentView } from '../../src/slack/blocks/parent.js';
import { verdictOf } from '../../src/slack/jobs/parent-view.js';
import { ACTION } from '../../src/slack/blocks/ids.js';
import type { Traffic } from '../../src/core/traffic.js';
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

const target = base.target;
const traffic = (requests: number, e5xx: number, e4xx = 0): Traffic => ({
  basis: 'metrics',
  exact: true,
  periodSeconds: 60,
  from: '2026-11-23T08:00:00Z',
  until: '2026-11-23T10:00:00Z',
  points: [{ t: Date.parse('2026-11-23T08:00:00Z'), requests, e4xx, e5xx, p99: 240 }],
  totals: { requests, e4xx, e5xx },
  p99Ms: 240,
  scope: 'stage prod',
});

describe('the parent message', () => {
  it('never reads "0/0 sources" before the runner counted them, and shows the progress itself (no bar in a code span)', () => {
    const first = parentMessage({ ...base, status: { kind: 'collecting', done: 0, total: 0 } });
    expect(JSON.stringify(first)).toContain('Starting the collection');
    expect(JSON.stringify(first)).not.toContain('0/0');
    const collecting = JSON.stringify(parentMessage({ ...base, status: { kind: 'collecting', done: 3, total: 12, recent: ['Stages', 'REST API'] } }));
    expect(collecting).toContain('Collecting: 3/12 sources · last: Stages, REST API');
    expect(collecting).not.toMatch(/`[█░]+`/);
  });

  it('shows every critical and high finding (up to three), then the count of the rest, and the first fix', () => {
    const status = verdictOf(
      {
        target,
        coverage: [row('ok')],
        findings: [
          finding({ rule: 'C.cannot-rule-out', severity: 'critical', title: 'Cannot rule out an SCP deny', inconclusive: true }),
          finding({ rule: 'N2.sg', severity: 'critical', title: 'Endpoint security group blocks 443.', fix: 'Open 443.' }),
          finding({ rule: 'I1.lambda-permission-missing', severity: 'high', title: 'API Gateway may not invoke the function. More detail here.', fix: 'Add a resource-based permission. Then redeploy.' }),
          finding({ rule: 'R4.dns', severity: 'critical', title: 'The domain points at another API.' }),
          finding({ rule: 'T1.throttled', severity: 'high', title: 'Throttled.' }),
          finding({ severity: 'medium' }),
        ],
      },
      true,
    );
    expect(status).toMatchObject({ kind: 'verdict', verdict: { kind: 'findings', more: 2 } });
    const text = JSON.stringify(parentMessage({ ...base, status, links: [{ label: 'findings', url: 'https://example.slack.com/archives/C1/p1' }] }));
    expect(text).toContain('*critical*: Endpoint security group blocks 443.');
    expect(text).toContain('*critical*: The domain points at another API.');
    expect(text).toContain('*high*: API Gateway may not invoke the function.');
    expect(text).not.toContain('More detail here');
    expect(text).not.toContain('Throttled.');
    expect(text).toContain('_Fix:_ Open 443.');
    expect(text).toContain('+2 more findings in the thread');
    expect(text).toContain('<https://example.slack.com/archives/C1/p1|findings>');
  });

  it('puts the findings about the custom domain the person asked about first', () => {
    const findings = [
      finding({ rule: 'N2.sg', severity: 'critical', title: 'Endpoint security group sg-1 blocks 443.' }),
      finding({ rule: 'R4.dns', severity: 'critical', title: 'DNS of orders.shop.example.com points at another API.' }),
    ];
    const byDomain = verdictOf({ target, coverage: [], findings, given: 'https://orders.shop.example.com/v1/orders' }, true);
    expect(byDomain.kind === 'verdict' && byDomain.verdict.kind === 'findings' && byDomain.verdict.top.map((f) => f.rule)).toEqual(['R4.dns', 'N2.sg']);
    const byId = verdictOf({ target, coverage: [], findings }, true);
    expect(byId.kind === 'verdict' && byId.verdict.kind === 'findings' && byId.verdict.top.map((f) => f.rule)).toEqual(['N2.sg', 'R4.dns']);
  });

  it('says a healthy API is healthy, with the traffic in one line and what could not be checked', () => {
    const coverage = [row('ok'), { ...row('error'), source: 'cloudtrail.denies', title: 'CloudTrail denies', error: { kind: 'access_denied' as const, message: 'no', action: 'cloudtrail:LookupEvents' } }, { ...row('not_configured'), source: 'waf.web-acl', title: 'WAF' }, { ...row('not_configured'), source: 'metrics.waf', title: 'WAF metrics' }];
    const status = verdictOf({ target, coverage, findings: [finding({ severity: 'low', title: 'seen twice', fix: 'Nothing to fix for this incident; watch it if it grows.' })], traffic: traffic(12_345, 12, 100) }, true);
    expect(status).toMatchObject({ kind: 'verdict', verdict: { kind: 'healthy', notes: 1 } });
    const text = JSON.stringify(parentMessage({ ...base, status }));
    expect(text).toContain(':white_check_mark: *No problem found*: 12,345 requests · 2xx–3xx 99.1% · 4xx 0.81% · 5xx 0.10% · p99 240 ms (CloudWatch metrics, stage prod)');
    expect(text).toContain('_Not checked:_ CloudTrail denies (`cloudtrail:LookupEvents` refused)');
    // A WAF that is not there hides nothing; the low note is not the verdict.
    expect(text).not.toContain('WAF');
    expect(text).not.toContain('Nothing to fix');
  });

  it('says "no known cause" with the numbers when the traffic fails and no rule explains it', () => {
    const status = verdictOf({ target, coverage: [row('ok')], findings: [finding({ inconclusive: true })], traffic: { ...traffic(1_000, 120), onset: '2026-11-23T09:35:00.000Z' } }, true);
    expect(JSON.stringify(parentMessage({ ...base, status }))).toContain(':grey_question: *No known cause*: 5xx on 12% of 1,000 requests, rising from 09:35 UTC; 1 check inconclusive. An analysis is available in the thread');
    const noModel = verdictOf({ target, coverage: [row('ok')], findings: [], traffic: traffic(1_000, 120) }, false);
    expect(JSON.stringify(parentMessage({ ...base, status: noModel }))).not.toContain('analysis is available');
  });

  it('stays within Block Kit limits with long texts', () => {
    const long = 'x'.repeat(5_000);
    const findings = Array.from({ length: 40 }, (_, i) => finding({ rule: `R${i}`, severity: 'critical', title: long, fix: long }));
    assertWithinBlockKitLimits(
      parentMessage({
        ...base,
        status: verdictOf({ target, coverage: [], findings }, true),
        answer: { rootCause: long, confidence: 'low' },
        links: [{ label: 'answer', url: `https://example.slack.com/${'p'.repeat(300)}` }],
      }),
      'message',
    );
  });
  it('started by an alarm, with every part at its longest, stays within the limits, verdict first and the analysis kept', () => {
    const marks = '<&>'.repeat(400);
    const findings = Array.from({ length: 5 }, (_, i) => finding({ rule: `R${i}`, severity: 'critical', title: `${marks} ${i}`, fix: marks }));
    const message = parentMessage({
      ...base,
      requester: `alarm:${'a'.repeat(255)}`,
      alarm: { alarmName: `${'a'.repeat(250)}<&>`, threshold: `5XXError ${marks}`, since: '2026-11-23T09:40:00Z', firings: 12, lastFiredAt: '2026-11-23T09:58:00Z', recoveredAt: '2026-11-23T10:02:00Z', via: `dimension ${marks}` },
      resolution: marks,
      status: verdictOf({ target, coverage: [], findings }, true),
      answer: { rootCause: `The authorizer lost its permission ${marks}`, confidence: 'high' },
      links: [{ label: 'answer', url: `https://example.slack.com/${'p'.repeat(300)}` }],
    });
    assertWithinBlockKitLimits(message, 'message');
    const sections = message.blocks.filter((b) => b.type === 'section').map((b) => (b as { text: { text: string } }).text.text);
    expect(sections[0]?.split('\n')[0]).toMatch(/^:rotating_light: \*critical\*/);
    expect(sections.join('\n')).toContain(':bell: Started by alarm');
    expect(sections.at(-1)).toMatch(/^:robot_face: \*Analysis\*/);
    expect(message.text).toMatch(/^critical: .* for alarm a{250}/);
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
    expect(textOf(verdict)).toMatch(/\*(critical|high|medium)\*: /);
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

  it('says a healthy API is healthy: the parent starts with ✅ and the traffic, Analyze is offered but not urged', async () => {
    h = await startHarness({ scenario: 'healthy' });
    await h.command('api-gw a1b2c3d4e5 prod --since 2h');
    const action = await h.slack.waitFor(() => findActionMessage(h.slack), 30_000);
    const parentTs = String(h.slack.callsTo('chat.postMessage')[0]?.response?.ts);
    const verdict = await h.slack.waitFor(() => h.slack.callsTo('chat.update').filter((u) => u.args.ts === parentTs && textOf(u).includes('No problem found')).at(-1));
    // The parent starts with ✅: the verdict is the first line, in the notification text too.
    const first = ((verdict.args.blocks as { text?: { text: string } }[])[0]?.text?.text ?? '').split('\n');
    expect(first[0]).toMatch(/^:white_check_mark: \*No problem found\*: 500 requests · 2xx–3xx 98% · 4xx 2\.0% · 5xx 0% · p99 265 ms \(CloudWatch metrics, stage prod\)$/);
    expect(String(verdict.args.text)).toMatch(/^✅ No problem found · Troubleshooting API Gateway a1b2c3d4e5 stage prod/);
    expect(textOf(verdict)).not.toContain('No known cause');
    const analyze = (action.call.args.blocks as { type: string; elements?: { action_id: string; style?: string }[] }[]).flatMap((b) => b.elements ?? []).find((e) => e.action_id === ACTION.analyze);
    expect(analyze).toBeDefined();
    expect(analyze?.style).toBeUndefined();
    expect(textOf(action.call)).toContain('No problem found, so an analysis is optional.');
  }, 60_000);
});

describe('the parent message: a fix that is a command', () => {
  it('is shown whole as code, with the account the report read instead of <account>', () => {
    const coverage: CoverageRow[] = [{ ...row('ok'), source: 'apigw.rest-api', account: '111111111111' }];
    const a4 = finding({
      rule: 'A4.authorizer-not-invokable',
      severity: 'critical',
      evidence: [{ source: 'lambda.functions', key: 'shop-authz' }],
      fix: 'aws lambda add-permission --function-name shop-authz --principal apigateway.amazonaws.com --action lambda:InvokeFunction --source-arn arn:aws:execute-api:us-east-1:<account>:a1b2c3d4e5/authorizers/*',
    });
    const text = JSON.stringify(parentMessage({ ...base, status: verdictOf({ target, coverage, findings: [a4] }, true) }).blocks);
    expect(text).toContain('_Fix:_ `aws lambda add-permission --function-name shop-authz --principal apigateway.amazonaws.com --action lambda:InvokeFunction --source-arn arn:aws:execute-api:us-east-1:111111111111:a1b2c3d4e5/authorizers/* --region us-east-1`');
    expect(text).not.toContain('&lt;account&gt;');
  });
});
