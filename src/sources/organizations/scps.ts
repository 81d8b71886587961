import { DescribePolicyCommand, ListParentsCommand, ListPoliciesForTargetCommand, type PolicySummary } from '@aws-sdk/client-organizations';
import type { AwsClients } from '../../aws/clients.js';
import { classifyError, errorName } from '../../aws/errors.js';
import type { AccessLogEvidence, ExecutionLogEvidence, ScpEvidence } from '../../core/evidence.js';
import { parsePolicyDocument } from '../apigw/policy.js';
import { homeAccountOf, listText, plural } from '../cross-account.js';
import { collectPages } from '../paginate.js';
import { defineSource, type SourceContext, type SourceLimits } from '../types.js';
import { recordScps } from './record.js';

/** At most this many callers' accounts are read (the busiest first): each costs a few Organizations calls. */
const MAX_CALLER_ACCOUNTS = 5;
const MAX_CALLERS_KEPT = 3;
/** An account sits under at most five levels of OUs below the root. */
const MAX_DEPTH = 6;

const ACCOUNT_ID = /^\d{12}$/;
const ARN_ACCOUNT = /^arn:aws[\w-]*:(?:sts|iam)::(\d{12}):/;
// Execution logs quote the refused caller: "User: arn:aws:sts::222222222222:assumed-role/x/y is not authorized to perform: execute-api:Invoke".
const DENIED_CALLER = /User: (arn:aws[\w-]*:(?:sts|iam)::\d{12}:\S+) is not authorized to perform: execute-api:Invoke/;

interface CallerAccount {
  accountId: string;
  requests: number;
  callers: string[];
}

function field(fields: Record<string, string>, name: string): string | undefined {
  const value = fields[name];
  return value && value !== '-' ? value : undefined;
}

/**
 * The accounts IAM callers came from, busiest first: `$context.identity.accountId`, or the account
 * of `$context.identity.userArn` / `caller` in the access logs, and the callers quoted in
 * execution-log denials. SCPs of those accounts restrict those callers, wherever the API lives.
 */
export function callerAccounts(access: readonly AccessLogEvidence[], execution: readonly ExecutionLogEvidence[]): CallerAccount[] {
  const accounts = new Map<string, CallerAccount>();
  const note = (accountId: string | undefined, caller: string | undefined) => {
    if (!accountId || !ACCOUNT_ID.test(accountId)) return;
    const entry = accounts.get(accountId) ?? { accountId, requests: 0, callers: [] };
    entry.requests += 1;
    if (caller && entry.callers.length < MAX_CALLERS_KEPT && !entry.callers.includes(caller)) entry.callers.push(caller);
    accounts.set(accountId, entry);
  };
  for (const log of access) {
    for (const record of log.records) {
      const arn = field(record.fields, 'identity.userArn') ?? field(record.fields, 'identity.caller');
      const account = field(record.fields, 'identity.accountId') ?? (arn ? ARN_ACCOUNT.exec(arn)?.[1] : undefined);
      note(account, arn?.startsWith('arn:') ? arn : undefined);
    }
  }
  for (const log of execution) {
    for (const line of log.lines) {
      const caller = DENIED_CALLER.exec(line.message)?.[1];
      if (caller) note(ARN_ACCOUNT.exec(caller)?.[1], caller);
    }
  }
  return [...accounts.values()].sort((a, b) => b.requests - a.requests || a.accountId.localeCompare(b.accountId));
}

/** The account and the OUs above it up to the root: SCPs attached to any of them apply to the account. */
async function targetsOf(clients: AwsClients, accountId: string, parents: Map<string, Promise<string | undefined>>): Promise<{ targets: string[]; note?: string }> {
  const targets = [accountId];
  let child = accountId;
  for (let depth = 0; depth < MAX_DEPTH; depth++) {
    let parent = parents.get(child);
    if (!parent) {
      parent = clients.organizations.send(new ListParentsCommand({ ChildId: child })).then((out) => {
        const first = out.Parents?.[0];
        return first?.Id ? `${first.Type ?? ''}|${first.Id}` : undefined;
      });
      parents.set(child, parent);
    }
    let found: string | undefined;
    try {
      found = await parent;
    } catch (err) {
      const error = classifyError(err);
      return { targets, note: `SCPs inherited from OUs and the root not read (${error.kind}${error.action ? ` on ${error.action}` : ''})` };
    }
    if (!found) break;
    const [type, id = ''] = found.split('|');
    targets.push(id);
    if (type === 'ROOT') break;
    child = id;
  }
  return { targets };
}

async function policiesFor(clients: AwsClients, target: string, limits: SourceLimits): Promise<PolicySummary[]> {
  const collected = await collectPages(async (token) => {
    const out = await clients.organizations.send(new ListPoliciesForTargetCommand({ TargetId: target, Filter: 'SERVICE_CONTROL_POLICY', ...(token ? { NextToken: token } : {}) }));
    return { items: out.Policies ?? [], ...(out.NextToken ? { next: out.NextToken } : {}) };
  }, limits);
  return collected.items;
}

type Contents = Map<string, Promise<{ content?: string }>>;

/** A policy's content, described once however many accounts it applies to (the root's, an OU's). */
function describe(ctx: SourceContext, contents: Contents, id: string): Promise<{ content?: string }> {
  let content = contents.get(id);
  if (!content) {
    content = ctx.aws.organizations.send(new DescribePolicyCommand({ PolicyId: id })).then((out) => ({ ...(out.Policy?.Content ? { content: out.Policy.Content } : {}) }));
    contents.set(id, content);
  }
  return content;
}

type Described = { summary: PolicySummary; content: string | undefined };

/**
 * Every SCP that applies to one account: attached to it, to its OUs or to the root. Each list is
 * described as soon as it arrives, and the account's own list does not wait for its parents: the
 * reads overlap instead of queueing behind the walk to the root.
 */
async function readAccount(ctx: SourceContext, accountId: string, parents: Map<string, Promise<string | undefined>>, contents: Contents): Promise<ScpEvidence> {
  const listAndDescribe = (target: string): Promise<Described[]> =>
    policiesFor(ctx.aws, target, ctx.limits).then((summaries) =>
      Promise.all(summaries.filter((p) => p.Id).map(async (summary) => ({ summary, content: (await describe(ctx, contents, summary.Id ?? '')).content }))),
    );
  const own = listAndDescribe(accountId);
  own.catch(() => undefined);
  const { targets, note } = await targetsOf(ctx.aws, accountId, parents);
  const lists = await Promise.all(targets.map((target) => (target === accountId ? own : listAndDescribe(target))));
  const evidence: ScpEvidence = { accountId, policies: [] };
  if (note) evidence.unreadable = note;
  const seen = new Set<string>();
  for (const { summary, content } of lists.flat()) {
    const id = summary.Id ?? '';
    if (seen.has(id)) continue;
    seen.add(id);
    const parsed = parsePolicyDocument(content);
    evidence.policies.push({
      id,
      ...(summary.Name ? { name: summary.Name } : {}),
      ...(summary.Arn ? { arn: summary.Arn } : {}),
      policy: parsed.policy,
      ...(parsed.error ? { parseError: parsed.error } : {}),
    });
  }
  return evidence;
}

/**
 * A callers' account is often in another organization (a partner's): this one's management account
 * cannot see it. That is said on the account, and the owner's SCPs are still reported.
 */
function callerAccountUnreadable(err: unknown): string {
  const name = errorName(err);
  if (name === 'TargetNotFoundException' || name === 'ChildNotFoundException') return 'not in this organization: its SCPs are readable only from its own management account';
  const error = classifyError(err);
  return `SCPs not read (${error.kind}${error.action ? ` on ${error.action}` : ''})`;
}

/**
 * O1: service control policies that restrict the API's IAM callers: those of the API owner's
 * account and those of every account the callers came from (access logs, execution-log denials),
 * including SCPs inherited from OUs and the root. SCPs restrict IAM principals only, so this reads
 * them only when a method uses AWS_IAM (or when the methods could not be read). Organizations
 * answers only the management or a delegated-admin account: elsewhere the read is refused, and
 * the row says so (rules then say what they cannot rule out).
 */
export const scpsSource = defineSource({
  id: 'org.scps',
  title: 'Service control policies',
  dependsOn: [],
  // Methods say whether SCPs matter at all; the logs say where the callers come from. Both only
  // enrich: without them the owner's SCPs are still read.
  after: ['apigw.rest-api', 'apigw.resources', 'logs.access', 'logs.execution'],
  calls: {
    chain: 4,
    why: 'ListParents walks up from the account to the root (an OU, then the root), ListPoliciesForTarget needs each parent it found, DescribePolicy the ids it lists',
    // An account under the root: its parent, the root's list, its policies; outside an
    // organization the first refusal ends it; nothing attached leaves nothing to describe.
    needs: (row) => (row.status === 'ok' ? 3 : row.status === 'empty' ? 2 : 1),
    // The callers' accounts, whose SCPs are read too, are known only from the logs.
    readsAfter: ['logs.access', 'logs.execution'],
  },
  async run(ctx) {
    const methods = ctx.evidence['apigw.resources'];
    if (methods && !methods.some((m) => m.authorizationType === 'AWS_IAM')) {
      return { status: 'not_applicable', reason: 'no method uses AWS_IAM: service control policies restrict IAM callers only' };
    }
    const owner = ctx.evidence['apigw.rest-api']?.accountId ?? ctx.target.account ?? homeAccountOf(ctx);
    const seen = callerAccounts(ctx.evidence['logs.access'] ?? [], ctx.evidence['logs.execution'] ?? []);
    const ownCallers = seen.find((c) => c.accountId === owner)?.callers ?? [];
    const callers = seen.filter((c) => c.accountId !== owner);
    const read = callers.slice(0, MAX_CALLER_ACCOUNTS);
    if (!owner && read.length === 0) return { status: 'not_applicable', reason: 'the API\'s account is unknown and no caller account was seen' };
    const parents = new Map<string, Promise<string | undefined>>();
    const contents: Contents = new Map();
    let evidence: ScpEvidence[];
    try {
      evidence = await Promise.all([
        ...(owner ? [readAccount(ctx, owner, parents, contents).then((e): ScpEvidence => ({ ...e, role: 'api-owner', ...(ownCallers.length ? { callers: ownCallers } : {}) }))] : []),
        ...read.map((c) =>
          readAccount(ctx, c.accountId, parents, contents)
            .catch((err: unknown): ScpEvidence => ({ accountId: c.accountId, policies: [], unreadable: callerAccountUnreadable(err) }))
            .then((e): ScpEvidence => ({ ...e, role: 'callers', callers: c.callers, requests: c.requests })),
        ),
      ]);
    } catch (err) {
      if (errorName(err) === 'AWSOrganizationsNotInUseException') {
        return { status: 'not_applicable', reason: `account ${owner ?? read[0]?.accountId} is not in an organization: no SCP applies`, ...(owner ? { account: owner } : {}) };
      }
      throw err;
    }
    const accounts = evidence.map((e) => e.accountId);
    const skipped = callers.length - read.length;
    const notes = [
      ...(read.length ? [`callers' account${read.length > 1 ? 's' : ''} ${listText(read.map((c) => c.accountId))}`] : []),
      ...(skipped > 0 ? [`${plural(skipped, 'other caller account')} not read`] : []),
      ...evidence.filter((e) => e.unreadable).map((e) => `${e.accountId}: ${e.unreadable}`),
    ];
    const count = evidence.reduce((n, e) => n + e.policies.length, 0);
    if (count === 0) {
      return { status: 'empty', evidence, count: 0, reason: `no SCP applies to account ${listText(accounts)}${notes.length ? `; ${notes.join('; ')}` : ''}`, ...(owner ? { account: owner } : {}) };
    }
    const describe = (e: ScpEvidence) => `${e.accountId}${e.role === 'callers' ? ' (callers)' : ''}: ${e.policies.length ? listText(e.policies.map((p) => p.name ?? p.id)) : 'none'}`;
    const unread = evidence.filter((e) => e.unreadable).map((e) => `${e.accountId}: ${e.unreadable}`);
    return {
      status: 'ok',
      evidence,
      count,
      reason: `${plural(count, 'SCP')} apply: ${[...evidence.map(describe), ...(skipped > 0 ? [`${plural(skipped, 'other caller account')} not read`] : []), ...unread].join('; ')}`,
      ...(owner ? { account: owner } : {}),
    };
  },
  record: (read, w) => recordScps(read.calls, w),
});
