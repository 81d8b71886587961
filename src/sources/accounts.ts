import type { Evidence, PolicyDocument } from '../core/evidence.js';
import type { SourceContext } from './types.js';

/**
 * The accounts an investigation involves. A private API's callers, its Lambda functions, its
 * CloudTrail and its endpoints may each live in another account; each is discovered from the
 * evidence (policies, ARNs, endpoint owners, CloudTrail records) or from configuration, and read
 * through its configured role. One without a role is reported, never silently skipped.
 */
export interface InvolvedAccount {
  accountId: string;
  /** Where it was seen: "the resource policy", "configuration", "a Lambda ARN in an integration"... */
  seenIn: string[];
  home: boolean;
  /** The home account, or one with a configured role. */
  readable: boolean;
}

const ACCOUNT_ID = /^\d{12}$/;
const ARN_ACCOUNT = /^arn:aws[\w-]*:[^:]*:[^:]*:(\d{12}):/;
// Condition keys whose values are (or contain) the caller's account.
const ACCOUNT_KEYS = ['aws:sourceaccount', 'aws:principalaccount', 'aws:sourceowner', 'aws:resourceaccount'];
const ARN_KEYS = ['aws:sourcearn', 'aws:principalarn'];

function accountOf(value: string): string | undefined {
  if (ACCOUNT_ID.test(value)) return value;
  return ARN_ACCOUNT.exec(value)?.[1];
}

function asStrings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return [];
}

/** Accounts a policy names: AWS principals and account-valued condition keys. */
export function accountsInPolicy(policy: PolicyDocument | null | undefined): string[] {
  const found = new Set<string>();
  for (const statement of policy?.Statement ?? []) {
    for (const principal of [statement.Principal, statement.NotPrincipal]) {
      const aws = principal && typeof principal === 'object' ? (principal as Record<string, unknown>).AWS : undefined;
      for (const value of asStrings(aws)) {
        const id = accountOf(value);
        if (id) found.add(id);
      }
    }
    for (const entries of Object.values(statement.Condition ?? {})) {
      for (const [key, value] of Object.entries(entries)) {
        const lower = key.toLowerCase();
        if (!ACCOUNT_KEYS.includes(lower) && !ARN_KEYS.includes(lower)) continue;
        for (const v of asStrings(value)) {
          const id = accountOf(v);
          if (id) found.add(id);
        }
      }
    }
  }
  return [...found];
}

export function homeAccount(ctx: Pick<SourceContext, 'aws' | 'factory'>): string | undefined {
  return ctx.aws.accountId ?? ctx.factory.homeAccountId;
}

/**
 * Every account involved so far: the home account, configured accounts, and those the evidence
 * already collected names. Sources that run later see more (declare `after` to wait for them).
 */
export function involvedAccounts(ctx: Pick<SourceContext, 'aws' | 'factory' | 'evidence'>): InvolvedAccount[] {
  const home = homeAccount(ctx);
  const seen = new Map<string, Set<string>>();
  const note = (id: string | undefined, where: string) => {
    if (!id || !ACCOUNT_ID.test(id)) return;
    const set = seen.get(id) ?? new Set<string>();
    set.add(where);
    seen.set(id, set);
  };
  if (home) note(home, 'the credentials');
  for (const account of ctx.factory.options.accounts ?? []) note(account.accountId, 'configuration');
  const evidence: Evidence = ctx.evidence;
  const api = evidence['apigw.rest-api'];
  note(api?.accountId, 'the API');
  for (const id of accountsInPolicy(api?.policy)) note(id, 'the resource policy');
  for (const method of evidence['apigw.resources'] ?? []) note(accountOf(method.integration?.lambdaArn ?? ''), 'a Lambda ARN in an integration');
  for (const authorizer of evidence['apigw.authorizers'] ?? []) note(accountOf(authorizer.lambdaArn ?? ''), 'a Lambda ARN in an authorizer');
  for (const fn of evidence['lambda.functions'] ?? []) note(fn.accountId, 'a Lambda function');
  for (const endpoint of evidence['ec2.vpc-endpoints']?.endpoints ?? []) note(endpoint.accountId, 'a VPC endpoint owner');
  for (const event of [...(evidence['cloudtrail.changes'] ?? []), ...(evidence['cloudtrail.denies'] ?? [])]) note(event.accountId, 'CloudTrail');
  return [...seen].map(([accountId, where]) => {
    const isHome = accountId === home;
    return { accountId, seenIn: [...where].filter((w) => w !== 'the credentials'), home: isHome, readable: isHome || ctx.factory.canRead(accountId) };
  });
}

/** `no role for account 222222222222 (seen in the resource policy)`: the row's words for an unread account. */
export function noRoleText(account: InvolvedAccount): string {
  const where = account.seenIn.filter((w) => w !== 'configuration');
  const seen = where.length ? where : account.seenIn;
  return `no role for account ${account.accountId}${seen.length ? ` (seen in ${seen.join(', ')})` : ''}`;
}

export function noRoleHint(accounts: InvolvedAccount[]): string {
  return `add a read-only role for account ${accounts.map((a) => a.accountId).join(', ')} to the firebreak config (aws.accounts[].roleArn)`;
}
