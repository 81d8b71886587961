import { AWS_SERVICES, READ_OPERATIONS, type AwsOperation, type AwsService } from './operations.js';

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
  /** Read-only roles in member accounts the bot may assume; adds one `sts:AssumeRole` statement. */
  memberRoleArns?: readonly string[];
}

const SID_NAMES: Record<AwsService, string> = {
  apigateway: 'ApiGateway',
  apigatewayv2: 'ApiGateway',
  logs: 'CloudWatchLogs',
  cloudtrail: 'CloudTrail',
  ec2: 'Ec2',
  lambda: 'Lambda',
  wafv2: 'WafV2',
  sts: 'Sts',
  organizations: 'Organizations',
};

function fillResource(resource: string, region: string, account: string): string {
  return resource.replaceAll('{region}', region).replaceAll('{account}', account);
}

const sorted = (values: Iterable<string>): string[] => [...new Set(values)].sort();

/**
 * One statement per service and resource set: operations that need the same resources share a
 * statement, so API Gateway's GETs become one statement listing only the paths firebreak reads.
 */
function statementsFor(service: AwsService, operations: AwsOperation[], region: string, account: string): PolicyStatement[] {
  // action -> resources it needs, then actions with identical resource sets merge.
  const resourcesByAction = new Map<string, Set<string>>();
  for (const op of operations) {
    for (const action of op.iamActions) {
      const resources = resourcesByAction.get(action) ?? new Set<string>();
      for (const resource of op.resources) resources.add(fillResource(resource, region, account));
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
  const region = options.region ?? '*';
  const account = options.account ?? '*';
  const statements: PolicyStatement[] = [];
  for (const service of AWS_SERVICES) {
    // API Gateway v2 authorises with the same `apigateway:GET` on the same ARN scheme: one statement for both.
    if (service === 'apigatewayv2') continue;
    const operations = READ_OPERATIONS.filter((op) => op.service === service || (service === 'apigateway' && op.service === 'apigatewayv2'));
    if (operations.length > 0) statements.push(...statementsFor(service, operations, region, account));
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
