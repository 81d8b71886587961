/**
 * Typed evidence, one shape per source. Sources write their part; later sources, rules and the
 * bundle read it. Field names follow AWS's own where they describe an AWS field, so a reader can
 * map them back to the console or the API reference.
 */

/** A parsed IAM policy (resource policy, endpoint policy, function policy). */
export interface PolicyDocument {
  Version?: string;
  Id?: string;
  Statement: PolicyStatement[];
}

export interface PolicyStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Principal?: unknown;
  NotPrincipal?: unknown;
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Condition?: Record<string, Record<string, string | string[] | boolean>>;
}

export interface LogLine {
  /** Epoch milliseconds. */
  timestamp: number;
  message: string;
  logStream?: string;
}

export interface RestApiEvidence {
  id: string;
  name: string;
  accountId?: string;
  createdDate?: string;
  endpointTypes: string[];
  vpcEndpointIds: string[];
  /** Parsed resource policy; null when the API has none. */
  policy: PolicyDocument | null;
  /** Set when the policy string could not be parsed. */
  policyParseError?: string;
  disableExecuteApiEndpoint: boolean;
  apiKeySource?: string;
}

export interface ApiAccountEvidence {
  cloudwatchRoleArn?: string;
  throttleSettings?: { burstLimit?: number; rateLimit?: number };
}

export interface MethodSettingEvidence {
  loggingLevel?: string;
  dataTraceEnabled?: boolean;
  metricsEnabled?: boolean;
  throttlingBurstLimit?: number;
  throttlingRateLimit?: number;
}

export interface StageEvidence {
  stageName: string;
  deploymentId?: string;
  /** ISO time the live deployment was created (GetDeployment.createdDate). */
  deploymentCreatedDate?: string;
  lastUpdatedDate?: string;
  /** Effective logging level for all methods (the star-slash-star key): OFF, ERROR or INFO. */
  loggingLevel: string;
  dataTraceEnabled: boolean;
  accessLog?: { destinationArn: string; format?: string };
  webAclArn?: string;
  canary?: { percentTraffic?: number; deploymentId?: string };
  // Keyed like AWS: "*/*" or "{resourcePath}/{httpMethod}" (slashes in the path escaped as ~1).
  methodSettings: Record<string, MethodSettingEvidence>;
  tracingEnabled?: boolean;
}

export interface IntegrationEvidence {
  type?: string;
  uri?: string;
  credentials?: string;
  timeoutInMillis?: number;
  connectionType?: string;
  /** The function ARN when the integration invokes Lambda (parsed from the uri). */
  lambdaArn?: string;
}

export interface MethodEvidence {
  resourceId: string;
  path: string;
  httpMethod: string;
  authorizationType?: string;
  authorizerId?: string;
  apiKeyRequired: boolean;
  integration?: IntegrationEvidence;
}

export interface AuthorizerEvidence {
  id: string;
  name: string;
  type?: string;
  authorizerUri?: string;
  lambdaArn?: string;
  identitySource?: string;
  identityValidationExpression?: string;
  authorizerResultTtlInSeconds?: number;
  providerARNs?: string[];
}

export interface BasePathMappingEvidence {
  basePath: string;
  restApiId?: string;
  stage?: string;
}

export interface DomainEvidence {
  domainName: string;
  endpointTypes: string[];
  regionalDomainName?: string;
  distributionDomainName?: string;
  domainNameStatus?: string;
  securityPolicy?: string;
  mtlsTruststoreUri?: string;
  mappings: BasePathMappingEvidence[];
  /** True when at least one mapping points at the target API. */
  mapsToThisApi: boolean;
}

export interface GatewayResponseEvidence {
  responseType: string;
  statusCode?: string;
  defaultResponse: boolean;
}

export interface UsagePlanEvidence {
  id: string;
  name?: string;
  apiStages: { apiId: string; stage: string }[];
  throttle?: { burstLimit?: number; rateLimit?: number };
  quota?: { limit?: number; period?: string; offset?: number };
  /** The API keys in the plan (GetUsagePlanKeys); the key's value is never kept, only its last 4 characters, which execution logs show. */
  keys?: { id: string; name?: string; type?: string; valueSuffix?: string }[];
  /** Set when the plan's keys could not be read. */
  keysUnreadable?: string;
}

/**
 * What a log group held over the whole window, counted where the logs live (Logs Insights) or,
 * when that was refused, estimated from what FilterLogEvents read: totals the kept lines cannot give.
 */
export interface LogWindowCounts {
  method: 'insights' | 'filter';
  /** True when `events` was counted over the whole window, false when estimated. */
  exact: boolean;
  /** Events in the window. */
  events: number;
  /** Bytes Logs Insights scanned for these counts. */
  bytesScanned?: number;
  /**
   * Events per 5-minute bucket (ISO start), oldest first; execution logs counted by Insights also
   * say how many of them were error lines (the error filter's phrases).
   */
  buckets?: { start: string; count: number; errors?: number }[];
  /** Execution logs counted by Insights: error lines in the window (the error filter's phrases). */
  errors?: number;
  /** Templates of the error lines over the whole window (Insights `pattern`), most frequent first. */
  errorPatterns?: { pattern: string; count: number }[];
  /**
   * Integration latency over the window, in ms. `fromBuckets`: merged from the percentiles of each
   * 5 minutes (one Insights query counts everything per bucket), so approximate.
   */
  latency?: { p50: number; p95: number; p99: number; count: number; fromBuckets?: boolean };
  /** Access logs: requests per 5-minute bucket, route and status. */
  routes?: { bucket: string; method: string; path: string; status: number; count: number }[];
}

export interface ExecutionLogEvidence {
  stage: string;
  logGroup: string;
  lines: LogLine[];
  /** The period the newest lines kept verbatim cover (ISO), when not the whole window. */
  period?: { from: string; until: string };
  counts?: LogWindowCounts;
}

export interface AccessLogRecord {
  timestamp: number;
  requestId?: string;
  ip?: string;
  httpMethod?: string;
  resourcePath?: string;
  status?: number;
  /** Any other fields the format carried, by their JSON key or `$context` name. */
  fields: Record<string, string>;
}

export interface AccessLogEvidence {
  stage: string;
  logGroup: string;
  format: 'json' | 'clf' | 'unknown';
  records: AccessLogRecord[];
  /** Lines that did not parse, kept verbatim. */
  unparsed: LogLine[];
  /** `$context` variables worth having for troubleshooting that the stage's format lacks (HTTP APIs). */
  missingDiagnostics?: string[];
  /** The period the records kept cover (ISO), when not the whole window. */
  period?: { from: string; until: string };
  counts?: LogWindowCounts;
}

export interface InvokePermissionEvidence {
  /** Whether some statement lets apigateway.amazonaws.com invoke the function for this API. */
  allowsThisApi: boolean;
  /** Sids (or indexes) of the statements that allow it. */
  matchingStatements: string[];
  /** Why not, when it does not (no policy, wrong SourceArn, other principal). */
  reason?: string;
  policy?: PolicyDocument | null;
}

export interface LambdaFunctionEvidence {
  functionArn: string;
  functionName: string;
  accountId?: string;
  region?: string;
  /** Which part of the API uses it. */
  usedBy: ('integration' | 'authorizer')[];
  state?: string;
  stateReason?: string;
  lastUpdateStatus?: string;
  runtime?: string;
  timeout?: number;
  memorySize?: number;
  layers: string[];
  vpcConfig?: { subnetIds: string[]; securityGroupIds: string[]; vpcId?: string };
  reservedConcurrency?: number;
  invokePermission?: InvokePermissionEvidence;
  /** Set when the function could not be read (e.g. no role for its account). */
  unreadable?: string;
  /** The execution role (GetFunctionConfiguration.Role): what the function's own AWS calls run as. */
  role?: string;
}

/**
 * How a WebSocket backend's `@connections` call (PostToConnection, GetConnection, DeleteConnection)
 * failed, as its own log says it (apigatewaymanagementapi errors, catalogue §1.4):
 * `gone` 410 GoneException, `access_denied` no execute-api:ManageConnections, `wrong_endpoint`
 * ForbiddenException / "No method found matching route" (stage or domain wrong in the endpoint),
 * `too_large` 413 PayloadTooLargeException, `limit_exceeded` 429 LimitExceededException.
 */
export type CallbackFailureKind = 'gone' | 'access_denied' | 'wrong_endpoint' | 'too_large' | 'limit_exceeded';

export interface CallbackFailureEvidence {
  kind: CallbackFailureKind;
  count: number;
  /** Epoch ms of the first and last line of this kind in the window. */
  firstSeen: number;
  lastSeen: number;
  /** One line of this kind, verbatim (clipped). */
  example: string;
}

export interface LambdaLogEvidence {
  functionName: string;
  logGroup: string;
  errors: number;
  timeouts: number;
  throttles: number;
  /** The lines that show the errors, timeouts and throttles. */
  lines: LogLine[];
  /**
   * Invocations in the window (one REPORT line each): the denominator for "what share failed".
   * Estimated from the period read when the count hit the page cap (`invocationsExact` false).
   */
  invocations?: number;
  invocationsExact?: boolean;
  /** Epoch ms of the newest invocation read: did invocations go on after the last failure? */
  lastInvocation?: number;
  /** The account whose log group this is. */
  accountId?: string;
  /** WebSocket backends: the failed `@connections` calls the log shows (counted apart from `errors`). */
  callbackFailures?: CallbackFailureEvidence[];
}

export interface CloudTrailEventEvidence {
  eventId: string;
  eventName: string;
  eventTime: string;
  eventSource: string;
  accountId?: string;
  region?: string;
  username?: string;
  principalArn?: string;
  errorCode?: string;
  errorMessage?: string;
  /** Set when the error message names an SCP (explicit deny in a service control policy). */
  scpDeny?: { policyArn?: string };
  requestParameters?: Record<string, unknown>;
  resources: { type?: string; name?: string }[];
}

export interface VpcEvidence {
  vpcId: string;
  accountId?: string;
  cidrBlocks: string[];
  enableDnsSupport?: boolean;
  enableDnsHostnames?: boolean;
}

export interface VpcEndpointEvidence {
  vpcEndpointId: string;
  vpcId: string;
  serviceName: string;
  state: string;
  privateDnsEnabled: boolean;
  securityGroupIds: string[];
  subnetIds: string[];
  networkInterfaceIds: string[];
  /** Private IPs of the endpoint's ENIs (DescribeNetworkInterfaces). */
  eniAddresses: string[];
  policyDocument: PolicyDocument | null;
  /** Listed in the API's endpointConfiguration.vpcEndpointIds. */
  referencedByApi: boolean;
  /** Found in a VPC but absent from the account (e.g. a stale id in the API configuration). */
  missing?: boolean;
  lastError?: string;
  accountId?: string;
}

/** One account a multi-account source looked in (or could not). */
export interface AccountReadEvidence {
  accountId: string;
  status: 'read' | 'no_role' | 'error';
  /** Where the account was seen: "the resource policy", "configuration"... */
  seenIn: string[];
  /** For `no_role` and `error`: why it was not read. */
  reason?: string;
}

/**
 * An endpoint id named by the API (endpointConfiguration) or its resource policy. `missing`: every
 * account involved was read and none has it, so it does not exist. `unknown`: not found in the
 * accounts read, but some account involved could not be read (it may well live there).
 */
export interface EndpointLookupEvidence {
  vpcEndpointId: string;
  status: 'found' | 'missing' | 'unknown';
  namedBy: ('api' | 'policy')[];
  accountId?: string;
  reason?: string;
}

export interface IngressRuleEvidence {
  ipProtocol: string;
  fromPort?: number;
  toPort?: number;
  cidrs: string[];
  ipv6Cidrs: string[];
  sourceGroupIds: string[];
  prefixListIds: string[];
}

export interface SecurityGroupEvidence {
  groupId: string;
  groupName?: string;
  vpcId?: string;
  accountId?: string;
  /** Inbound rules that admit TCP 443 (protocol tcp or -1, port range covering 443). */
  https: IngressRuleEvidence[];
  inboundRuleCount: number;
  /** Endpoints that use this group. */
  usedBy: string[];
}

export interface FlowLogConfigEvidence {
  flowLogId: string;
  resourceId: string;
  trafficType?: string;
  logDestinationType?: string;
  logGroupName?: string;
  logFormat: string;
  flowLogStatus?: string;
  deliverLogsStatus?: string;
}

export interface FlowRecordEvidence {
  timestamp: number;
  interfaceId?: string;
  srcaddr?: string;
  dstaddr?: string;
  srcport?: number;
  dstport?: number;
  protocol?: number;
  action?: string;
  raw: string;
  /** What the refused address is: an endpoint id, or the custom domain that resolves to it. */
  target?: string;
}

export interface FlowLogEvidence {
  flowLogs: FlowLogConfigEvidence[];
  /** REJECT records involving endpoint ENI addresses, or the addresses the custom domains resolve to, in the window. */
  rejects: FlowRecordEvidence[];
}

export interface DnsRecordEvidence {
  domainName: string;
  /** What it should point at: the domain's regionalDomainName or distributionDomainName. */
  expectedTarget?: string;
  cnames: string[];
  addresses: string[];
  verdict: 'current' | 'stale' | 'unresolved' | 'alias';
  detail: string;
  /**
   * For `unresolved`: set when the lookup itself failed (ESERVFAIL, ETIMEOUT...) rather than DNS
   * answering "no such name" (ENOTFOUND/ENODATA): where the name points is then unknown.
   */
  lookupError?: string;
  /**
   * For `unresolved`: the expected target gave no answer either (its DNS code), or there is none
   * (`no target`). API Gateway's own names resolve wherever public DNS is visible, so this
   * resolver cannot see these names and the check could not run: where the domain points is unknown.
   */
  expectedUnresolved?: string;
}

export interface WafEvidence {
  stage: string;
  webAclArn: string;
  name?: string;
  defaultAction?: 'ALLOW' | 'BLOCK';
  /** VisibilityConfig.MetricName: the `WebACL` (and `Rule`) dimension of its CloudWatch metrics. */
  metricName?: string;
  rules: { name: string; priority?: number; action?: string; metricName?: string }[];
}

// ---------------------------------------------------------------- HTTP and WebSocket APIs (API Gateway v2)
// Field names follow @aws-sdk/client-apigatewayv2's outputs, in camelCase like the rest of the evidence.
// The `Http*` shapes hold both kinds (one control plane, one set of source ids); fields marked
// "WebSocket" are filled for WebSocket APIs only.

export interface HttpCorsEvidence {
  allowOrigins: string[];
  allowMethods: string[];
  allowHeaders: string[];
  exposeHeaders: string[];
  allowCredentials?: boolean;
  maxAge?: number;
}

export interface HttpApiEvidence {
  apiId: string;
  name: string;
  /** `HTTP` or `WEBSOCKET`. */
  protocolType: string;
  accountId?: string;
  apiEndpoint?: string;
  createdDate?: string;
  disableExecuteApiEndpoint: boolean;
  /** Absent when the API has no CORS configuration (the integration must then answer OPTIONS itself). */
  cors?: HttpCorsEvidence;
  /** WebSocket: `$request.body.<jsonpath>`; HTTP: `$request.method $request.path`. */
  routeSelectionExpression?: string;
  /** WebSocket: where API keys come from (`$request.header.x-api-key` or `$context.authorizer.usageIdentifierKey`). */
  apiKeySelectionExpression?: string;
}

export interface HttpRouteSettingsEvidence {
  throttlingBurstLimit?: number;
  throttlingRateLimit?: number;
  detailedMetricsEnabled?: boolean;
  /** WebSocket: execution logging (`OFF`, `ERROR`, `INFO`) and full request/response data. */
  loggingLevel?: string;
  dataTraceEnabled?: boolean;
}

export interface HttpStageEvidence {
  stageName: string;
  autoDeploy: boolean;
  deploymentId?: string;
  /** ISO time the live deployment was created (GetDeployment.CreatedDate). */
  deploymentCreatedDate?: string;
  /** GetDeployment.DeploymentStatus: PENDING, FAILED or DEPLOYED. */
  deploymentStatus?: string;
  deploymentStatusMessage?: string;
  /** Filled by API Gateway only for auto-deploy stages: why the last automatic deployment failed. */
  lastDeploymentStatusMessage?: string;
  createdDate?: string;
  lastUpdatedDate?: string;
  defaultRouteSettings?: HttpRouteSettingsEvidence;
  /** Keyed by route key, e.g. `GET /pets` or `$default`. */
  routeSettings: Record<string, HttpRouteSettingsEvidence>;
  accessLog?: { destinationArn: string; format?: string };
  /** Stage variables (WebSocket VPC links and functions may be named `${stageVariables.x}`). */
  stageVariables?: Record<string, string>;
}

export interface HttpIntegrationEvidence {
  integrationId: string;
  integrationType?: string;
  integrationUri?: string;
  integrationMethod?: string;
  integrationSubtype?: string;
  payloadFormatVersion?: string;
  timeoutInMillis?: number;
  connectionType?: string;
  /** The VPC link id for VPC_LINK integrations. */
  connectionId?: string;
  credentialsArn?: string;
  requestParameters?: Record<string, string>;
  tlsServerNameToVerify?: string;
  /** The function ARN when the integration invokes Lambda. */
  lambdaArn?: string;
  /** WebSocket: `WHEN_NO_MATCH`, `NEVER`, `WHEN_NO_TEMPLATES` (non-proxy integrations). */
  passthroughBehavior?: string;
  contentHandlingStrategy?: string;
  templateSelectionExpression?: string;
  /** WebSocket: the integration responses (GetIntegrationResponses); absent when not read. */
  integrationResponses?: { responseKey: string; templateSelectionExpression?: string }[];
}

export interface HttpRouteEvidence {
  routeId: string;
  /** `GET /pets`, `ANY /{proxy+}`, `$default`. */
  routeKey: string;
  authorizationType?: string;
  authorizerId?: string;
  authorizationScopes: string[];
  /** `integrations/<id>`, or absent when the route has no integration. */
  target?: string;
  integrationId?: string;
  /** WebSocket: the connection must present an API key (`$connect` only has effect). */
  apiKeyRequired?: boolean;
  /** WebSocket: `$default` makes the route two-way; absent means one-way (the backend's reply is dropped). */
  routeResponseSelectionExpression?: string;
  modelSelectionExpression?: string;
  /** WebSocket: the route responses (GetRouteResponses); absent when not read. */
  routeResponses?: { responseKey: string; modelSelectionExpression?: string }[];
}

export interface HttpRoutesEvidence {
  routes: HttpRouteEvidence[];
  integrations: HttpIntegrationEvidence[];
}

export interface HttpAuthorizerEvidence {
  authorizerId: string;
  name: string;
  /** JWT or REQUEST (a Lambda authorizer). */
  authorizerType?: string;
  identitySource: string[];
  jwtIssuer?: string;
  jwtAudience: string[];
  authorizerUri?: string;
  lambdaArn?: string;
  authorizerPayloadFormatVersion?: string;
  enableSimpleResponses?: boolean;
  authorizerResultTtlInSeconds?: number;
  authorizerCredentialsArn?: string;
}

export interface VpcLinkEvidence {
  vpcLinkId: string;
  name?: string;
  /** V2 (HTTP APIs, API Gateway v2 GetVpcLink) or V1 (REST and WebSocket APIs, to an NLB, v1 GetVpcLink). */
  version?: 'V1' | 'V2';
  /** V1: the network load balancers the link targets. */
  targetArns?: string[];
  /** PENDING, AVAILABLE, DELETING, FAILED or INACTIVE. */
  status?: string;
  statusMessage?: string;
  subnetIds: string[];
  securityGroupIds: string[];
  /** Integration ids that use the link. */
  usedBy: string[];
  /** Set when the link could not be read (deleted: NotFound). */
  unreadable?: string;
  /** The link's security groups and what their outbound rules let the link's ENIs reach. */
  securityGroups?: VpcLinkSecurityGroupEvidence[];
  /** Set when the groups could not be read. */
  securityGroupsUnreadable?: string;
}

export interface VpcLinkSecurityGroupEvidence {
  groupId: string;
  /** Outbound rules, e.g. `tcp 80 → sg-0abc`, `all → 0.0.0.0/0`. */
  egress: string[];
  /** Whether some outbound rule admits TCP at all (protocol tcp or -1). */
  egressAllowsTcp: boolean;
}

/** One route out of a function's subnet, as its route table says. */
export interface SubnetReachEvidence {
  subnetId: string;
  routeTableId?: string;
  /** 0.0.0.0/0 goes to a NAT gateway or NAT instance (ENI): the function can reach public endpoints. */
  natRoute: boolean;
  /** 0.0.0.0/0 goes only to an internet gateway: useless to a function (its ENIs have no public IP). */
  internetGatewayOnly: boolean;
  /** 0.0.0.0/0 goes to a transit gateway or peering: reach cannot be judged from this VPC alone. */
  otherDefaultRoute?: string;
  /** Gateway endpoints (S3, DynamoDB) routed from this subnet, by endpoint id. */
  gatewayEndpointIds: string[];
}

export interface InterfaceEndpointReachEvidence {
  vpcEndpointId: string;
  /** The AWS service short name, e.g. `sts`, `secretsmanager`, `lambda`, `s3`. */
  service: string;
  type: 'Interface' | 'Gateway' | string;
  state: string;
  privateDnsEnabled: boolean;
  subnetIds: string[];
  securityGroupIds: string[];
  /** Whether the endpoint's groups admit TCP 443 from the function's groups or subnets; undefined when unread. */
  admitsFunction?: boolean;
}

/** Where a VPC-attached function can send its AWS SDK calls (seed story: a Lambda that cannot reach a service). */
export interface LambdaNetworkReachEvidence {
  functionName: string;
  vpcId?: string;
  securityGroupIds: string[];
  subnets: SubnetReachEvidence[];
  endpoints: InterfaceEndpointReachEvidence[];
  /** AWS services its configuration names (environment variable names and ARNs/hostnames in values; values are not kept). */
  servicesFromEnvironment: string[];
  /** Set when part of it could not be read. */
  unreadable?: string;
}

/**
 * What a WebSocket backend's execution role lets it do on `execute-api` (IAM role policies): the
 * statements that could grant or deny execute-api:ManageConnections, to judge whether it may post
 * to, read and close the API's connections.
 */
export interface ManageConnectionsEvidence {
  functionName: string;
  roleArn: string;
  /** Inline and attached policies read (names or ARNs). */
  policies: string[];
  /** Statements whose Action (or NotAction) could cover execute-api:ManageConnections, with the policy they came from. */
  statements: (PolicyStatement & { policy: string })[];
  /** Policies that could not be read, and why. */
  unreadable?: string[];
}

/** Service control policies that apply to an account (Organizations): attached to it, its OUs or the root. */
export interface ScpEvidence {
  accountId: string;
  /** Why it was read: it owns the API, or IAM callers of the API came from it (SCPs restrict an account's own principals). */
  role?: 'api-owner' | 'callers';
  /** For `callers`: a few caller principals seen from the account (access logs, execution-log denials). */
  callers?: string[];
  /** For `callers`: requests (access-log records and quoted denials) seen from the account. */
  requests?: number;
  /** Set when part of it could not be read (e.g. the OUs above the account). */
  unreadable?: string;
  policies: { id: string; name?: string; arn?: string; policy: PolicyDocument | null; parseError?: string }[];
}

// ---------------------------------------------------------------------------------------------
// CloudWatch metrics and alarms: exact counts per minute, free of any sampling. The contract the
// counting model (rules), the channel's verdict and chart, and alarm-started investigations share.

/** firebreak's name for a series, whatever the namespace calls it (REST `5XXError`, HTTP `5xx`). */
export const METRIC_NAMES = [
  // REST and HTTP APIs
  'requests',
  '4xx',
  '5xx',
  'latency_p99',
  'integration_latency_p99',
  // WebSocket APIs
  'connects',
  'messages',
  'client_errors',
  'integration_errors',
  'execution_errors',
  // Lambda
  'invocations',
  'errors',
  'throttles',
  'duration_p99',
  'concurrent_executions',
  // WAF
  'waf_allowed',
  'waf_blocked',
  'waf_counted',
] as const;
export type MetricName = (typeof METRIC_NAMES)[number];

/** What a series (or a figure in a finding) is about. */
export interface MetricScope {
  kind: 'api' | 'stage' | 'route' | 'function' | 'web-acl' | 'rule' | 'key';
  /** The stage name, route (`GET /orders/{id}`), function name, web ACL or rule metric name, API key id. */
  name: string;
  /** For routes: the stage they were counted on. */
  stage?: string;
}

export interface MetricSeries {
  metric: MetricName;
  scope: MetricScope;
  /** As asked of CloudWatch: what a person would type to see the same numbers. */
  namespace: string;
  metricName: string;
  dimensions: Record<string, string>;
  stat: string;
  periodSeconds: number;
  /** Period starts (epoch ms), ascending, paired with `values`; a count series has every period (missing ones as 0). */
  timestamps: number[];
  values: number[];
  /** CloudWatch's StatusCode for the series: only `Complete` is an exact count. */
  status: 'Complete' | 'PartialData' | 'InternalError' | 'Forbidden';
  /** Sum over the period read (count series only). */
  total?: number;
}

/** CloudWatch answered the series, if only in part; `InternalError` and `Forbidden` are no count at all, never a 0. */
export function seriesWasRead(series: Pick<MetricSeries, 'status'>): boolean {
  return series.status !== 'InternalError' && series.status !== 'Forbidden';
}

export interface MetricsEvidence {
  accountId?: string;
  region?: string;
  /** The period read (ISO); the window, aligned to whole minutes. */
  from: string;
  until: string;
  series: MetricSeries[];
  /** Per stage: whether detailed (per-method or per-route) metrics are on; off → per-route counts come from logs. */
  detailed?: { stage: string; enabled: boolean }[];
}

export interface AlarmEvidence {
  alarmName: string;
  alarmArn: string;
  state: 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';
  stateReason?: string;
  /** StateTransitionedTimestamp (ISO): since when it has been in `state`. */
  since?: string;
  namespace?: string;
  metricName?: string;
  dimensions: Record<string, string>;
  statistic?: string;
  threshold?: number;
  comparisonOperator?: string;
  periodSeconds?: number;
  evaluationPeriods?: number;
  /** What it watches, in firebreak's terms, when the dimensions say. */
  watches?: MetricScope;
}

/** Everything an investigation can know, by source id. */
export interface EvidenceMap {
  'apigw.rest-api': RestApiEvidence;
  'apigw.account': ApiAccountEvidence;
  'apigw.stages': StageEvidence[];
  'apigw.resources': MethodEvidence[];
  'apigw.authorizers': AuthorizerEvidence[];
  'apigw.domains': DomainEvidence[];
  'apigw.gateway-responses': GatewayResponseEvidence[];
  'apigw.usage-plans': UsagePlanEvidence[];
  'logs.execution': ExecutionLogEvidence[];
  'logs.access': AccessLogEvidence[];
  'lambda.functions': LambdaFunctionEvidence[];
  'logs.lambda': LambdaLogEvidence[];
  'cloudtrail.changes': CloudTrailEventEvidence[];
  'cloudtrail.denies': CloudTrailEventEvidence[];
  'ec2.vpc-endpoints': {
    endpoints: VpcEndpointEvidence[];
    vpcs: VpcEvidence[];
    /** Each account the endpoints were looked for in, and whether it could be read. */
    accounts?: AccountReadEvidence[];
    /** Each endpoint id the API or its resource policy names, and what is known of it. */
    lookups?: EndpointLookupEvidence[];
  };
  'ec2.security-groups': SecurityGroupEvidence[];
  'ec2.flow-logs': FlowLogEvidence;
  'dns.custom-domains': DnsRecordEvidence[];
  'waf.web-acl': WafEvidence[];
  'apigwv2.api': HttpApiEvidence;
  'apigwv2.stages': HttpStageEvidence[];
  'apigwv2.routes': HttpRoutesEvidence;
  'apigwv2.authorizers': HttpAuthorizerEvidence[];
  'apigwv2.vpc-links': VpcLinkEvidence[];
  /** Custom domains with their API mappings, in the same shape as REST base path mappings (`restApiId` holds the mapped API id). */
  'apigwv2.domains': DomainEvidence[];
  'lambda.network-reach': LambdaNetworkReachEvidence[];
  /** WebSocket APIs: what the backend functions' roles allow on execute-api:ManageConnections. */
  'iam.manage-connections': ManageConnectionsEvidence[];
  'org.scps': ScpEvidence[];
  /** API Gateway metrics per stage (and per route with detailed metrics): requests, 4xx, 5xx, latency. */
  'metrics.api': MetricsEvidence;
  /** Lambda metrics per integration and authorizer function: invocations, errors, throttles, duration. */
  'metrics.lambda': MetricsEvidence;
  /** WAF metrics per web ACL and rule: blocked and counted requests. */
  'metrics.waf': MetricsEvidence;
  /** CloudWatch alarms on the API, its functions and its web ACL. */
  'metrics.alarms': AlarmEvidence[];
}

export type SourceId = keyof EvidenceMap;
export type Evidence = { [K in SourceId]?: EvidenceMap[K] };
