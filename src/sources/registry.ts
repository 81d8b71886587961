import type { Source } from './types.js';

/**
 * Every data source, in the fixed order of the coverage table. Adding a source is adding a module
 * and one line here (k8sgpt's analyzer map, for AWS).
 */
export const SOURCES: readonly Source[] = [
  // apigw.rest-api, apigw.account, apigw.stages, apigw.resources, apigw.authorizers, apigw.domains,
  // apigw.gateway-responses, apigw.usage-plans, logs.execution, logs.access, lambda.functions,
  // logs.lambda, cloudtrail.changes, cloudtrail.denies, ec2.vpc-endpoints, ec2.security-groups,
  // ec2.flow-logs, dns.custom-domains, waf.web-acl
];

export function sourceById(id: string): Source | undefined {
  return SOURCES.find((s) => s.id === id);
}
