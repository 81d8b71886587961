import type { Finding } from '../../core/finding.js';
import { defaultEndpointUse, describeUse, severityOfUse } from '../default-endpoint.js';
import { evidenceOf, finding, requireSources } from '../helpers.js';
import { defineRule, type Rule, type RuleInput } from '../types.js';

/**
 * H4: the default `https://<api-id>.execute-api…` endpoint is disabled (clients calling it get
 * 404 for HTTP APIs) and no custom domain maps the API to a stage it has, so nothing reaches it
 * (DG http-api-disable-default-endpoint; the setting needs a deploy unless auto-deploy is on).
 * With a working custom domain, the severity follows the share of the traffic that used the
 * default endpoint before it was disabled (access logs' `$context.domainName`, CloudTrail's time).
 */
export const h4DefaultEndpointDisabled = defineRule({
  id: 'H4.default-endpoint-disabled',
  severity: 'critical',
  title: 'The default execute-api endpoint is disabled and no custom domain reaches the API',
  evaluate(input) {
    return defaultEndpointDisabled(this, input, { kind: 'HTTP API', refused: '404 Not Found', short: '404' });
  },
});

/**
 * A v2 API with its default endpoint disabled and no working custom domain: what clients of the
 * execute-api URL get differs by kind (`refused`: HTTP APIs answer 404 Not Found).
 */
export function defaultEndpointDisabled(rule: Rule, input: RuleInput, wording: { kind: string; refused: string; short: string }): Finding[] {
  const api = evidenceOf(input, 'apigwv2.api');
  if (!api?.disableExecuteApiEndpoint) return [];
  const blocked = requireSources(input, rule, ['apigwv2.domains'], 'that the API is unreachable with its default endpoint disabled');
  if (blocked) return blocked;
  const domains = (evidenceOf(input, 'apigwv2.domains') ?? []).filter((d) => d.mapsToThisApi);
  const stages = evidenceOf(input, 'apigwv2.stages');
  const stageNames = stages ? new Set(stages.map((s) => s.stageName)) : undefined;
  // A domain whose DNS points elsewhere or nowhere does not reach the API either.
  const dns = evidenceOf(input, 'dns.custom-domains') ?? [];
  const broken = new Set(dns.filter((r) => r.verdict === 'stale' || (r.verdict === 'unresolved' && !r.lookupError)).map((r) => r.domainName));
  const working = domains.filter((d) => !broken.has(d.domainName)).filter((d) =>
    d.mappings.some((m) => m.restApiId === api.apiId && (!stageNames || input.target.stage || (m.stage !== undefined && stageNames.has(m.stage))) && (!input.target.stage || m.stage === input.target.stage)),
  );
  const quote = `DisableExecuteApiEndpoint: true${api.apiEndpoint ? ` (${api.apiEndpoint} answers ${wording.short})` : ''}`;
  if (working.length > 0) {
    const use = defaultEndpointUse(input);
    const severity = severityOfUse('high', use);
    const used = use.figure && use.figure.numerator > 0;
    return [
      finding(rule, {
        severity,
        title: used ? 'The default execute-api endpoint was disabled while clients still used it' : 'The default execute-api endpoint is disabled: only the custom domain works',
        detail: `Clients must call ${working.map((d) => d.domainName).join(', ')}; calls to ${api.apiEndpoint ?? 'the execute-api URL'} get ${wording.refused}. ${describeUse(input, use, working)}`,
        evidence: [
          { source: 'apigwv2.api', quote },
          ...(use.change ? [{ source: 'cloudtrail.changes', key: use.change.eventId, quote: `${use.change.eventName} ${use.change.eventTime}${use.change.username ? ` by ${use.change.username}` : ''}: DisableExecuteApiEndpoint true` }] : []),
          ...(use.figure ? [{ source: 'logs.access', quote: `${use.figure.numerator} of ${use.figure.denominator} ${use.figure.unit} on ${api.apiId}.execute-api.${input.target.region}.amazonaws.com` }] : []),
        ],
        fix: used
          ? `Move the remaining clients to ${working[0]?.domainName}, or re-enable the default endpoint until they have moved: aws apigatewayv2 update-api --api-id ${api.apiId} --no-disable-execute-api-endpoint (then deploy if auto-deploy is off).`
          : 'Make clients use the custom domain, or set DisableExecuteApiEndpoint to false (and deploy when auto-deploy is off).',
        ...(use.figure ? { figures: [use.figure] } : {}),
      }),
    ];
  }
  const brokenText = domains.filter((d) => broken.has(d.domainName)).map((d) => `${d.domainName} (DNS: ${dns.find((r) => r.domainName === d.domainName)?.detail ?? 'broken'})`);
  const mapped = domains.filter((d) => !broken.has(d.domainName)).map((d) => `${d.domainName} → ${d.mappings.filter((m) => m.restApiId === api.apiId).map((m) => m.stage ?? '?').join(', ')}`);
  return [
    finding(rule, {
      detail: `${wording.kind} ${api.apiId} has its default execute-api endpoint disabled and ${mapped.length ? `its custom domain mappings (${mapped.join('; ')}) point at no stage it has${input.target.stage ? ` for stage ${input.target.stage}` : ''}` : brokenText.length ? `its custom domain${brokenText.length > 1 ? 's do' : ' does'} not resolve to it: ${brokenText.join('; ')}` : 'no custom domain maps it'}: no client can reach it (the execute-api URL answers ${wording.refused}).`,
      evidence: [{ source: 'apigwv2.api', quote }, { source: 'apigwv2.domains', quote: mapped.length ? mapped.join('; ') : `no domain maps ${api.apiId}` }],
      fix: `Map a custom domain to the stage (aws apigatewayv2 create-api-mapping --domain-name <domain> --api-id ${api.apiId} --stage <stage>) or re-enable the default endpoint (aws apigatewayv2 update-api --api-id ${api.apiId} --no-disable-execute-api-endpoint, then deploy if auto-deploy is off).`,
    }),
  ];
}
