import { describe, expect, it } from 'vitest';
import { r1RouteNotDeployed as rule } from '../../../src/rules/routing/r1-route-not-deployed.js';
import { accessRecord, failSource, healthyInput, missingStage, setStatus } from '../fixtures.js';

describe('R1.route-not-deployed', () => {
  it('fires when the targeted stage is not deployed, citing the not_found stages row', () => {
    const findings = rule.evaluate(missingStage(healthyInput(), 'nope'));
    expect(findings).toHaveLength(1);
    const [f] = findings;
    expect(f).toMatchObject({ severity: 'high', title: 'Stage nope is not deployed on this API' });
    expect(f?.evidence).toEqual([{ source: 'apigw.stages', key: 'nope', quote: 'stage nope not found on API a1b2c3d4e5; existing stages: prod' }]);
    expect(f?.fix).toBe('Use an existing stage in the client URL (and in --stage), or create a deployment of a1b2c3d4e5 to a stage named nope; use one of: prod.');
  });

  describe('a REST API that was never deployed (no stage at all)', () => {
    function neverDeployed(stage?: string) {
      const input = healthyInput();
      const reason = 'API a1b2c3d4e5 has no stages and no deployment: it was never deployed';
      if (stage === undefined) {
        delete input.target.stage;
        setStatus(input, 'apigw.stages', 'empty', reason);
        input.evidence['apigw.stages'] = [];
      } else {
        missingStage(input, stage);
        input.evidence['apigw.stages'] = [];
      }
      return input;
    }

    it('is critical, quoting the stages row, when no stage was named (HTTP twin: H1 with no stage)', () => {
      const [f, ...rest] = rule.evaluate(neverDeployed());
      expect(rest).toEqual([]);
      expect(f).toMatchObject({ rule: 'R1.route-not-deployed', severity: 'critical', title: 'API a1b2c3d4e5 has no stage: it cannot be called' });
      expect(f?.evidence).toEqual([{ source: 'apigw.stages', quote: 'API a1b2c3d4e5 has no stages and no deployment: it was never deployed' }]);
      expect(f?.detail).toContain('403 Missing Authentication Token');
      expect(f?.fix).toContain('aws apigateway create-deployment --rest-api-id a1b2c3d4e5 --stage-name prod');
    });

    it('is critical too when the named stage is missing because the API has none', () => {
      const [f] = rule.evaluate(neverDeployed('live'));
      expect(f).toMatchObject({ severity: 'critical', title: 'API a1b2c3d4e5 has no stage: it cannot be called' });
      expect(f?.fix).toContain('--stage-name live');
    });

    it('stays the high "wrong stage" finding when other stages exist (near miss)', () => {
      const input = missingStage(healthyInput(), 'live');
      expect(rule.evaluate(input)[0]).toMatchObject({ severity: 'high', title: 'Stage live is not deployed on this API' });
    });
  });

  it('fires too when stage evidence lacks the targeted stage', () => {
    const input = healthyInput();
    input.target.stage = 'prd';
    const [f] = rule.evaluate(input);
    expect(f).toMatchObject({ severity: 'high', evidence: [{ quote: 'stages: prod; no prd' }] });
    expect(f?.fix).toContain('use one of: prod');
  });

  it('does not blame the stage when reading the stages failed for another reason (near miss)', () => {
    const input = failSource(healthyInput(), 'apigw.stages', { kind: 'access_denied', message: 'denied', action: 'apigateway:GET' });
    expect(rule.evaluate(input)).toEqual([]);
  });

  it('fires when a significant share of requests get Missing Authentication Token', () => {
    const input = healthyInput();
    const bad = Array.from({ length: 20 }, () => accessRecord({ status: 403, resourcePath: '/order' }, { responseType: 'MISSING_AUTHENTICATION_TOKEN' }));
    input.evidence['logs.access']![0]!.records.push(...bad);
    const [f] = rule.evaluate(input);
    expect(f?.evidence[0]).toMatchObject({ source: 'logs.access', key: 'prod' });
    expect(f?.evidence[0]?.quote).toContain('Missing Authentication Token');
    expect(f?.figures?.find((g) => g.scope.kind === 'stage')).toMatchObject({ numerator: 20, denominator: 220, unit: 'requests' });
  });

  it('does not fire for a couple of stray 403s in healthy traffic (near miss)', () => {
    const input = healthyInput();
    input.evidence['logs.access']![0]!.records.push(accessRecord({ status: 403 }, { responseType: 'MISSING_AUTHENTICATION_TOKEN' }));
    expect(rule.evaluate(input)).toEqual([]);
  });
});
