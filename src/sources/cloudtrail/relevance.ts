import type { Event as TrailEvent } from '@aws-sdk/client-cloudtrail';
import type { Evidence } from '../../core/evidence.js';
import { parseCloudTrailRecord, stringsIn } from './parse.js';

/** The names and ids that make a CloudTrail event about this API. */
export interface RelatedIds {
  restApiId: string;
  /** Distinctive ids matched anywhere in a parameter value (vpce-…, sg-…, function ARNs). */
  ids: Set<string>;
  /** Plain names matched only as a whole parameter value (domain and function names). */
  names: Set<string>;
}

/** Gathers what is known about the API's surroundings from the evidence present. */
export function relatedIds(restApiId: string, evidence: Readonly<Evidence>): RelatedIds {
  const ids = new Set<string>([restApiId]);
  const names = new Set<string>();
  for (const domain of [...(evidence['apigw.domains'] ?? []), ...(evidence['apigwv2.domains'] ?? [])]) if (domain.mapsToThisApi) names.add(domain.domainName.toLowerCase());
  // HTTP APIs: v2 events name the API as `apiId`, VPC links as `vpcLinkId` (matched by value).
  for (const link of evidence['apigwv2.vpc-links'] ?? []) ids.add(link.vpcLinkId);
  const endpoints = evidence['ec2.vpc-endpoints']?.endpoints ?? [];
  for (const endpoint of endpoints) {
    ids.add(endpoint.vpcEndpointId);
    for (const group of endpoint.securityGroupIds) ids.add(group);
  }
  // Ids the API or its policy names, found or not: "who deleted vpce-…?" is the question for a stale one.
  for (const lookup of evidence['ec2.vpc-endpoints']?.lookups ?? []) ids.add(lookup.vpcEndpointId);
  for (const id of evidence['apigw.rest-api']?.vpcEndpointIds ?? []) ids.add(id);
  for (const group of evidence['ec2.security-groups'] ?? []) ids.add(group.groupId);
  // A stage's web ACL: WAF events name it by its id (`…/webacl/<name>/<id>`), a UUID.
  for (const stage of evidence['apigw.stages'] ?? []) {
    const id = stage.webAclArn?.split('/').at(-1);
    if (id) ids.add(id);
  }
  for (const fn of evidence['lambda.functions'] ?? []) {
    ids.add(fn.functionArn);
    names.add(fn.functionName.toLowerCase());
  }
  return { restApiId, ids, names };
}

/** Whether the event's parameters or resources name this API or something it depends on. */
export function concerns(event: TrailEvent, related: RelatedIds): boolean {
  const record = parseCloudTrailRecord(event.CloudTrailEvent);
  const values = [...stringsIn(record.requestParameters ?? {}), ...(event.Resources ?? []).map((r) => r.ResourceName ?? '')].filter(Boolean);
  return values.some((value) => {
    const lower = value.toLowerCase();
    if (related.names.has(lower)) return true;
    for (const id of related.ids) if (value.includes(id)) return true;
    // Lambda names may come as partial ARNs (`123456789012:function:orders`) or with a qualifier.
    const fnName = /(?:^|:)function:([A-Za-z0-9_-]+)/.exec(value)?.[1];
    return fnName !== undefined && related.names.has(fnName.toLowerCase());
  });
}
