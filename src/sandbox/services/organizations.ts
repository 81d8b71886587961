import { awsError } from '../aws-error.js';
import type { ScenarioAccount } from '../scenario.js';
import { str, type Handler, type ServiceContext, type ServiceHandlers } from './context.js';

/**
 * Organizations, answered from each account's `organizations.policies` (the SCPs that apply to
 * that account, all attached to it: the organization is one root without OUs and SCPs). A scenario where no account has any is an account outside an organization, and
 * refusals are faults (`organizations:ListPoliciesForTarget AccessDeniedException`), as they are
 * for any member account that is not the management or a delegated-admin account.
 */
type Policy = NonNullable<ScenarioAccount['organizations']>['policies'][number];

function inUse(ctx: ServiceContext): void {
  if (!ctx.scenario.accounts.some((a) => a.organizations)) {
    throw awsError('AWSOrganizationsNotInUseException', 'Your account is not a member of an organization.', 400);
  }
}

const ORG = 'o-sandbox0001';
const arnOf = (policy: Policy) =>
  typeof policy.Arn === 'string' ? policy.Arn : `arn:aws:organizations::${'000000000000'}:policy/${ORG}/service_control_policy/${policy.Id}`;
const summary = (policy: Policy) => ({ Id: policy.Id, Arn: arnOf(policy), Name: policy.Name ?? policy.Id, Type: 'SERVICE_CONTROL_POLICY', AwsManaged: policy.Id === 'p-FullAWSAccess' });

/** One root, no OUs: every account's SCPs are declared on the account itself. */
const ROOT = 'r-sb01';

const listParents: Handler = (input, ctx) => {
  inUse(ctx);
  const child = str(input.ChildId) ?? '';
  if (child === ROOT) throw awsError('ChildNotFoundException', `We can't find an organizational unit (OU) or AWS account with the ChildId that you specified.`, 400);
  if (!ctx.scenario.accounts.some((a) => a.accountId === child)) throw awsError('ChildNotFoundException', `We can't find an organizational unit (OU) or AWS account with the ChildId that you specified.`, 400);
  return { Parents: [{ Id: ROOT, Type: 'ROOT' }] };
};

const listPoliciesForTarget: Handler = (input, ctx) => {
  inUse(ctx);
  const target = str(input.TargetId) ?? '';
  if (target === ROOT) return { Policies: [] };
  const account = ctx.scenario.accounts.find((a) => a.accountId === target);
  if (!account) throw awsError('TargetNotFoundException', `We can't find a root, OU, account, or email with the TargetId that you specified.`, 400);
  return { Policies: (account.organizations?.policies ?? []).map(summary) };
};

const describePolicy: Handler = (input, ctx) => {
  inUse(ctx);
  const id = str(input.PolicyId) ?? '';
  const policy = ctx.scenario.accounts.flatMap((a) => a.organizations?.policies ?? []).find((p) => p.Id === id);
  if (!policy) throw awsError('PolicyNotFoundException', `We can't find a policy with the PolicyId that you specified.`, 400);
  return { Policy: { PolicySummary: summary(policy), Content: typeof policy.Content === 'string' ? policy.Content : JSON.stringify(policy.Content) } };
};

export const organizationsHandlers: ServiceHandlers = { ListParents: listParents, ListPoliciesForTarget: listPoliciesForTarget, DescribePolicy: describePolicy };
