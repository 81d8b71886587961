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
}

export interface ExecutionLogEvidence {
  stage: string;
  logGroup: string;
  lines: LogLine[];
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
  vpcConfig?: { subnetIds: string[]; securityGroupIds: string[] };
  reservedConcurrency?: number;
  invokePermission?: InvokePermissionEvidence;
  /** Set when the function could not be read (e.g. no role for its account). */
  unreadable?: string;
}

export interface LambdaLogEvidence {
  functionName: string;
  logGroup: string;
  errors: number;
  timeouts: number;
  throttles: number;
  /** The lines that show the errors, timeouts and throttles. */
  lines: LogLine[];
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
}

export interface WafEvidence {
  stage: string;
  webAclArn: string;
  name?: string;
  defaultAction?: 'ALLOW' | 'BLOCK';
  rules: { name: string; priority?: number; action?: string }[];
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

/** Service control policies that apply to an account (Organizations). */
export interface ScpEvidence {
  accountId: string;
  policies: { id: string; name?: string; arn?: string; policy: PolicyDocument | null; parseError?: string }[];
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
  'ec2.vpc-endpoints': { endpoints: VpcEndpointEvidence[]; vpcs: VpcEvidence[] };
  'ec2.security-groups': SecurityGroupEvidence[];
  'ec2.flow-logs': FlowLogEvidence;
  'dns.custom-domains': DnsRecordEvidence[];
  'waf.web-acl': WafEvidence[];
  'lambda.network-reach': LambdaNetworkReachEvidence[];
  'org.scps': ScpEvidence[];
}

export type SourceId = keyof EvidenceMap;
export type Evidence = { [K in SourceId]?: EvidenceMap[K] };
