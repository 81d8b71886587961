import { awsError } from '../aws-error.js';
import { str, type Handler, type ServiceContext, type ServiceHandlers } from './context.js';
import { webAclArn } from './wafv2.js';

/**
 * Which web ACLs exist and what they protect: ListWebACLs (REGIONAL scope: the account's regional
 * ACLs; CLOUDFRONT: none here) and ListResourcesForWebACL, which for `ResourceType: API_GATEWAY`
 * lists the REST API stages whose `webAclArn` is the ACL (AWS's default resource type is
 * APPLICATION_LOAD_BALANCER, which a scenario has none of).
 */
function acls(ctx: ServiceContext) {
  return (ctx.account.wafv2?.webAcls ?? []).map((acl) => ({ acl, arn: acl.ARN ?? webAclArn(ctx, acl.Name, acl.Id) }));
}

const listWebAcls: Handler = (input, ctx) => {
  const scope = str(input.Scope);
  if (scope !== 'REGIONAL' && scope !== 'CLOUDFRONT') throw awsError('WAFInvalidParameterException', 'The operation failed because AWS WAF didn’t recognize a parameter in the request: Scope', 400);
  const items = scope === 'REGIONAL' ? acls(ctx) : [];
  return { WebACLs: items.map(({ acl, arn }) => ({ Name: acl.Name, Id: acl.Id, ARN: arn, LockToken: '00000000-0000-4000-8000-000000000000' })) };
};

const listResourcesForWebAcl: Handler = (input, ctx) => {
  const arn = str(input.WebACLArn);
  if (!acls(ctx).some((a) => a.arn === arn)) throw awsError('WAFNonexistentItemException', 'AWS WAF couldn’t perform the operation because your resource doesn’t exist.', 400);
  if ((str(input.ResourceType) ?? 'APPLICATION_LOAD_BALANCER') !== 'API_GATEWAY') return { ResourceArns: [] };
  const stages = (ctx.account.apigateway?.restApis ?? []).flatMap((api) =>
    (api.stages ?? []).filter((stage) => stage.webAclArn === arn).map((stage) => `arn:aws:apigateway:${ctx.region}::/restapis/${api.id}/stages/${stage.stageName}`),
  );
  return { ResourceArns: stages };
};

export const wafv2AssociationHandlers: ServiceHandlers = { ListWebACLs: listWebAcls, ListResourcesForWebACL: listResourcesForWebAcl };
