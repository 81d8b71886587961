import { describe, expect, it } from 'vitest';
import type { CloudTrailEventEvidence } from '../../../src/core/evidence.js';
import { a8WafBlocks as rule, blockingChanges } from '../../../src/rules/auth/a8-waf-blocks.js';
import { accessRecord, failSource, healthyInput } from '../fixtures.js';

const blocks = (n: number) => Array.from({ length: n }, () => accessRecord({ status: 403 }, { '$context.error.responseType': 'WAF_FILTERED' }));

describe('A8.waf-blocks', () => {
  it('fires on many WAF_FILTERED responses and quotes the blocking rule', () => {
    const input = healthyInput();
    input.evidence['logs.access']![0]!.records.push(...blocks(50));
    const [f] = rule.evaluate(input);
    expect(f?.evidence.map((e) => e.quote)).toContain('edge rule rate (priority 1) action BLOCK');
  });

  describe('several blocking rules: the one switched to Block is named first', () => {
    // The fixture's web ACL `edge` (id 1234) with three blocking rules; CloudTrail records its writes.
    const write = (time: string, rules: [string, Record<string, unknown>][], id = '1234'): CloudTrailEventEvidence => ({
      eventId: `e-${time}`,
      eventName: 'UpdateWebACL',
      eventTime: time,
      eventSource: 'wafv2.amazonaws.com',
      username: 'sec-team',
      requestParameters: { name: 'edge', scope: 'REGIONAL', id, rules: rules.map(([name, action], priority) => ({ name, priority, ...action })) },
      resources: [],
    });
    const block = { action: { block: {} } };
    const count = { action: { count: {} } };
    const setUp = (...writes: CloudTrailEventEvidence[]) => {
      const input = healthyInput();
      input.evidence['waf.web-acl']![0]!.rules = [
        { name: 'geo', priority: 0, action: 'BLOCK' },
        { name: 'rate', priority: 1, action: 'BLOCK' },
        { name: 'body-size', priority: 2, action: 'BLOCK' },
      ];
      input.evidence['cloudtrail.changes']!.push(...writes);
      input.evidence['logs.access']![0]!.records.push(...blocks(50));
      return input;
    };

    it('names the rule whose action went from Count to Block, with who and when', () => {
      const input = setUp(write('2026-11-17T09:00:00Z', [['geo', block], ['rate', block], ['body-size', count]]), write('2026-11-20T09:30:00Z', [['geo', block], ['rate', block], ['body-size', block]]));
      const [f] = rule.evaluate(input);
      expect(f?.detail).toContain('Rule body-size of edge was switched from COUNT to BLOCK at 2026-11-20T09:30:00Z by sec-team (CloudTrail UpdateWebACL)');
      expect(f?.detail).toContain('Blocking rules: edge / body-size, edge / geo, edge / rate.');
      expect(f?.evidence).toContainEqual({ source: 'cloudtrail.changes', key: 'e-2026-11-20T09:30:00Z', quote: 'UpdateWebACL 2026-11-20T09:30:00Z by sec-team: rule body-size COUNT → BLOCK' });
      expect(f?.fix).toContain('Set rule body-size of edge back to Count');
    });

    it('names a rule added in Block mode; a rule group left to its own actions counts as blocking', () => {
      const input = setUp(write('2026-11-17T09:00:00Z', [['geo', block], ['rate', { overrideAction: { count: {} } }]]), write('2026-11-20T09:30:00Z', [['geo', block], ['rate', { overrideAction: { none: {} } }], ['body-size', block]]));
      expect(blockingChanges(input, input.evidence['waf.web-acl']![0]!).map((c) => `${c.rule}: ${c.from} → ${c.to}`)).toEqual(['rate: COUNT (override) → RULE_GROUP', 'body-size: absent → BLOCK']);
    });

    it('names no rule when the lookback holds a single write (no before), another ACL\u2019s writes, or a switch back to Count (near misses)', () => {
      expect(rule.evaluate(setUp(write('2026-11-20T09:30:00Z', [['body-size', block]])))[0]?.detail).not.toContain('switched');
      expect(rule.evaluate(setUp(write('2026-11-17T09:00:00Z', [['body-size', count]], '9999'), write('2026-11-20T09:30:00Z', [['body-size', block]], '9999')))[0]?.detail).not.toContain('switched');
      expect(rule.evaluate(setUp(write('2026-11-17T09:00:00Z', [['body-size', block]]), write('2026-11-20T09:30:00Z', [['body-size', count]])))[0]?.detail).not.toContain('switched');
    });
  });

  it('does not fire for a WAF with block rules but no blocks in the logs (near miss)', () => {
    expect(rule.evaluate(healthyInput())).toEqual([]);
  });

  it('does not apply to a stage without a web ACL', () => {
    const input = healthyInput();
    delete input.evidence['apigw.stages']![0]!.webAclArn;
    input.evidence['logs.access']![0]!.records.push(...blocks(50));
    expect(rule.evaluate(input)).toEqual([]);
  });

  it('is inconclusive without any logs', () => {
    const input = failSource(failSource(healthyInput(), 'logs.execution'), 'logs.access');
    expect(rule.evaluate(input)[0]).toMatchObject({ inconclusive: true });
  });
});
