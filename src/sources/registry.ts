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

/**
 * Every data source, in the fixed order of the coverage table. Adding a source is adding a module
 * and one line here (k8sgpt's analyzer map, for AWS).
 */
export const SOURCES: readonly Source[] = [
  // apigw.rest-api, apigw.account, apigw.stages, apigw.resources, apigw.authorizers, apigw.domains,
  // apigw.gateway-responses, apigw.usage-plans, logs.execution, logs.access, lambda.functions,
  // logs.lambda, cloudtrail.changes, cloudtrail.denies, ec2.vpc-endpoints, ec2.security-groups,
  // ec2.flow-logs, dns.custom-domains, waf.web-acl, lambda.network-reach, org.scps
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
];

export function sourceById(id: string): Source | undefined {
  return SOURCES.find((s) => s.id === id);
}
