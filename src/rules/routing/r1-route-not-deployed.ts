import type { Finding } from '../../core/finding.js';
import type { AccessLogRecord } from '../../core/evidence.js';
import { countFailures, fromRecords, fromSignatures } from '../counting/index.js';
import { routePrefixes, scannerNote, splitScanners } from '../counting/scanners.js';
import { classifyAccessRecord, signaturesFor } from '../execution-log-classifier.js';
import { coverageRow, evidenceOf, finding, missingTargetStage, stagesInScope } from '../helpers.js';
import { logRefs, logSummaryOf } from '../log-evidence.js';
import { defineRule, type Rule, type RuleInput } from '../types.js';

/**
 * The targeted stage does not exist. The stages source reports that as a not_found row (it reads
 * the stage by name), so the row is the evidence; evidence without the stage is handled too.
 */
function missingStageFinding(rule: Rule, input: RuleInput): Finding | undefined {
  const wanted = input.target.stage;
  if (!wanted) return undefined;
  const api = input.target.restApiId;
  const row = missingTargetStage(input);
  const stages = evidenceOf(input, 'apigw.stages');
  let quote: string;
  let choices: string;
  if (row) {
    quote = row.reason ?? row.error?.message ?? `stage ${wanted} not found`;
    choices = row.hint ? `; ${row.hint}` : '';
  } else if (stages && !stages.some((s) => s.stageName === wanted)) {
    const names = stages.map((s) => s.stageName);
    quote = `stages: ${names.join(', ') || 'none'}; no ${wanted}`;
    choices = names.length ? `; use one of: ${names.join(', ')}` : '';
  } else {
    return undefined;
  }
  return finding(rule, {
    title: `Stage ${wanted} is not deployed on this API`,
    detail: `Calls to /${wanted}/… get 403 Missing Authentication Token and write no stage logs: ${quote}. Nothing stage-specific (logs, WAF, deployment) could be checked.`,
    evidence: [{ source: 'apigw.stages', key: wanted, quote }],
    fix: `Use an existing stage in the client URL (and in --stage), or create a deployment of ${api} to a stage named ${wanted}${choices}.`,
  });
}

/**
 * The API has no stage at all (never deployed, or every stage deleted): nothing can be called.
 * REST's twin of H1 "no stage": critical, whatever stage the command named.
 */
function neverDeployedFinding(rule: Rule, input: RuleInput): Finding | undefined {
  const row = coverageRow(input, 'apigw.stages');
  const none = row?.status === 'empty' || (missingTargetStage(input) !== undefined && evidenceOf(input, 'apigw.stages')?.length === 0);
  if (!row || !none) return undefined;
  const api = input.target.restApiId;
  const quote = row.reason ?? `API ${api} has no stages`;
  const methods = evidenceOf(input, 'apigw.resources') ?? [];
  return finding(rule, {
    severity: 'critical',
    title: `API ${api} has no stage: it cannot be called`,
    detail: `${quote}. A REST API is served only through a deployment on a stage: every call to https://${api}.execute-api.${input.target.region}.amazonaws.com/… gets 403 Missing Authentication Token and writes no log${methods.length ? `, although ${methods.length} method(s) are defined` : ''}.`,
    evidence: [{ source: 'apigw.stages', quote }],
    fix: `Deploy it: aws apigateway create-deployment --rest-api-id ${api} --stage-name ${input.target.stage ?? 'prod'} (then point clients at that stage).`,
  });
}

/**
 * R1: "Missing Authentication Token" is API Gateway's 403 for a stage, path or method that is not
 * deployed. A stage that does not exist leaves no stage logs at all, so it is checked in config.
 */
export const r1RouteNotDeployed = defineRule({
  id: 'R1.route-not-deployed',
  severity: 'high',
  title: 'Requests hit a stage, path or method that is not deployed',
  evaluate(input) {
    const never = neverDeployedFinding(this, input);
    if (never) return [never];
    const missing = missingStageFinding(this, input);
    if (missing) return [missing];
    const undeployed = stagesInScope(input).filter((s) => !s.deploymentId);
    const summary = logSummaryOf(input);
    const stages = stagesInScope(input).map((s) => s.stageName);
    // Access records say the path, so scanners' probes can be told from clients; execution logs
    // count a stage that has no access log.
    const logs = (evidenceOf(input, 'logs.access') ?? []).filter((l) => stages.includes(l.stage));
    const unknownPath = (r: AccessLogRecord) => classifyAccessRecord(r)?.signature === 'missing-authentication-token';
    const split = splitScanners(logs.flatMap((l) => l.records.filter(unknownPath)), routePrefixes((evidenceOf(input, 'apigw.resources') ?? []).map((m) => m.path), stages));
    const noise = new Set(split.noise);
    const counts = signaturesFor(summary, { signatures: ['missing-authentication-token'], stages });
    const withAccess = new Set(logs.map((l) => l.stage));
    const tallies = [
      ...fromRecords(input, (r) => unknownPath(r) && !noise.has(r), logs),
      ...fromSignatures(input, counts.filter((c) => c.source === 'logs.execution' && !withAccess.has(c.stage ?? ''))),
    ];
    const count = countFailures(input, { what: 'Requests for a path or method the deployment does not have (403 Missing Authentication Token)', family: 'client', tallies });
    const note = count.passes ? undefined : scannerNote(this.id, 'Requests for paths the API does not have', split, 'logs.access');
    const iamMethods = (evidenceOf(input, 'apigw.resources') ?? []).filter((m) => m.authorizationType === 'AWS_IAM');
    return [
      ...undeployed.map((s) =>
        finding(this, {
          detail: `Stage ${s.stageName} has no deployment: every path returns 403 Missing Authentication Token.`,
          evidence: [{ source: 'apigw.stages', key: s.stageName, quote: `${s.stageName} deploymentId: none` }],
          fix: `Create a deployment of ${input.target.restApiId} to stage ${s.stageName}.`,
        }),
      ),
      ...(note ? [note] : []),
      ...(count.passes
        ? [
            finding(this, {
              severity: count.severity(this.severity),
              figures: count.figures,
              detail: `${count.text()} Callers use a path or method that the live deployment does not have.${split.noise.length ? ` ${split.noise.length} scanner probe(s) of paths no API serves are left out.` : ''}${iamMethods.length ? ` Note ${iamMethods.length} method(s) use AWS_IAM, where an unsigned request gives the same message (A5).` : ''}`,
              evidence: logRefs(counts),
              fix: `Compare the failing paths with the resources of ${input.target.restApiId}; add the missing method or fix the client URL, then create a deployment.`,
            }),
          ]
        : []),
    ];
  },
});
