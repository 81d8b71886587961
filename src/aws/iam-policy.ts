import { AWS_SERVICES, LOG_GROUPS_READ, READ_OPERATIONS, type AwsOperation, type AwsService } from './operations.js';

/**
 * The least-privilege IAM policy for firebreak's AWS reads, generated from READ_OPERATIONS so the
 * policy can never drift from the calls the code is allowed to make. `firebreak iam-policy`
 * prints it; `docs/iam-policy.json` is its committed copy (a test keeps them equal), and the CDK
 * stack grants the same statements to the bot's role and to member-account read roles.
 */
export interface PolicyStatement {
  Sid: string;
  Effect: 'Allow';
  Action: string[];
  Resource: string[];
}

export interface PolicyDocument {
  Version: '2012-10-17';
  Statement: PolicyStatement[];
}

export interface IamPolicyOptions {
  /** Region to scope ARNs to; `*` (any region) when absent, since `--region` picks one per run. */
  region?: string;
  /** Account id to scope ARNs to; `*` when absent. */
  account?: string;
  /**
   * Log group names (or name patterns ending in `*`) to read besides the API Gateway execution log
   * groups and the Lambda log groups: the stages' access-log groups and the VPC flow-log groups.
   */
  logGroups?: readonly string[];
  /** Read-only roles in member accounts the bot may assume; adds one `sts:AssumeRole` statement. */
  memberRoleArns?: readonly string[];
}

const SID_NAMES: Record<AwsService, string> = {
  apigateway: 'ApiGateway',
  apigatewayv2: 'ApiGateway',
  logs: 'CloudWatchLogs',
  cloudwatch: 'CloudWatch',
  cloudtrail: 'CloudTrail',
  ec2: 'Ec2',
  lambda: 'Lambda',
  wafv2: 'WafV2',
  sts: 'Sts',
  organizations: 'Organizations',
  iam: 'Iam',
};

/**
 * Log groups every deployment reads, named by AWS: REST execution logs
 * (`API-Gateway-Execution-Logs_{rest-api-id}/{stage}`) and Lambda's default groups.
 */
export const DEFAULT_LOG_GROUPS = ['API-Gateway-Execution-Logs_*', '/aws/lambda/*'] as const;

/**
 * CloudWatch Logs actions IAM cannot scope to a log group (docs/iam-policy.md): they act on a query
 * id that a scoped `logs:StartQuery` started. The only `logs:` actions allowed on `*`.
 */
export const LOG_ACTIONS_WITHOUT_RESOURCES: readonly string[] = ['logs:GetQueryResults', 'logs:StopQuery', 'logs:DescribeQueries'];

interface Scope {
  region: string;
  account: string;
  logGroups: readonly string[];
}

function fillResource(resource: string, scope: Scope): string[] {
  if (resource === LOG_GROUPS_READ) {
    // A log group's ARN often ends in `:*`; a trailing wildcard matches both forms.
    return scope.logGroups.map((name) => `arn:aws:logs:${scope.region}:${scope.account}:log-group:${name.endsWith('*') ? name : `${name}:*`}`);
  }
  return [resource.replaceAll('{region}', scope.region).replaceAll('{account}', scope.account)];
}

const sorted = (values: Iterable<string>): string[] => [...new Set(values)].sort();

/**
 * One statement per service and resource set: operations that need the same resources share a
 * statement, so API Gateway's GETs become one statement listing only the paths firebreak reads.
 */
function statementsFor(service: AwsService, operations: AwsOperation[], scope: Scope): PolicyStatement[] {
  // action -> resources it needs, then actions with identical resource sets merge.
  const resourcesByAction = new Map<string, Set<string>>();
  for (const op of operations) {
    for (const action of op.iamActions) {
      const resources = resourcesByAction.get(action) ?? new Set<string>();
      for (const resource of op.resources) for (const filled of fillResource(resource, scope)) resources.add(filled);
      resourcesByAction.set(action, resources);
    }
  }
  const actionsByResourceSet = new Map<string, { actions: string[]; resources: string[] }>();
  for (const [action, resources] of resourcesByAction) {
    const list = sorted(resources);
    const key = list.join('\n');
    const group = actionsByResourceSet.get(key) ?? { actions: [], resources: list };
    group.actions.push(action);
    actionsByResourceSet.set(key, group);
  }
  const groups = [...actionsByResourceSet.values()].sort((a, b) => a.resources.join().localeCompare(b.resources.join()));
  return groups.map((group, index) => ({
    Sid: `Read${SID_NAMES[service]}${groups.length > 1 ? index + 1 : ''}`,
    Effect: 'Allow',
    Action: sorted(group.actions),
    Resource: group.resources,
  }));
}

export function generateIamPolicy(options: IamPolicyOptions = {}): PolicyDocument {
  const scope: Scope = {
    region: options.region ?? '*',
    account: options.account ?? '*',
    logGroups: [...new Set([...DEFAULT_LOG_GROUPS, ...(options.logGroups ?? [])])],
  };
  const statements: PolicyStatement[] = [];
  for (const service of AWS_SERVICES) {
    // API Gateway v2 authorises with the same `apigateway:GET` on the same ARN scheme: one statement for both.
    if (service === 'apigatewayv2') continue;
    const operations = READ_OPERATIONS.filter((op) => op.service === service || (service === 'apigateway' && op.service === 'apigatewayv2'));
    if (operations.length > 0) statements.push(...statementsFor(service, operations, scope));
  }
  const memberRoleArns = sorted(options.memberRoleArns ?? []);
  if (memberRoleArns.length > 0) {
    statements.push({ Sid: 'AssumeMemberAccountReadRoles', Effect: 'Allow', Action: ['sts:AssumeRole'], Resource: memberRoleArns });
  }
  return { Version: '2012-10-17', Statement: statements };
}

/** Every IAM action the read policy grants, for tests and for the CDK stack's own checks. */
export function readOnlyIamActions(): string[] {
  return sorted(READ_OPERATIONS.flatMap((op) => op.iamActions));
}
