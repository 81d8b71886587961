import { awsError } from '../aws-error.js';
import { omit, str, type Handler, type ServiceContext, type ServiceHandlers } from './context.js';

export function webAclArn(ctx: Pick<ServiceContext, 'region' | 'accountId'>, name: string, id: string): string {
  return `arn:aws:wafv2:${ctx.region}:${ctx.accountId}:regional/webacl/${name}/${id}`;
}

/** GetWebACL by `ARN`, or by `Name` + `Id` (+ `Scope`), as WAFV2 accepts. */
const getWebAcl: Handler = (input, ctx) => {
  const arn = str(input.ARN);
  const acl = (ctx.account.wafv2?.webAcls ?? []).find((candidate) => {
    const candidateArn = candidate.ARN ?? webAclArn(ctx, candidate.Name, candidate.Id);
    if (arn !== undefined) return candidateArn === arn;
    return candidate.Id === str(input.Id) && (input.Name === undefined || candidate.Name === input.Name);
  });
  if (!acl) throw awsError('WAFNonexistentItemException', 'AWS WAF couldn’t perform the operation because your resource doesn’t exist.', 400);
  return {
    WebACL: { ARN: webAclArn(ctx, acl.Name, acl.Id), ...omit(acl, []) },
    LockToken: '00000000-0000-4000-8000-000000000000',
  };
};

export const wafv2Handlers: ServiceHandlers = { GetWebACL: getWebAcl };
