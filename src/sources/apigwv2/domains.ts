import { GetApiMappingsCommand, GetDomainNamesCommand, type DomainName } from '@aws-sdk/client-apigatewayv2';
import type { BasePathMappingEvidence, DomainEvidence } from '../../core/evidence.js';
import { collectPages } from '../paginate.js';
import type { Describer } from '../../core/describe.js';
import { defineSource, type SourceContext } from '../types.js';
import { domainLine } from '../apigw/domains.js';
import { recordAnswers } from '../record.js';
import { writeApigwv2Answer } from './record.js';

async function mappingsOf(ctx: SourceContext, domain: DomainName): Promise<BasePathMappingEvidence[]> {
  const read = await collectPages(async (token) => {
    const out = await ctx.aws.apigatewayv2.send(new GetApiMappingsCommand({ DomainName: domain.DomainName, ...(token ? { NextToken: token } : {}) }));
    return { items: out.Items ?? [], ...(out.NextToken ? { next: out.NextToken } : {}) };
  }, ctx.limits);
  // The same shape as REST base path mappings, so the DNS check and the bundle read both alike.
  return read.items.map((m) => ({
    basePath: m.ApiMappingKey ? m.ApiMappingKey : '(none)',
    ...(m.ApiId ? { restApiId: m.ApiId } : {}),
    ...(m.Stage ? { stage: m.Stage } : {}),
  }));
}

function toEvidence(domain: DomainName, mappings: BasePathMappingEvidence[], apiId: string): DomainEvidence {
  const config = domain.DomainNameConfigurations?.[0];
  const edge = config?.EndpointType === 'EDGE';
  const evidence: DomainEvidence = {
    domainName: domain.DomainName ?? '',
    endpointTypes: config?.EndpointType ? [config.EndpointType] : [],
    mappings,
    mapsToThisApi: mappings.some((m) => m.restApiId === apiId),
  };
  if (config?.ApiGatewayDomainName) {
    if (edge) evidence.distributionDomainName = config.ApiGatewayDomainName;
    else evidence.regionalDomainName = config.ApiGatewayDomainName;
  }
  if (config?.DomainNameStatus) evidence.domainNameStatus = config.DomainNameStatus;
  if (config?.SecurityPolicy) evidence.securityPolicy = config.SecurityPolicy;
  if (domain.MutualTlsAuthentication?.TruststoreUri) evidence.mtlsTruststoreUri = domain.MutualTlsAuthentication.TruststoreUri;
  return evidence;
}

/**
 * Custom domains with their API mappings (API Gateway v2 lists REST and HTTP mappings alike).
 * Domains mapping other APIs are kept after this API's: a domain still mapped to the API this one
 * replaced is the REST↔HTTP move gone half-way.
 */
const describeHttpDomains: Describer<'apigwv2.domains'> = {
  order: 22,
  lines: (domains, kit) => domains.map((domain) => domainLine(domain, kit, { apiGatewayDomainName: domain.regionalDomainName ?? domain.distributionDomainName }, 'apiMappings')),
};

export const httpDomainsSource = defineSource({
  id: 'apigwv2.domains',
  title: 'Custom domains',
  dependsOn: [],
  calls: { chain: 2, why: 'GetApiMappings needs the domain names GetDomainNames returns' },
  after: ['apigwv2.api'],
  async run(ctx) {
    const { restApiId: apiId, stage } = ctx.target;
    const domains = await collectPages(async (token) => {
      const out = await ctx.aws.apigatewayv2.send(new GetDomainNamesCommand({ ...(token ? { NextToken: token } : {}) }));
      return { items: out.Items ?? [], ...(out.NextToken ? { next: out.NextToken } : {}) };
    }, ctx.limits);
    if (domains.items.length === 0) return { status: 'empty', evidence: [], count: 0, reason: `no custom domain names in ${ctx.target.region}` };
    const evidence = await Promise.all(domains.items.map(async (d) => toEvidence(d, await mappingsOf(ctx, d), apiId)));
    evidence.sort((a, b) => Number(b.mapsToThisApi) - Number(a.mapsToThisApi));
    const ours = evidence.filter((d) => d.mapsToThisApi);
    const describe = (d: DomainEvidence) =>
      d.mappings
        .filter((m) => m.restApiId === apiId)
        .map((m) => `${d.domainName}/${m.basePath === '(none)' ? '' : m.basePath} → ${m.stage ?? '(no stage)'}`)
        .join(', ');
    const parts = [ours.length > 0 ? `${ours.length} of ${evidence.length} domain(s) map this API: ${ours.map(describe).join(', ')}` : `none of ${evidence.length} domain(s) maps API ${apiId}`];
    if (stage && ours.length > 0 && !ours.some((d) => d.mappings.some((m) => m.restApiId === apiId && m.stage === stage))) parts.push(`no mapping points at stage ${stage}`);
    return { status: 'ok', evidence, count: evidence.length, reason: parts.join('; '), ...(domains.truncated ? { truncated: domains.truncated } : {}) };
  },
  describe: describeHttpDomains,
  record: recordAnswers(writeApigwv2Answer),
});
