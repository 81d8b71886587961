import { describe, expect, it } from 'vitest';
import { SEVERITY_RANK } from '../../src/core/finding.js';
import { evaluateRules, RULES } from '../../src/rules/index.js';
import { defineRule } from '../../src/rules/types.js';
import { asRegional, failSource, healthyInput } from './fixtures.js';

describe('evaluateRules', () => {
  it('finds nothing above info in the healthy private API', () => {
    const findings = evaluateRules(healthyInput());
    expect(findings.filter((f) => SEVERITY_RANK[f.severity] < SEVERITY_RANK.info)).toEqual([]);
  });

  it('finds nothing above info in the healthy regional API', () => {
    const findings = evaluateRules(asRegional(healthyInput()));
    expect(findings.filter((f) => SEVERITY_RANK[f.severity] < SEVERITY_RANK.info)).toEqual([]);
  });

  it('sorts findings most severe first', () => {
    const input = healthyInput();
    input.evidence['ec2.security-groups']![0]!.https = [];
    input.evidence['apigw.stages']![0]!.loggingLevel = 'OFF';
    const findings = evaluateRules(input);
    const ranks = findings.map((f) => SEVERITY_RANK[f.severity]);
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    expect(findings[0]?.rule).toBe('N2.endpoint-sg-no-443');
  });

  it('reports a rule that throws as inconclusive instead of losing the other findings', () => {
    const broken = defineRule({ id: 'X.broken', severity: 'high', title: 'broken', evaluate: () => { throw new Error('boom'); } });
    const findings = evaluateRules(healthyInput(), [broken]);
    expect(findings).toMatchObject([{ rule: 'X.broken', inconclusive: true }]);
  });

  it('has unique, well-formed rule ids', () => {
    const ids = RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^([NPRAITOL]\d|B)\.[a-z0-9-]+$/);
  });

  it('gives every finding evidence with a quote and a fix', () => {
    const input = failSource(healthyInput(), 'cloudtrail.denies', { kind: 'access_denied', message: 'denied', action: 'cloudtrail:LookupEvents' });
    input.evidence['ec2.security-groups']![0]!.https = [];
    for (const f of evaluateRules(input)) {
      expect(f.evidence.length).toBeGreaterThan(0);
      expect(f.evidence.every((e) => e.quote)).toBe(true);
      expect(f.fix.length).toBeGreaterThan(0);
    }
  });
});

describe('evaluateRules on a missing API', () => {
  it('says nothing when the API itself was not found', () => {
    const input = failSource(healthyInput(), 'apigw.rest-api', { kind: 'not_found', message: 'REST API a1b2c3d4e5 not found' });
    for (const source of ['apigw.stages', 'cloudtrail.changes'] as const) failSource(input, source, { kind: 'dependency_failed', message: 'x', dependency: 'apigw.rest-api' });
    expect(evaluateRules(input)).toEqual([]);
  });
});
