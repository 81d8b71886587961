import { awsError } from '../aws-error.js';
import { pageOf } from '../paging.js';
import type { Scenario, ScenarioAccount } from '../scenario.js';
import { str, type Handler, type ServiceContext, type ServiceHandlers } from './context.js';

/**
 * IAM's role-policy reads, answered from each account's `iam` section: the role's inline policies
 * and attached managed policies, and the managed policies' default versions. IAM is global, and
 * like AWS the documents come back URL-encoded. AWS managed policies live in no account: the two
 * a WebSocket backend usually has are built in, others a scenario declares (`arn:aws:iam::aws:policy/…`).
 */
type Role = NonNullable<ScenarioAccount['iam']>['roles'][number];

const MAX_ITEMS = 1000;
const DEFAULT_ITEMS = 100;

/** AWS managed policies as AWS publishes them (IAM console, "AWS managed" policies). */
const AWS_MANAGED: Record<string, string> = {
  'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole': JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'], Resource: '*' }],
  }),
  'arn:aws:iam::aws:policy/AmazonAPIGatewayInvokeFullAccess': JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: ['execute-api:Invoke', 'execute-api:ManageConnections'], Resource: 'arn:aws:execute-api:*:*:*' }],
  }),
};

const noSuchEntity = (message: string) => awsError('NoSuchEntityException', message, 404);

function findRole(input: Record<string, unknown>, ctx: ServiceContext): Role {
  const name = str(input.RoleName) ?? '';
  // Global: the account's roles whatever region the client was made for.
  const account = ctx.scenario.accounts.find((a) => a.accountId === ctx.accountId);
  const role = (account?.iam?.roles ?? []).find((r) => r.RoleName === name);
  if (!role) throw noSuchEntity(`The role with name ${name} cannot be found.`);
  return role;
}

function paged<T>(items: readonly T[], input: Record<string, unknown>, ctx: ServiceContext, scope: string) {
  const page = pageOf(items, {
    token: input.Marker,
    limit: typeof input.MaxItems === 'number' ? input.MaxItems : DEFAULT_ITEMS,
    serviceMax: MAX_ITEMS,
    scenarioPageSize: ctx.scenario.pageSize,
    scope,
    invalidToken: () => awsError('ValidationError', 'Invalid Marker.'),
  });
  return { items: page.items, IsTruncated: page.next !== undefined, ...(page.next ? { Marker: page.next } : {}) };
}

/** A managed policy by ARN: the scenario's (any account: the ARN names its owner), else a built-in AWS one. */
function managedPolicy(scenario: Scenario, arn: string): { document: string; versionId: string } | undefined {
  for (const account of scenario.accounts) {
    const policy = account.iam?.policies.find((p) => p.Arn === arn);
    if (policy) return { document: policy.Document, versionId: policy.DefaultVersionId };
  }
  const builtIn = AWS_MANAGED[arn];
  return builtIn ? { document: builtIn, versionId: 'v1' } : undefined;
}

const nameOfArn = (arn: string) => arn.slice(arn.lastIndexOf('/') + 1);

const listRolePolicies: Handler = (input, ctx) => {
  const role = findRole(input, ctx);
  const { items, ...rest } = paged(role.inlinePolicies.map((p) => p.PolicyName), input, ctx, `iam:ListRolePolicies:${role.RoleName}`);
  return { PolicyNames: items, ...rest };
};

const getRolePolicy: Handler = (input, ctx) => {
  const role = findRole(input, ctx);
  const name = str(input.PolicyName) ?? '';
  const policy = role.inlinePolicies.find((p) => p.PolicyName === name);
  if (!policy) throw noSuchEntity(`The role policy with name ${name} cannot be found.`);
  return { RoleName: role.RoleName, PolicyName: policy.PolicyName, PolicyDocument: encodeURIComponent(policy.PolicyDocument) };
};

const listAttachedRolePolicies: Handler = (input, ctx) => {
  const role = findRole(input, ctx);
  const attached = role.attachedPolicies.map((arn) => ({ PolicyName: nameOfArn(arn), PolicyArn: arn }));
  const { items, ...rest } = paged(attached, input, ctx, `iam:ListAttachedRolePolicies:${role.RoleName}`);
  return { AttachedPolicies: items, ...rest };
};

const getPolicy: Handler = (input, ctx) => {
  const arn = str(input.PolicyArn) ?? '';
  const policy = managedPolicy(ctx.scenario, arn);
  if (!policy) throw noSuchEntity(`Policy ${arn} does not exist or is not attachable.`);
  return { Policy: { PolicyName: nameOfArn(arn), Arn: arn, DefaultVersionId: policy.versionId, AttachmentCount: 1, IsAttachable: true } };
};

const getPolicyVersion: Handler = (input, ctx) => {
  const arn = str(input.PolicyArn) ?? '';
  const policy = managedPolicy(ctx.scenario, arn);
  const versionId = str(input.VersionId) ?? '';
  if (!policy || policy.versionId !== versionId) throw noSuchEntity(`Policy ${arn} version ${versionId} does not exist or is not attachable.`);
  return { PolicyVersion: { Document: encodeURIComponent(policy.document), VersionId: versionId, IsDefaultVersion: true } };
};

export const iamHandlers: ServiceHandlers = {
  ListRolePolicies: listRolePolicies,
  GetRolePolicy: getRolePolicy,
  ListAttachedRolePolicies: listAttachedRolePolicies,
  GetPolicy: getPolicy,
  GetPolicyVersion: getPolicyVersion,
};
