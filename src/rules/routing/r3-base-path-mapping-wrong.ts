import { evidenceOf, finding } from '../helpers.js';
import { defineRule } from '../types.js';

/**
 * R3: a custom domain whose base path mapping for this API names a stage that does not exist, or
 * that maps this API but not the stage under investigation.
 */
export const r3BasePathMappingWrong = defineRule({
  id: 'R3.base-path-mapping-wrong',
  severity: 'high',
  title: 'A custom domain\'s base path mapping does not reach the stage',
  evaluate(input) {
    const domains = evidenceOf(input, 'apigw.domains') ?? [];
    const stages = evidenceOf(input, 'apigw.stages');
    if (!stages) return [];
    const existing = new Set(stages.map((s) => s.stageName));
    return domains.flatMap((domain) => {
      const ours = domain.mappings.filter((m) => m.restApiId === input.target.restApiId);
      const broken = ours.filter((m) => m.stage && !existing.has(m.stage));
      if (broken.length) {
        return broken.map((m) =>
          finding(this, {
            detail: `${domain.domainName} maps base path ${m.basePath} to stage ${m.stage} of ${input.target.restApiId}, which does not exist (stages: ${[...existing].join(', ') || 'none'}): requests through the domain get 403 Missing Authentication Token.`,
            evidence: [{ source: 'apigw.domains', key: domain.domainName, quote: `${domain.domainName} ${m.basePath} → ${m.restApiId}/${m.stage}` }],
            fix: `Point the ${m.basePath} mapping of ${domain.domainName} at an existing stage (aws apigateway update-base-path-mapping).`,
          }),
        );
      }
      const wanted = input.target.stage;
      if (!wanted || !ours.length || ours.some((m) => !m.stage || m.stage === wanted)) return [];
      return [
        finding(this, {
          severity: 'medium',
          detail: `${domain.domainName} maps ${input.target.restApiId} only to stage(s) ${ours.map((m) => m.stage).join(', ')}, not ${wanted}: callers of the domain do not reach ${wanted}.`,
          evidence: ours.map((m) => ({ source: 'apigw.domains', key: domain.domainName, quote: `${domain.domainName} ${m.basePath} → ${m.restApiId}/${m.stage}` })),
          fix: `Add (or repoint) a base path mapping on ${domain.domainName} to ${input.target.restApiId}/${wanted} if callers expect it there.`,
        }),
      ];
    });
  },
});
