import { apiAccountSource } from './apigw/account.js';
import { authorizersSource } from './apigw/authorizers.js';
import { domainsSource } from './apigw/domains.js';
import { gatewayResponsesSource } from './apigw/gateway-responses.js';
import { resourcesSource } from './apigw/resources.js';
import { restApiSource } from './apigw/rest-api.js';
import { stagesSource } from './apigw/stages.js';
import { usagePlansSource } from './apigw/usage-plans.js';
import { accessLogsSource } from './logs/access.js';
import { executionLogsSource } from './logs/execution.js';
import { cloudTrailChangesSource } from './cloudtrail/changes.js';
import { cloudTrailDeniesSource } from './cloudtrail/denies.js';
import { customDomainsDnsSource } from './dns/custom-domains.js';
import { flowLogsSource } from './ec2/flow-logs.js';
import { securityGroupsSource } from './ec2/security-groups.js';
import { vpcEndpointsSource } from './ec2/vpc-endpoints.js';
import { lambdaFunctionsSource } from './lambda/functions.js';
import { lambdaLogsSource } from './lambda/logs.js';
import { lambdaNetworkReachSource } from './lambda/network-reach.js';
import { scpsSource } from './organizations/scps.js';
import type { Source } from './types.js';
import { webAclSource } from './waf/web-acl.js';
import { metricsAlarmsSource } from './metrics/alarms.js';
import { metricsApiSource } from './metrics/api.js';
import { metricsLambdaSource } from './metrics/lambda.js';
import { metricsWafSource } from './metrics/waf.js';
import { httpAccessLogsSource } from './apigwv2/access-logs.js';
import { httpApiSource } from './apigwv2/api.js';
import { httpAuthorizersSource } from './apigwv2/authorizers.js';
import { httpDomainsSource } from './apigwv2/domains.js';
import { httpExecutionLogsSource } from './apigwv2/execution-logs.js';
import { httpLambdaFunctionsSource } from './apigwv2/lambda-functions.js';
import { httpRoutesSource } from './apigwv2/routes.js';
import { httpStagesSource } from './apigwv2/stages.js';
import { httpVpcLinksSource } from './apigwv2/vpc-links.js';
import { httpWebAclSource } from './apigwv2/waf.js';
import type { CallRecord } from '../aws/call-context.js';
import type { AwsClients } from '../aws/clients.js';
import { bindDescriber, type EvidenceDescriber } from '../core/describe.js';
import type { ApiType, Target } from '../core/target.js';
import { resolveApiType } from './api-type.js';
import { websocketApiSource } from './apigwv2/api.js';
import { websocketAccessLogsSource } from './apigwv2/access-logs.js';
import { websocketExecutionLogsSource } from './websocket/execution-logs.js';
import { websocketLambdaFunctionsSource } from './websocket/lambda-functions.js';
import { websocketLambdaLogsSource } from './websocket/lambda-logs.js';
import { manageConnectionsSource } from './websocket/manage-connections.js';
import { websocketRoutesSource } from './websocket/routes.js';
import { websocketVpcLinksSource } from './websocket/vpc-links.js';

/** CloudWatch metrics and alarms: one set for every kind of API (each source reads the kind it is given). */
const METRICS_SOURCES: readonly Source[] = [metricsApiSource, metricsLambdaSource, metricsWafSource, metricsAlarmsSource];

/**
 * Every data source, in the fixed order of the coverage table. Adding a source is adding a module
 * and one line here (k8sgpt's analyzer map, for AWS).
 */
export const SOURCES: readonly Source[] = [
  // apigw.rest-api, apigw.account, apigw.stages, apigw.resources, apigw.authorizers, apigw.domains,
  // apigw.gateway-responses, apigw.usage-plans, logs.execution, logs.access, lambda.functions,
  // logs.lambda, cloudtrail.changes, cloudtrail.denies, ec2.vpc-endpoints, ec2.security-groups,
  // ec2.flow-logs, dns.custom-domains, waf.web-acl, lambda.network-reach, org.scps, metrics.api,
  // metrics.lambda, metrics.waf, metrics.alarms
  restApiSource,
  apiAccountSource,
  stagesSource,
  resourcesSource,
  authorizersSource,
  domainsSource,
  gatewayResponsesSource,
  usagePlansSource,
  executionLogsSource,
  accessLogsSource,
  lambdaFunctionsSource,
  lambdaLogsSource,
  cloudTrailChangesSource,
  cloudTrailDeniesSource,
  vpcEndpointsSource,
  securityGroupsSource,
  flowLogsSource,
  customDomainsDnsSource,
  webAclSource,
  lambdaNetworkReachSource,
  scpsSource,
  ...METRICS_SOURCES,
];

/**
 * The sources for an HTTP API (API Gateway v2). Shared concerns keep their REST ids (logs.access,
 * lambda.functions, cloudtrail.*, dns.custom-domains) so the coverage table reads the same for
 * both kinds; execution logs and WAF are there to say `not_applicable`, never to go missing.
 */
export const HTTP_SOURCES: readonly Source[] = [
  // apigwv2.api, apigwv2.stages, apigwv2.routes, apigwv2.authorizers, apigwv2.vpc-links,
  // apigwv2.domains, logs.execution, logs.access, lambda.functions, logs.lambda,
  // cloudtrail.changes, cloudtrail.denies, dns.custom-domains, waf.web-acl, metrics.api,
  // metrics.lambda, metrics.waf, metrics.alarms
  httpApiSource,
  httpStagesSource,
  httpRoutesSource,
  httpAuthorizersSource,
  httpVpcLinksSource,
  httpDomainsSource,
  httpExecutionLogsSource,
  httpAccessLogsSource,
  httpLambdaFunctionsSource,
  lambdaLogsSource,
  cloudTrailChangesSource,
  cloudTrailDeniesSource,
  customDomainsDnsSource,
  httpWebAclSource,
  ...METRICS_SOURCES,
];

/**
 * The sources for a WebSocket API (API Gateway v2, ProtocolType WEBSOCKET): the v2 rows of HTTP
 * APIs where the calls are the same (stages, authorizers, domains), WebSocket readings where they
 * differ (routes with route responses, v1 VPC links, execution logs, backends' `@connections`
 * calls), the account's CloudWatch role (WebSocket stages log through it) and the IAM side of
 * posting to connections.
 */
export const WEBSOCKET_SOURCES: readonly Source[] = [
  // apigwv2.api, apigw.account, apigwv2.stages, apigwv2.routes, apigwv2.authorizers,
  // apigwv2.vpc-links, apigwv2.domains, logs.execution, logs.access, lambda.functions, logs.lambda,
  // iam.manage-connections, cloudtrail.changes, cloudtrail.denies, dns.custom-domains, waf.web-acl,
  // metrics.api, metrics.lambda, metrics.waf, metrics.alarms
  websocketApiSource,
  apiAccountSource,
  httpStagesSource,
  websocketRoutesSource,
  httpAuthorizersSource,
  websocketVpcLinksSource,
  httpDomainsSource,
  websocketExecutionLogsSource,
  websocketAccessLogsSource,
  websocketLambdaFunctionsSource,
  websocketLambdaLogsSource,
  manageConnectionsSource,
  cloudTrailChangesSource,
  cloudTrailDeniesSource,
  customDomainsDnsSource,
  httpWebAclSource,
  ...METRICS_SOURCES,
];

/**
 * Every source's `describe` step, bound to its evidence: the bundle's configuration section for
 * any investigation (the kind of API decides which evidence is there). A source id described by
 * two sources (REST and HTTP `lambda.functions`) is described by the first.
 */
export function describersOf(sources: readonly Source[]): EvidenceDescriber[] {
  return sources.flatMap((source) => (source.describe ? [bindDescriber(source.id, source.describe)] : []));
}

export function allDescribers(): EvidenceDescriber[] {
  return describersOf([...SOURCES, ...HTTP_SOURCES, ...WEBSOCKET_SOURCES]);
}

/** The source set for a kind of API; REST when the kind is not known (the historical default). */
export function sourcesFor(apiType: ApiType | undefined): readonly Source[] {
  return apiType === 'HTTP' ? HTTP_SOURCES : apiType === 'WEBSOCKET' ? WEBSOCKET_SOURCES : SOURCES;
}

/**
 * The first step of an investigation: which kind of API the target is, and the source set for it.
 * A target that already says its kind (a name or a domain mapping resolved it) is kept; otherwise
 * the probe reads GetApi and GetRestApi side by side and the chosen kind's first source reuses its
 * answer.
 */
export async function planSources(
  target: Target,
  aws: AwsClients,
  onCall?: (record: CallRecord) => void,
): Promise<{ target: Target; sources: readonly Source[]; prefetched?: ReadonlyMap<string, Promise<unknown>> }> {
  if (target.apiType) return { target, sources: sourcesFor(target.apiType) };
  const resolved = await resolveApiType(aws, target.restApiId, undefined, onCall);
  const apiType: ApiType = resolved.apiType;
  return { target: { ...target, apiType }, sources: sourcesFor(apiType), ...(resolved.prefetched ? { prefetched: resolved.prefetched } : {}) };
}
