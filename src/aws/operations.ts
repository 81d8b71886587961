/**
 * The one list of AWS operations firebreak may call. The client middleware refuses anything not
 * on it, a test proves every entry is a read, and the IAM policy is generated from it.
 */
export const AWS_SERVICES = ['apigateway', 'apigatewayv2', 'logs', 'cloudwatch', 'cloudtrail', 'ec2', 'lambda', 'wafv2', 'sts', 'organizations', 'iam'] as const;
export type AwsService = (typeof AWS_SERVICES)[number];

export interface AwsOperation {
  service: AwsService;
  /** The SDK command name without the `Command` suffix. */
  operation: string;
  /** IAM actions the call needs. API Gateway authorises by HTTP verb on a resource path. */
  iamActions: string[];
  /** IAM resources, `{region}`/`{account}` are filled in by the policy generator. */
  resources: string[];
  why: string;
}

const apigw = (operation: string, path: string, why: string): AwsOperation => ({
  service: 'apigateway',
  operation,
  iamActions: ['apigateway:GET'],
  resources: [`arn:aws:apigateway:{region}::${path}`],
  why,
});

/** API Gateway v2 (HTTP and WebSocket APIs): same IAM action and ARN scheme, paths without the SDK's `/v2` prefix. */
const apigwv2 = (operation: string, path: string, why: string): AwsOperation => ({
  service: 'apigatewayv2',
  operation,
  iamActions: ['apigateway:GET'],
  resources: [`arn:aws:apigateway:{region}::${path}`],
  why,
});

/**
 * Placeholder for "the log groups firebreak reads": the policy generator expands it to the API
 * Gateway execution log groups, the Lambda log groups and any access-log or flow-log groups the
 * deployment names, so no log read is granted on every group in the account.
 */
export const LOG_GROUPS_READ = '{logGroups}';

/** A CloudWatch Logs call that reads one log group's events: scoped to the groups firebreak reads. */
const logGroupRead = (operation: string, action: string, why: string): AwsOperation => ({
  service: 'logs',
  operation,
  iamActions: [action],
  resources: [LOG_GROUPS_READ],
  why,
});

/** IAM role reads, scoped to the account's roles (IAM ARNs have no region). */
const iamRoleRead = (operation: string, action: string, why: string): AwsOperation => ({
  service: 'iam',
  operation,
  iamActions: [action],
  resources: ['arn:aws:iam::{account}:role/*'],
  why,
});

/** Managed policies: the account's own and AWS managed ones (`arn:aws:iam::aws:policy/…`). */
const iamPolicyRead = (operation: string, action: string, why: string): AwsOperation => ({
  service: 'iam',
  operation,
  iamActions: [action],
  resources: ['arn:aws:iam::{account}:policy/*', 'arn:aws:iam::aws:policy/*'],
  why,
});

const any = (service: AwsService, operation: string, action: string, why: string): AwsOperation => ({
  service,
  operation,
  iamActions: [action],
  resources: ['*'],
  why,
});

export const READ_OPERATIONS: readonly AwsOperation[] = [
  apigw('GetRestApi', '/restapis/*', 'endpoint type, VPC endpoint ids, resource policy'),
  apigw('GetRestApis', '/restapis', 'find a REST API by its exact name (a target given by name)'),
  apigw('GetAccount', '/account', 'CloudWatch role and account throttle'),
  apigw('GetStages', '/restapis/*/stages', 'logging, access logs, WAF, canary, throttles'),
  apigw('GetStage', '/restapis/*/stages/*', 'one stage when named'),
  apigw('GetDeployment', '/restapis/*/deployments/*', 'when the live deployment was made'),
  apigw('GetDeployments', '/restapis/*/deployments', 'when each deployment was made, read side by side with the stages; whether an API without stages was ever deployed'),
  apigw('GetResources', '/restapis/*/resources', 'methods, authorization and integrations'),
  apigw('GetAuthorizers', '/restapis/*/authorizers', 'authorizers and their functions'),
  apigw('GetDomainNames', '/domainnames', 'custom domains'),
  apigw('GetBasePathMappings', '/domainnames/*/basepathmappings', 'which domain maps to which API and stage'),
  apigw('GetGatewayResponses', '/restapis/*/gatewayresponses', 'customised error responses'),
  apigw('GetUsagePlans', '/usageplans', 'usage plans bound to the stages'),
  apigw('GetUsagePlanKeys', '/usageplans/*/keys', 'which API keys a plan holds: the key whose quota is used up'),
  apigw('GetVpcLink', '/vpclinks/*', 'status and targets of the REST-style VPC links WebSocket integrations use'),
  apigwv2('GetApi', '/apis/*', 'HTTP and WebSocket API: protocol, default endpoint, CORS, route selection (and whether an id is a v2 API)'),
  apigwv2('GetApis', '/apis', 'find an HTTP or WebSocket API by its exact name (a target given by name)'),
  apigwv2('GetStages', '/apis/*/stages', 'HTTP and WebSocket API stages: deployment, throttling, logging, access logs'),
  apigwv2('GetStage', '/apis/*/stages/*', 'one HTTP or WebSocket API stage when named'),
  apigwv2('GetDeployment', '/apis/*/deployments/*', 'when the live HTTP or WebSocket API deployment was made'),
  apigwv2('GetDeployments', '/apis/*/deployments', 'HTTP and WebSocket API deployments and their status, read side by side with the stages'),
  apigwv2('GetRoutes', '/apis/*/routes', 'HTTP and WebSocket API routes and their authorization'),
  apigwv2('GetRouteResponses', '/apis/*/routes/*/routeresponses', 'WebSocket routes: two-way (a $default route response) or one-way'),
  apigwv2('GetIntegrations', '/apis/*/integrations', 'HTTP and WebSocket API integrations: type, payload format, timeout, VPC link'),
  apigwv2('GetIntegrationResponses', '/apis/*/integrations/*/integrationresponses', 'WebSocket non-proxy integrations: whether a response reaches the route response'),
  apigwv2('GetAuthorizers', '/apis/*/authorizers', 'JWT and Lambda authorizers of an HTTP or WebSocket API'),
  apigwv2('GetVpcLink', '/vpclinks/*', 'status, subnets and security groups of VPC links used by integrations'),
  apigwv2('GetDomainNames', '/domainnames', 'custom domains (REST and HTTP)'),
  apigwv2('GetApiMappings', '/domainnames/*/apimappings', 'which domain maps to which HTTP API and stage'),
  logGroupRead('FilterLogEvents', 'logs:FilterLogEvents', 'execution, access, Lambda and flow logs in the window'),
  logGroupRead('StartQuery', 'logs:StartQuery', 'Logs Insights: count and aggregate execution and access logs server-side'),
  any('logs', 'GetQueryResults', 'logs:GetQueryResults', 'Logs Insights: poll a query until it completes'),
  any('logs', 'StopQuery', 'logs:StopQuery', 'Logs Insights: stop a query at the deadline or the bytes-scanned cap'),
  // A list call: it can be limited to the account's log groups, not to some of them by name.
  {
    service: 'logs',
    operation: 'DescribeLogGroups',
    iamActions: ['logs:DescribeLogGroups'],
    resources: ['arn:aws:logs:{region}:{account}:log-group:*'],
    why: 'whether a log group exists',
  },
  // CloudWatch metric reads have no resource type: IAM grants them on `*` only.
  any('cloudwatch', 'GetMetricData', 'cloudwatch:GetMetricData', 'exact request, error and latency counts per minute (API Gateway, Lambda, WAF)'),
  any('cloudwatch', 'ListMetrics', 'cloudwatch:ListMetrics', 'which metric dimensions exist (detailed per-route metrics of HTTP and WebSocket APIs)'),
  {
    service: 'cloudwatch',
    operation: 'DescribeAlarms',
    iamActions: ['cloudwatch:DescribeAlarms'],
    resources: ['arn:aws:cloudwatch:{region}:{account}:alarm:*'],
    why: 'alarms on the API, its functions and its web ACL: state and since when',
  },
  {
    service: 'cloudwatch',
    operation: 'ListTagsForResource',
    iamActions: ['cloudwatch:ListTagsForResource'],
    resources: ['arn:aws:cloudwatch:{region}:{account}:alarm:*'],
    why: 'an alarm\'s tags, to route its investigation by tag when its event carries none',
  },
  any('cloudtrail', 'LookupEvents', 'cloudtrail:LookupEvents', 'recent changes and denied calls'),
  any('ec2', 'DescribeVpcEndpoints', 'ec2:DescribeVpcEndpoints', 'interface endpoints for execute-api'),
  any('ec2', 'DescribeVpcs', 'ec2:DescribeVpcs', 'VPC CIDRs for security group checks'),
  any('ec2', 'DescribeVpcAttribute', 'ec2:DescribeVpcAttribute', 'DNS support and hostnames for private DNS'),
  any('ec2', 'DescribeSecurityGroups', 'ec2:DescribeSecurityGroups', 'inbound 443 on endpoint groups'),
  any('ec2', 'DescribeNetworkInterfaces', 'ec2:DescribeNetworkInterfaces', 'endpoint ENI addresses'),
  any('ec2', 'DescribeFlowLogs', 'ec2:DescribeFlowLogs', 'flow logs and their format'),
  any('lambda', 'GetFunctionConfiguration', 'lambda:GetFunctionConfiguration', 'state, VPC, layers of integrations'),
  any('lambda', 'GetPolicy', 'lambda:GetPolicy', 'whether API Gateway may invoke the function'),
  any('lambda', 'GetFunctionConcurrency', 'lambda:GetFunctionConcurrency', 'reserved concurrency'),
  any('wafv2', 'GetWebACL', 'wafv2:GetWebACL', 'the stage web ACL and its rules'),
  any('wafv2', 'ListWebACLs', 'wafv2:ListWebACLs', 'the web ACL a WAF alarm watches (by its metric name)'),
  any('wafv2', 'ListResourcesForWebACL', 'wafv2:ListResourcesForWebACL', 'the API stages a web ACL with an alarm protects'),
  any('sts', 'GetCallerIdentity', 'sts:GetCallerIdentity', 'which account the credentials belong to'),
  any('ec2', 'DescribeRouteTables', 'ec2:DescribeRouteTables', 'NAT and gateway-endpoint routes of VPC-attached functions'),
  any('ec2', 'DescribeSubnets', 'ec2:DescribeSubnets', 'the VPC of a function\'s subnets'),
  any('organizations', 'ListPoliciesForTarget', 'organizations:ListPoliciesForTarget', 'service control policies that apply to the API\'s account and its callers\' accounts'),
  any('organizations', 'DescribePolicy', 'organizations:DescribePolicy', 'the content of those service control policies'),
  iamRoleRead('ListRolePolicies', 'iam:ListRolePolicies', 'inline policies of a WebSocket backend\'s execution role'),
  iamRoleRead('GetRolePolicy', 'iam:GetRolePolicy', 'whether they grant execute-api:ManageConnections (posting to connections)'),
  iamRoleRead('ListAttachedRolePolicies', 'iam:ListAttachedRolePolicies', 'managed policies attached to a WebSocket backend\'s execution role'),
  iamPolicyRead('GetPolicy', 'iam:GetPolicy', 'the default version of those managed policies'),
  iamPolicyRead('GetPolicyVersion', 'iam:GetPolicyVersion', 'whether they grant execute-api:ManageConnections'),
  any('organizations', 'ListParents', 'organizations:ListParents', 'the OUs and root above an account: SCPs attached there apply to it too'),
];

const READ_VERB = /^(Get|List|Describe|Lookup|Filter)[A-Z]/;

/**
 * Logs Insights queries are reads whose verbs look like writes: StartQuery runs a read-only query
 * over log events and StopQuery cancels that query; neither changes a log group or its events.
 * Named one by one, so no other Start/Stop action can pass as a read.
 */
export const READ_ONLY_QUERY_ACTIONS: ReadonlySet<string> = new Set(['logs:StartQuery', 'logs:StopQuery']);

/** A read is an operation whose name starts with a read verb and whose IAM actions are reads. */
export function isReadOperation(op: AwsOperation): boolean {
  const query = op.iamActions.length > 0 && op.iamActions.every((action) => READ_ONLY_QUERY_ACTIONS.has(action) && action === `${op.service}:${op.operation}`);
  if (query) return true;
  if (!READ_VERB.test(op.operation)) return false;
  return op.iamActions.every((action) => {
    const [, name = ''] = action.split(':');
    return action === 'apigateway:GET' || READ_VERB.test(name);
  });
}

const byKey = new Map(READ_OPERATIONS.map((op) => [`${op.service}:${op.operation}`, op]));

export function findOperation(service: AwsService, operation: string): AwsOperation | undefined {
  return byKey.get(`${service}:${operation}`);
}

/** The IAM action to name when a call is refused, e.g. `cloudtrail:LookupEvents`. */
export function iamActionFor(service: AwsService, operation: string): string {
  return findOperation(service, operation)?.iamActions[0] ?? `${service}:${operation}`;
}
