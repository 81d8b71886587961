import { describe, expect, it } from 'vitest';
import { openWorld } from '../../../src/app/world.js';
import { loadConfig } from '../../../src/config.js';
import type { CoverageRow } from '../../../src/core/coverage.js';
import type { Finding } from '../../../src/core/finding.js';
import { investigate } from '../../../src/engine.js';
import { codeSpans } from '../../../src/slack/blocks/code-spans.js';
import { coverageMessage, coverageTableMessage } from '../../../src/slack/blocks/coverage.js';
import { findingsMessage, findingText } from '../../../src/slack/blocks/findings.js';
import { ACTION } from '../../../src/slack/blocks/ids.js';
import type { SlackMessage } from '../../../src/slack/blocks/kit.js';
import { assertWithinBlockKitLimits } from '../../support/block-kit-limits.js';

/** What a reader reads: the characters of every text in the blocks. */
function chars(message: SlackMessage): number {
  let n = 0;
  JSON.stringify(message.blocks, (key, value: unknown) => {
    if (key === 'text' && typeof value === 'string') n += value.length;
    return value;
  });
  return n;
}

/**
 * The findings message of `long-night` as it was rendered before problems-first (one section per
 * finding, every evidence quote shown, no grouping): 3,198 characters, measured on commit 1966473.
 */
const LONG_NIGHT_FINDINGS_BEFORE = 3_198;

async function longNight() {
  const env = await openWorld({ scenario: 'long-night' }, loadConfig({}));
  const { restApiId, stage, region } = env.defaults!;
  const until = env.now();
  return (await investigate({ kind: 'api-gw', restApiId, region, ...(stage ? { stage } : {}) }, { since: new Date(until.getTime() - 2 * 3600_000), until }, env)).report;
}

const row = (source: string, status: CoverageRow['status'], extra: Partial<CoverageRow> = {}): CoverageRow => ({ source, title: `Title of ${source}`, status, durationMs: 1, calls: [], ...extra });

describe('problems first', () => {
  it('on long-night: the findings message is at most half its former length, the refused permission is one entry', async () => {
    const report = await longNight();
    const message = findingsMessage(report.findings, report.coverage);
    assertWithinBlockKitLimits(message, 'message');
    expect(chars(message)).toBeLessThanOrEqual(LONG_NIGHT_FINDINGS_BEFORE / 2);
    const text = JSON.stringify(message.blocks);
    // The four findings that stand on cloudtrail:LookupEvents are one entry naming what they hide.
    expect(text.match(/`cloudtrail:LookupEvents` refused/g)).toHaveLength(1);
    expect(text).toMatch(/Cannot rule out: an SCP deny, [^"]*never deployed/);
    // Every finding's rule is still named.
    for (const f of report.findings) expect(text).toContain(`\`${f.rule}\``);
  });

  it('on long-night: the coverage shows the two refused reads first and folds the ok rows into one line', async () => {
    const report = await longNight();
    const message = coverageMessage(report.coverage, { investigationId: 'inv1' });
    assertWithinBlockKitLimits(message, 'message');
    const sections = message.blocks.filter((b) => b.type === 'section').map((b) => JSON.stringify(b));
    expect(sections[0]).toMatch(/^[^]*CloudTrail changes[^]*CloudTrail denied calls/);
    expect(JSON.stringify(message.blocks)).not.toContain('arn:aws:sts');
    const ok = report.coverage.filter((r) => r.status === 'ok').length;
    expect(JSON.stringify(message.blocks)).toContain(`*${ok} sources read*: `);
    const button = message.blocks.find((b) => b.type === 'actions') as { elements: { action_id: string; value: string }[] };
    expect(button.elements[0]).toMatchObject({ action_id: ACTION.coverageTable, value: 'inv1' });
    // The full table still has every row with its reason.
    const table = JSON.stringify(coverageTableMessage(report.coverage).blocks);
    for (const r of report.coverage) expect(table).toContain(r.title);
    expect(chars(message)).toBeLessThan(chars(coverageTableMessage(report.coverage)));
  });

  it('orders errors, then not configured, then empty where data was expected; other empty rows stay folded', () => {
    const rows = [row('apigw.rest-api', 'ok'), row('apigw.authorizers', 'empty'), row('logs.access', 'empty', { reason: 'no access log records' }), row('ec2.flow-logs', 'not_configured', { hint: 'create one' }), row('cloudtrail.changes', 'error', { error: { kind: 'throttled', message: 'Rate exceeded' } })];
    const [first, second] = coverageMessage(rows).blocks.filter((b) => b.type === 'section').map((b) => JSON.stringify(b));
    expect(first!.indexOf('cloudtrail.changes')).toBeLessThan(first!.indexOf('ec2.flow-logs'));
    expect(first!.indexOf('ec2.flow-logs')).toBeLessThan(first!.indexOf('logs.access'));
    expect(first).not.toContain('apigw.authorizers');
    expect(second).toContain('1 source read');
    expect(second).toContain('1 empty, nothing wrong there*: Title of apigw.authorizers');
  });

  it('does not count an API without a WAF as a problem: nothing is hidden there', () => {
    const message = coverageMessage([row('apigw.rest-api', 'ok'), row('waf.web-acl', 'not_configured', { reason: 'no web ACL on stage prod' }), row('metrics.waf', 'not_configured', { reason: "no web ACL on the API's stages" })]);
    expect(JSON.stringify(message.blocks)).toContain('Coverage: 3 sources, none needs attention');
    expect(JSON.stringify(message.blocks)).toContain('2 not set up, nothing hidden there*: Title of waf.web-acl, Title of metrics.waf');
  });

  it('keeps a finding with its own evidence apart from a refusal group, and a lone refused finding as it is', () => {
    const coverage = [row('cloudtrail.changes', 'error', { error: { kind: 'access_denied', message: 'no', action: 'cloudtrail:LookupEvents' } }), row('logs.access', 'ok')];
    const lone: Finding = { rule: 'P3.x', severity: 'low', title: 'Cannot rule out: a change', detail: 'd', evidence: [{ source: 'cloudtrail.changes' }], fix: 'f', inconclusive: true };
    const mixed: Finding = { rule: 'R9.y', severity: 'high', title: 'Mixed', detail: 'd', evidence: [{ source: 'cloudtrail.changes' }, { source: 'logs.access' }], fix: 'f' };
    const text = JSON.stringify(findingsMessage([lone, mixed], coverage).blocks);
    expect(text).not.toContain('refused*');
    expect(text).toContain('Cannot rule out: a change');
  });

  it('puts ARNs, resource ids and IAM actions in code spans, once', () => {
    expect(codeSpans('User: arn:aws:sts::111111111111:assumed-role/firebreak/s is not authorized to perform: cloudtrail:LookupEvents on vpce-0a1b2c3d and `sg-0abc1234`.')).toBe(
      'User: `arn:aws:sts::111111111111:assumed-role/firebreak/s` is not authorized to perform: `cloudtrail:LookupEvents` on `vpce-0a1b2c3d` and `sg-0abc1234`.',
    );
    expect(findingText({ rule: 'N2.x', severity: 'critical', title: 't', detail: 'Endpoint vpce-0a1b2c3d4e5f60001 has sg-0vpce443.', evidence: [], fix: 'Open sg-0vpce443.' })).toContain('`vpce-0a1b2c3d4e5f60001` has `sg-0vpce443`');
  });
});
