import { GetPolicyCommand, GetPolicyVersionCommand, GetRolePolicyCommand, ListAttachedRolePoliciesCommand, ListRolePoliciesCommand } from '@aws-sdk/client-iam';
import type { AwsClients } from '../../aws/clients.js';
import { classifyError } from '../../aws/errors.js';
import type { ManageConnectionsEvidence, PolicyStatement } from '../../core/evidence.js';
import { coversAction } from '../../core/policy.js';
import { parsePolicyDocument } from '../apigw/policy.js';
import { clientsFor, homeAccountOf, listText, plural } from '../cross-account.js';
import { collectPages } from '../paginate.js';
import type { Describer } from '../../core/describe.js';
import { recordIamAnswers } from '../iam/record.js';
import { defineSource, type SourceContext } from '../types.js';

const ACTION = 'execute-api:ManageConnections';

/** Whether a statement could be about ManageConnections: its Action covers it, or its NotAction leaves it in. */
const mayCover = (statement: PolicyStatement): boolean => coversAction(statement, ACTION);

/** IAM documents come URL-encoded from GetRolePolicy and GetPolicyVersion. */
function statementsOf(encoded: string | undefined, policy: string): (PolicyStatement & { policy: string })[] {
  const parsed = parsePolicyDocument(encoded === undefined ? undefined : decodeURIComponent(encoded));
  return (parsed.policy?.Statement ?? []).filter(mayCover).map((s) => ({ ...s, policy }));
}

async function readRole(iam: AwsClients['iam'], ctx: SourceContext, roleName: string) {
  const [inline, attached] = await Promise.all([
    collectPages(async (token) => {
      const out = await iam.send(new ListRolePoliciesCommand({ RoleName: roleName, ...(token ? { Marker: token } : {}) }));
      return { items: out.PolicyNames ?? [], ...(out.IsTruncated && out.Marker ? { next: out.Marker } : {}) };
    }, ctx.limits),
    collectPages(async (token) => {
      const out = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: roleName, ...(token ? { Marker: token } : {}) }));
      return { items: out.AttachedPolicies ?? [], ...(out.IsTruncated && out.Marker ? { next: out.Marker } : {}) };
    }, ctx.limits),
  ]);
  const unreadable: string[] = [];
  // Inline and managed documents side by side: neither waits for the other.
  const readInline = Promise.all(
    inline.items.map(async (PolicyName) => statementsOf((await iam.send(new GetRolePolicyCommand({ RoleName: roleName, PolicyName }))).PolicyDocument, PolicyName)),
  );
  const readManaged = Promise.all(
    attached.items.map(async ({ PolicyArn }) => {
      if (!PolicyArn) return [];
      try {
        const policy = await iam.send(new GetPolicyCommand({ PolicyArn }));
        const version = await iam.send(new GetPolicyVersionCommand({ PolicyArn, VersionId: policy.Policy?.DefaultVersionId }));
        return statementsOf(version.PolicyVersion?.Document, PolicyArn);
      } catch (err) {
        const error = classifyError(err);
        unreadable.push(`${PolicyArn}: ${error.kind}${error.action ? ` (${error.action})` : ''}`);
        return [];
      }
    }),
  );
  const [inlineStatements, managedStatements] = await Promise.all([readInline, readManaged]);
  return {
    policies: [...inline.items, ...attached.items.map((p) => p.PolicyArn ?? '')].filter(Boolean),
    statements: [...inlineStatements.flat(), ...managedStatements.flat()],
    ...(unreadable.length ? { unreadable } : {}),
  };
}

/** Each route function's role and what it allows or denies on ManageConnections, after the VPC links. */
const describeManageConnections: Describer<'iam.manage-connections'> = {
  order: 32,
  lines: (roles, kit) =>
    roles.map((role) => {
      const grants = role.statements.map((st) => `${st.Effect} ${kit.json({ Action: st.Action ?? st.NotAction, Resource: st.Resource ?? st.NotResource }, 300)} (${st.policy})`);
      return `backend ${role.functionName} role=${role.roleArn} executeApiManageConnections=${grants.join('; ') || 'none'}${role.unreadable?.length ? ` unreadable=${role.unreadable.join('; ')}` : ''}`;
    }),
};

/**
 * The IAM side of posting to connections: what the execution roles of a WebSocket API's route
 * functions allow on execute-api:ManageConnections (the action behind PostToConnection,
 * GetConnection and DeleteConnection, DG apigateway-websocket-control-access-iam). Reads each
 * role's inline and attached policies and keeps the statements that could grant or deny it; the
 * W rules judge them against `…/<stage>/POST/@connections/*`. SCPs and permission boundaries are
 * not read here.
 */
export const manageConnectionsSource = defineSource({
  id: 'iam.manage-connections',
  title: 'Backend roles (@connections)',
  dependsOn: ['lambda.functions'],
  calls: { chain: 3, why: 'a role\'s policy names come from its two lists; a managed policy\'s document needs the default version GetPolicy names (GetPolicyVersion)' },
  async run(ctx) {
    const functions = (ctx.evidence['lambda.functions'] ?? []).filter((f) => f.usedBy.includes('integration') && f.role);
    if (functions.length === 0) return { status: 'not_applicable', evidence: [], reason: 'no route function with a known execution role' };
    const home = homeAccountOf(ctx);
    const byRole = new Map<string, string[]>();
    for (const fn of functions) byRole.set(fn.role as string, [...(byRole.get(fn.role as string) ?? []), fn.functionName]);
    const read = await Promise.all(
      [...byRole].map(async ([roleArn, names]) => {
        const account = roleArn.split(':')[4];
        const roleName = roleArn.slice(roleArn.lastIndexOf('/') + 1);
        const access = clientsFor(ctx, account);
        const base = { roleArn, policies: [] as string[], statements: [] as ManageConnectionsEvidence['statements'] };
        if ('unreadable' in access) return names.map((functionName): ManageConnectionsEvidence => ({ ...base, functionName, unreadable: [access.unreadable] }));
        try {
          const role = await readRole(access.clients.iam, ctx, roleName);
          return names.map((functionName): ManageConnectionsEvidence => ({ functionName, roleArn, ...role }));
        } catch (err) {
          // The home account's refusal is firebreak's own role missing a read: the row says which.
          if (!account || account === home) throw err;
          const error = classifyError(err);
          return names.map((functionName): ManageConnectionsEvidence => ({ ...base, functionName, unreadable: [`${error.kind}${error.action ? ` (${error.action})` : ''} in account ${account}`] }));
        }
      }),
    );
    const evidence = read.flat();
    const granting = evidence.filter((e) => e.statements.some((s) => s.Effect === 'Allow'));
    const unread = evidence.filter((e) => e.unreadable?.length);
    const parts = [
      `${plural(byRole.size, 'role')} of ${plural(evidence.length, 'route function')} read`,
      granting.length ? `${listText(granting.map((e) => e.functionName))} may be allowed ${ACTION}` : `no role grants ${ACTION}`,
    ];
    if (unread.length) parts.push(`not fully read: ${listText(unread.map((e) => `${e.functionName} (${e.unreadable?.join('; ')})`))}`);
    return { status: 'ok', evidence, count: evidence.length, reason: parts.join('; ') };
  },
  describe: describeManageConnections,
  record: (read, w) => recordIamAnswers(read.calls, w),
});
