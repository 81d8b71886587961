import { GetBasePathMappingsCommand, GetDomainNamesCommand, type DomainName } from '@aws-sdk/client-api-gateway';
import type { BasePathMappingEvidence, DomainEvidence } from '../../core/evidence.js';
import { collectPages } from '../paginate.js';
import type { DescribeKit, Describer, PairValue } from '../../core/describe.js';
import { defineSource, type SourceContext } from '../types.js';
import { recordAnswers } from '../record.js';
import { writeApigwAnswer } from './record.js';

const PAGE_LIMIT = 500;

async function mappingsOf(ctx: SourceContext, domain: DomainName): Promise<BasePathMappingEvidence[]> {
  const collected = await collectPages(async (position) => {
    const out = await ctx.aws.apigateway.send(
      new GetBasePathMappingsCommand({
        domainName: domain.domainName,
        // Private custom domains are addressed by name plus id.
        ...(domain.domainNameId ? { domainNameId: domain.domainNameId } : {}),
        limit: PAGE_LIMIT,
        ...(position ? { position } : {}),
      }),
    );
    return { items: out.items ?? [], ...(out.position ? { next: out.position } : {}) };
  }, ctx.limits);
  return collected.items.map((m) => ({
    basePath: m.basePath ?? '(none)',
    ...(m.restApiId ? { restApiId: m.restApiId } : {}),
    ...(m.stage ? { stage: m.stage } : {}),
  }));
}

function toEvidence(domain: DomainName, mappings: BasePathMappingEvidence[], restApiId: string): DomainEvidence {
  const evidence: DomainEvidence = {
    domainName: domain.domainName ?? '',
    endpointTypes: domain.endpointConfiguration?.types ?? [],
    mappings,
    mapsToThisApi: mappings.some((m) => m.restApiId === restApiId),
  };
  if (domain.regionalDomainName) evidence.regionalDomainName = domain.regionalDomainName;
  if (domain.distributionDomainName) evidence.distributionDomainName = domain.distributionDomainName;
  if (domain.domainNameStatus) evidence.domainNameStatus = domain.domainNameStatus;
  if (domain.securityPolicy) evidence.securityPolicy = domain.securityPolicy;
  if (domain.mutualTlsAuthentication?.truststoreUri) evidence.mtlsTruststoreUri = domain.mutualTlsAuthentication.truststoreUri;
  return evidence;
}

/**
 * Custom domains of the account with their base path mappings. Domains that map other APIs are
 * kept too (after this API's): "the domain routes somewhere else" is itself a finding (R3).
 */
/**
 * One configuration line per domain: its identity fields (what differs between REST and HTTP
 * domains), then TLS, whether it maps this API, and its mappings under the kind's own name.
 */
export function domainLine(domain: DomainEvidence, kit: DescribeKit, identity: Record<string, PairValue>, mappingsKey: string): string {
  const mappings = domain.mappings.map((m) => `${m.basePath || '(none)'}→${m.restApiId ?? '?'}/${m.stage ?? '*'}`);
  return `domain ${domain.domainName} ${kit.pairs({
    endpointTypes: domain.endpointTypes,
    status: domain.domainNameStatus,
    ...identity,
    securityPolicy: domain.securityPolicy,
    mtlsTruststore: domain.mtlsTruststoreUri,
    mapsToThisApi: domain.mapsToThisApi,
  })} ${mappingsKey}=${mappings.join(',') || '-'}`;
}

const describeDomains: Describer<'apigw.domains'> = {
  order: 80,
  lines: (domains, kit) =>
    domains.map((domain) => domainLine(domain, kit, { regionalDomainName: domain.regionalDomainName, distributionDomainName: domain.distributionDomainName }, 'mappings')),
};

export const domainsSource = defineSource({
  id: 'apigw.domains',
  title: 'Custom domains',
  dependsOn: [],
  calls: { chain: 2, why: 'GetBasePathMappings needs the domain names GetDomainNames returns' },
  after: ['apigw.rest-api'],
  async run(ctx) {
    const { restApiId, stage } = ctx.target;
    const domains = await collectPages(async (position) => {
      const out = await ctx.aws.apigateway.send(new GetDomainNamesCommand({ limit: PAGE_LIMIT, ...(position ? { position } : {}) }));
      return { items: out.items ?? [], ...(out.position ? { next: out.position } : {}) };
    }, ctx.limits);
    if (domains.items.length === 0) {
      return { status: 'empty', evidence: [], count: 0, reason: `no custom domain names in ${ctx.target.region}` };
    }
    const evidence = await Promise.all(domains.items.map(async (d) => toEvidence(d, await mappingsOf(ctx, d), restApiId)));
    evidence.sort((a, b) => Number(b.mapsToThisApi) - Number(a.mapsToThisApi));

    const ours = evidence.filter((d) => d.mapsToThisApi);
    const describe = (d: DomainEvidence) =>
      d.mappings
        .filter((m) => m.restApiId === restApiId)
        .map((m) => `${d.domainName}/${m.basePath === '(none)' ? '' : m.basePath} → ${m.stage ?? '(no stage)'}`)
        .join(', ');
    const parts = [
      ours.length > 0
        ? `${ours.length} of ${evidence.length} domain(s) map this API: ${ours.map(describe).join(', ')}`
        : `none of ${evidence.length} domain(s) maps API ${restApiId}`,
    ];
    if (stage && ours.length > 0) {
      const toStage = ours.some((d) => d.mappings.some((m) => m.restApiId === restApiId && m.stage === stage));
      if (!toStage) parts.push(`no mapping points at stage ${stage}`);
    }
    return {
      status: 'ok',
      evidence,
      count: evidence.length,
      reason: parts.join('; '),
      ...(domains.truncated ? { truncated: domains.truncated } : {}),
    };
  },
  describe: describeDomains,
  record: recordAnswers(writeApigwAnswer),
});
