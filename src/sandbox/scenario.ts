import { z } from 'zod';
import { AWS_SERVICES, READ_OPERATIONS } from '../aws/operations.js';
import { ACCESS_LOG_PRESETS, HTTP_ACCESS_LOG_PRESETS } from './access-log.js';
import { recordedSchema } from './recorded.js';

/**
 * The scenario file format: a simulated AWS world, written by hand. Field names follow the AWS
 * SDK v3 output shapes so a scenario reads like the API's own answers; only the fields firebreak
 * reads are validated and every other AWS field passes through untouched. Times may be ISO
 * strings or epoch milliseconds and are normalised here (Dates, or ms for log events), so the
 * transport never has to guess.
 */

const TIME_ERROR = 'expected an ISO 8601 time (e.g. 2024-05-01T12:00:00Z) or epoch milliseconds';

function toDate(value: string | number | Date): Date | undefined {
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** A point in time, normalised to a Date. */
export const time = z.union([z.string(), z.number(), z.date()], { error: TIME_ERROR }).transform((value, ctx) => {
  const date = toDate(value);
  if (!date) {
    ctx.addIssue({ code: 'custom', message: TIME_ERROR });
    return z.NEVER;
  }
  return date;
});

/** A point in time, normalised to epoch milliseconds (CloudWatch Logs' unit). */
export const epochMs = time.transform((date) => date.getTime());

/** Some AWS fields carry JSON documents as strings (policies); a scenario may write either. */
const jsonDocument = z
  .union([z.string(), z.record(z.string(), z.unknown())], { error: 'expected a JSON document (an object, or a string of JSON)' })
  .transform((value) => (typeof value === 'string' ? value : JSON.stringify(value)));

// AWS makes 10 characters; an id copied from an emulator (moto's HTTP APIs have 8) is accepted too.
const restApiId = z.string().regex(/^[a-z0-9]{1,64}$/, { error: 'expected an API id (lowercase letters and digits, e.g. a1b2c3d4e5)' });
const accountId = z.string().regex(/^\d{12}$/, { error: 'expected a 12-digit account id' });
const nonEmpty = z.string().min(1, { error: 'expected a non-empty string' });

// ---------------------------------------------------------------- API Gateway

const methodSetting = z.looseObject({
  loggingLevel: z.enum(['OFF', 'ERROR', 'INFO']).optional(),
  dataTraceEnabled: z.boolean().optional(),
  metricsEnabled: z.boolean().optional(),
  throttlingRateLimit: z.number().optional(),
  throttlingBurstLimit: z.number().optional(),
});

export const stageSchema = z.looseObject({
  stageName: nonEmpty,
  deploymentId: z.string().optional(),
  methodSettings: z.record(z.string(), methodSetting).optional(),
  accessLogSettings: z
    .looseObject({
      destinationArn: z.string().optional(),
      /** The format string; `CLF` or `JSON` stand for the console presets. */
      format: z
        .string()
        .transform((format) => (format === 'CLF' || format === 'JSON' ? ACCESS_LOG_PRESETS[format] : format))
        .optional(),
    })
    .optional(),
  webAclArn: z.string().optional(),
  tracingEnabled: z.boolean().optional(),
  createdDate: time.optional(),
  lastUpdatedDate: time.optional(),
});

const deploymentSchema = z.looseObject({ id: nonEmpty, createdDate: time, description: z.string().optional() });

const integrationSchema = z.looseObject({
  type: z.enum(['AWS', 'AWS_PROXY', 'HTTP', 'HTTP_PROXY', 'MOCK']),
  uri: z.string().optional(),
  httpMethod: z.string().optional(),
  credentials: z.string().optional(),
  timeoutInMillis: z.number().int().optional(),
  connectionType: z.enum(['INTERNET', 'VPC_LINK']).optional(),
});

const methodSchema = z.looseObject({
  httpMethod: z.string().optional(),
  authorizationType: z.enum(['NONE', 'AWS_IAM', 'CUSTOM', 'COGNITO_USER_POOLS']).optional(),
  authorizerId: z.string().optional(),
  apiKeyRequired: z.boolean().optional(),
  methodIntegration: integrationSchema.optional(),
});

const resourceSchema = z.looseObject({
  /** Optional when writing by hand: derived from the path. */
  id: z.string().optional(),
  parentId: z.string().optional(),
  path: z.string().startsWith('/', { error: 'expected a path starting with /' }),
  pathPart: z.string().optional(),
  resourceMethods: z.record(z.string(), methodSchema).optional(),
});

const authorizerSchema = z.looseObject({
  id: nonEmpty,
  name: nonEmpty,
  type: z.enum(['TOKEN', 'REQUEST', 'COGNITO_USER_POOLS']),
  authorizerUri: z.string().optional(),
  authorizerCredentials: z.string().optional(),
  identitySource: z.string().optional(),
  authorizerResultTtlInSeconds: z.number().optional(),
});

const gatewayResponseSchema = z.looseObject({
  responseType: nonEmpty,
  statusCode: z.string().optional(),
  responseParameters: z.record(z.string(), z.string()).optional(),
  responseTemplates: z.record(z.string(), z.string()).optional(),
  defaultResponse: z.boolean().optional(),
});

const endpointConfiguration = z.looseObject({
  types: z.array(z.enum(['EDGE', 'REGIONAL', 'PRIVATE'])),
  vpcEndpointIds: z.array(z.string()).optional(),
});

export const restApiSchema = z.looseObject({
  id: restApiId,
  name: nonEmpty,
  description: z.string().optional(),
  createdDate: time.optional(),
  endpointConfiguration: endpointConfiguration.optional(),
  policy: jsonDocument.optional(),
  disableExecuteApiEndpoint: z.boolean().optional(),
  apiKeySource: z.enum(['HEADER', 'AUTHORIZER']).optional(),
  stages: z.array(stageSchema).optional(),
  deployments: z.array(deploymentSchema).optional(),
  resources: z.array(resourceSchema).optional(),
  authorizers: z.array(authorizerSchema).optional(),
  gatewayResponses: z.array(gatewayResponseSchema).optional(),
});

const basePathMappingSchema = z.looseObject({
  basePath: z.string().default('(none)'),
  restApiId,
  stage: z.string().optional(),
});

const domainNameSchema = z.looseObject({
  domainName: nonEmpty,
  regionalDomainName: z.string().optional(),
  regionalHostedZoneId: z.string().optional(),
  distributionDomainName: z.string().optional(),
  endpointConfiguration: endpointConfiguration.optional(),
  securityPolicy: z.string().optional(),
  domainNameStatus: z.string().optional(),
  mutualTlsAuthentication: z.looseObject({ truststoreUri: z.string().optional() }).optional(),
  basePathMappings: z.array(basePathMappingSchema).optional(),
});

const usagePlanSchema = z.looseObject({
  id: nonEmpty,
  name: nonEmpty,
  apiStages: z.array(z.looseObject({ apiId: restApiId, stage: nonEmpty })).optional(),
  throttle: z.looseObject({ rateLimit: z.number().optional(), burstLimit: z.number().optional() }).optional(),
  quota: z.looseObject({ limit: z.number(), period: z.enum(['DAY', 'WEEK', 'MONTH']), offset: z.number().optional() }).optional(),
  /** The API keys in the plan (GetUsagePlanKeys): `value` is the key itself, which logs show masked to its last 4 characters. */
  keys: z.array(z.looseObject({ id: nonEmpty, name: z.string().optional(), type: z.string().default('API_KEY'), value: z.string().optional() })).optional(),
});

/** REST-style VPC links (v1): WebSocket and REST private integrations reach an NLB through them. */
const vpcLinkV1Schema = z.looseObject({
  id: nonEmpty,
  name: z.string().optional(),
  status: z.enum(['AVAILABLE', 'PENDING', 'DELETING', 'FAILED']).default('AVAILABLE'),
  statusMessage: z.string().optional(),
  targetArns: z.array(z.string()).default([]),
});

const apigatewaySchema = z.looseObject({
  account: z
    .looseObject({
      cloudwatchRoleArn: z.string().optional(),
      throttleSettings: z.looseObject({ rateLimit: z.number().optional(), burstLimit: z.number().optional() }).optional(),
    })
    .optional(),
  restApis: z.array(restApiSchema).optional(),
  domainNames: z.array(domainNameSchema).optional(),
  usagePlans: z.array(usagePlanSchema).optional(),
  vpcLinks: z.array(vpcLinkV1Schema).optional(),
});

// ---------------------------------------------------------------- API Gateway v2 (HTTP APIs)
// PascalCase like @aws-sdk/client-apigatewayv2's outputs; lowercase keys (stages, routes...) are the
// sandbox's own containers, answered by the matching Get*s calls.

const v2RouteSettings = z.looseObject({
  DataTraceEnabled: z.boolean().optional(),
  DetailedMetricsEnabled: z.boolean().optional(),
  LoggingLevel: z.enum(['INFO', 'ERROR', 'OFF']).optional(),
  ThrottlingBurstLimit: z.number().int().optional(),
  ThrottlingRateLimit: z.number().optional(),
});

const v2StageSchema = z.looseObject({
  StageName: nonEmpty,
  AutoDeploy: z.boolean().optional(),
  DeploymentId: z.string().optional(),
  LastDeploymentStatusMessage: z.string().optional(),
  DefaultRouteSettings: v2RouteSettings.optional(),
  RouteSettings: z.record(z.string(), v2RouteSettings).optional(),
  StageVariables: z.record(z.string(), z.string()).optional(),
  AccessLogSettings: z
    .looseObject({
      DestinationArn: z.string().optional(),
      /** The format string; `HTTP_CLF` or `HTTP_JSON` stand for the console's HTTP API presets. */
      Format: z
        .string()
        .transform((format) => (format === 'HTTP_CLF' || format === 'HTTP_JSON' ? HTTP_ACCESS_LOG_PRESETS[format] : format))
        .optional(),
    })
    .optional(),
  CreatedDate: time.optional(),
  LastUpdatedDate: time.optional(),
});

const v2DeploymentSchema = z.looseObject({
  DeploymentId: nonEmpty,
  CreatedDate: time,
  DeploymentStatus: z.enum(['PENDING', 'FAILED', 'DEPLOYED']).default('DEPLOYED'),
  DeploymentStatusMessage: z.string().optional(),
  AutoDeployed: z.boolean().optional(),
  Description: z.string().optional(),
});

const v2RouteSchema = z.looseObject({
  /** Optional when writing by hand: derived from the route key. */
  RouteId: z.string().optional(),
  RouteKey: nonEmpty,
  AuthorizationType: z.enum(['NONE', 'AWS_IAM', 'CUSTOM', 'JWT']).optional(),
  AuthorizerId: z.string().optional(),
  AuthorizationScopes: z.array(z.string()).optional(),
  /** `integrations/<IntegrationId>`. */
  Target: z.string().optional(),
  ApiKeyRequired: z.boolean().optional(),
  /** WebSocket: `$default` makes the route two-way. */
  RouteResponseSelectionExpression: z.string().optional(),
  ModelSelectionExpression: z.string().optional(),
  /** WebSocket: GetRouteResponses' answer for this route (only the `$default` key exists). */
  routeResponses: z.array(z.looseObject({ RouteResponseId: z.string().optional(), RouteResponseKey: nonEmpty, ModelSelectionExpression: z.string().optional() })).optional(),
});

const v2IntegrationSchema = z.looseObject({
  IntegrationId: nonEmpty,
  IntegrationType: z.enum(['AWS', 'AWS_PROXY', 'HTTP', 'HTTP_PROXY', 'MOCK']),
  IntegrationUri: z.string().optional(),
  IntegrationMethod: z.string().optional(),
  IntegrationSubtype: z.string().optional(),
  PayloadFormatVersion: z.enum(['1.0', '2.0']).optional(),
  TimeoutInMillis: z.number().int().min(50).max(30000).optional(),
  ConnectionType: z.enum(['INTERNET', 'VPC_LINK']).optional(),
  ConnectionId: z.string().optional(),
  CredentialsArn: z.string().optional(),
  RequestParameters: z.record(z.string(), z.string()).optional(),
  TlsConfig: z.looseObject({ ServerNameToVerify: z.string().optional() }).optional(),
  /** WebSocket: non-proxy integrations. */
  PassthroughBehavior: z.enum(['WHEN_NO_MATCH', 'NEVER', 'WHEN_NO_TEMPLATES']).optional(),
  ContentHandlingStrategy: z.enum(['CONVERT_TO_BINARY', 'CONVERT_TO_TEXT']).optional(),
  TemplateSelectionExpression: z.string().optional(),
  /** WebSocket: GetIntegrationResponses' answer for this integration. */
  integrationResponses: z
    .array(z.looseObject({ IntegrationResponseId: z.string().optional(), IntegrationResponseKey: nonEmpty, TemplateSelectionExpression: z.string().optional() }))
    .optional(),
});

const v2AuthorizerSchema = z.looseObject({
  AuthorizerId: nonEmpty,
  Name: nonEmpty,
  AuthorizerType: z.enum(['REQUEST', 'JWT']),
  IdentitySource: z.array(z.string()).optional(),
  JwtConfiguration: z.looseObject({ Audience: z.array(z.string()).optional(), Issuer: z.string().optional() }).optional(),
  AuthorizerUri: z.string().optional(),
  AuthorizerPayloadFormatVersion: z.enum(['1.0', '2.0']).optional(),
  EnableSimpleResponses: z.boolean().optional(),
  AuthorizerResultTtlInSeconds: z.number().int().min(0).max(3600).optional(),
  AuthorizerCredentialsArn: z.string().optional(),
});

const v2CorsSchema = z.looseObject({
  AllowCredentials: z.boolean().optional(),
  AllowHeaders: z.array(z.string()).optional(),
  AllowMethods: z.array(z.string()).optional(),
  AllowOrigins: z.array(z.string()).optional(),
  ExposeHeaders: z.array(z.string()).optional(),
  MaxAge: z.number().int().min(-1).max(86400).optional(),
});

export const v2ApiSchema = z.looseObject({
  ApiId: restApiId,
  Name: nonEmpty,
  ProtocolType: z.enum(['HTTP', 'WEBSOCKET']).default('HTTP'),
  /** Optional: derived from the id and region. */
  ApiEndpoint: z.string().optional(),
  CreatedDate: time.optional(),
  Description: z.string().optional(),
  DisableExecuteApiEndpoint: z.boolean().optional(),
  CorsConfiguration: v2CorsSchema.optional(),
  RouteSelectionExpression: z.string().optional(),
  ApiKeySelectionExpression: z.string().optional(),
  stages: z.array(v2StageSchema).optional(),
  deployments: z.array(v2DeploymentSchema).optional(),
  routes: z.array(v2RouteSchema).optional(),
  integrations: z.array(v2IntegrationSchema).optional(),
  authorizers: z.array(v2AuthorizerSchema).optional(),
});

const v2VpcLinkSchema = z.looseObject({
  VpcLinkId: nonEmpty,
  Name: z.string().optional(),
  VpcLinkStatus: z.enum(['PENDING', 'AVAILABLE', 'DELETING', 'FAILED', 'INACTIVE']).default('AVAILABLE'),
  VpcLinkStatusMessage: z.string().optional(),
  VpcLinkVersion: z.string().default('V2'),
  SubnetIds: z.array(z.string()).default([]),
  SecurityGroupIds: z.array(z.string()).default([]),
  CreatedDate: time.optional(),
});

const v2DomainNameSchema = z.looseObject({
  DomainName: nonEmpty,
  DomainNameConfigurations: z
    .array(
      z.looseObject({
        ApiGatewayDomainName: z.string().optional(),
        EndpointType: z.enum(['REGIONAL', 'EDGE']).default('REGIONAL'),
        DomainNameStatus: z.string().optional(),
        DomainNameStatusMessage: z.string().optional(),
        HostedZoneId: z.string().optional(),
        SecurityPolicy: z.string().optional(),
        CertificateArn: z.string().optional(),
      }),
    )
    .default([]),
  MutualTlsAuthentication: z.looseObject({ TruststoreUri: z.string().optional(), TruststoreVersion: z.string().optional() }).optional(),
  apiMappings: z
    .array(
      z.looseObject({
        ApiMappingId: z.string().optional(),
        ApiId: restApiId,
        Stage: nonEmpty,
        ApiMappingKey: z.string().optional(),
      }),
    )
    .optional(),
});

const apigatewayv2Schema = z.looseObject({
  apis: z.array(v2ApiSchema).optional(),
  vpcLinks: z.array(v2VpcLinkSchema).optional(),
  /** Domains made through API Gateway v2; the REST domains (apigateway.domainNames) are listed by v2 as well. */
  domainNames: z.array(v2DomainNameSchema).optional(),
});

// ---------------------------------------------------------------- CloudWatch Logs

const logEventSchema = z.looseObject({
  timestamp: epochMs,
  message: z.string(),
  logStreamName: z.string().optional(),
});

export const logGroupSchema = z.looseObject({
  logGroupName: nonEmpty,
  creationTime: epochMs.optional(),
  retentionInDays: z.number().int().optional(),
  events: z.array(logEventSchema).default([]),
});

// ---------------------------------------------------------------- CloudTrail

const cloudTrailEventSchema = z.looseObject({
  /** Optional when writing by hand: derived deterministically. */
  EventId: z.string().optional(),
  EventName: nonEmpty,
  EventTime: time,
  /** Optional: taken from CloudTrailEvent.eventSource when absent. */
  EventSource: z.string().optional(),
  Username: z.string().optional(),
  ReadOnly: z.string().optional(),
  AccessKeyId: z.string().optional(),
  Resources: z.array(z.looseObject({ ResourceType: z.string().optional(), ResourceName: z.string().optional() })).optional(),
  CloudTrailEvent: z.union([z.string(), z.record(z.string(), z.unknown())], { error: 'expected the CloudTrail record (an object, or a string of JSON)' }),
});

// ---------------------------------------------------------------- EC2

const vpcSchema = z.looseObject({
  VpcId: nonEmpty,
  CidrBlock: z.string().optional(),
  State: z.string().optional(),
  IsDefault: z.boolean().optional(),
  /** DescribeVpcAttribute answers; true unless the scenario says otherwise. */
  enableDnsSupport: z.boolean().default(true),
  enableDnsHostnames: z.boolean().default(true),
});

const vpcEndpointSchema = z.looseObject({
  VpcEndpointId: nonEmpty,
  VpcEndpointType: z.string().default('Interface'),
  VpcId: nonEmpty,
  ServiceName: nonEmpty,
  State: z.string().default('available'),
  PolicyDocument: jsonDocument.optional(),
  SubnetIds: z.array(z.string()).optional(),
  Groups: z.array(z.looseObject({ GroupId: nonEmpty, GroupName: z.string().optional() })).optional(),
  PrivateDnsEnabled: z.boolean().optional(),
  NetworkInterfaceIds: z.array(z.string()).optional(),
  DnsEntries: z.array(z.looseObject({ DnsName: z.string().optional(), HostedZoneId: z.string().optional() })).optional(),
  OwnerId: z.string().optional(),
  CreationTimestamp: time.optional(),
});

const ipPermissionSchema = z.looseObject({
  IpProtocol: z.string(),
  FromPort: z.number().int().optional(),
  ToPort: z.number().int().optional(),
  IpRanges: z.array(z.looseObject({ CidrIp: z.string(), Description: z.string().optional() })).optional(),
  Ipv6Ranges: z.array(z.looseObject({ CidrIpv6: z.string() })).optional(),
  UserIdGroupPairs: z.array(z.looseObject({ GroupId: z.string().optional() })).optional(),
  PrefixListIds: z.array(z.looseObject({ PrefixListId: z.string().optional() })).optional(),
});

const securityGroupSchema = z.looseObject({
  GroupId: nonEmpty,
  GroupName: z.string().optional(),
  VpcId: z.string().optional(),
  Description: z.string().optional(),
  OwnerId: z.string().optional(),
  IpPermissions: z.array(ipPermissionSchema).default([]),
  IpPermissionsEgress: z.array(ipPermissionSchema).optional(),
});

const networkInterfaceSchema = z.looseObject({
  NetworkInterfaceId: nonEmpty,
  PrivateIpAddress: z.string().optional(),
  SubnetId: z.string().optional(),
  VpcId: z.string().optional(),
  InterfaceType: z.string().optional(),
  Description: z.string().optional(),
  RequesterId: z.string().optional(),
  Status: z.string().optional(),
  Groups: z.array(z.looseObject({ GroupId: z.string(), GroupName: z.string().optional() })).optional(),
  Attachment: z.looseObject({ InstanceId: z.string().optional(), InstanceOwnerId: z.string().optional(), Status: z.string().optional() }).optional(),
});

const flowLogSchema = z.looseObject({
  FlowLogId: nonEmpty,
  ResourceId: nonEmpty,
  TrafficType: z.enum(['ACCEPT', 'REJECT', 'ALL']).default('ALL'),
  LogDestinationType: z.enum(['cloud-watch-logs', 's3', 'kinesis-data-firehose']).default('cloud-watch-logs'),
  LogGroupName: z.string().optional(),
  LogDestination: z.string().optional(),
  LogFormat: z.string().optional(),
  FlowLogStatus: z.string().default('ACTIVE'),
  DeliverLogsStatus: z.string().default('SUCCESS'),
  CreationTime: time.optional(),
});

const routeTableSchema = z.looseObject({
  RouteTableId: nonEmpty,
  VpcId: nonEmpty,
  Associations: z.array(z.looseObject({ SubnetId: z.string().optional(), Main: z.boolean().optional() })).default([]),
  Routes: z.array(z.looseObject({ DestinationCidrBlock: z.string().optional(), DestinationPrefixListId: z.string().optional() })).default([]),
});

const subnetSchema = z.looseObject({ SubnetId: nonEmpty, VpcId: nonEmpty, CidrBlock: z.string().optional(), AvailabilityZone: z.string().optional() });

const ec2Schema = z.looseObject({
  routeTables: z.array(routeTableSchema).optional(),
  subnets: z.array(subnetSchema).optional(),
  vpcs: z.array(vpcSchema).optional(),
  vpcEndpoints: z.array(vpcEndpointSchema).optional(),
  securityGroups: z.array(securityGroupSchema).optional(),
  networkInterfaces: z.array(networkInterfaceSchema).optional(),
  flowLogs: z.array(flowLogSchema).optional(),
});

// ---------------------------------------------------------------- Lambda

const functionSchema = z.looseObject({
  FunctionName: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, { error: 'expected a function name (letters, digits, - and _), not an ARN' }),
  /** Optional: derived from the account, region and name. */
  FunctionArn: z.string().optional(),
  Runtime: z.string().optional(),
  Handler: z.string().optional(),
  Role: z.string().optional(),
  Timeout: z.number().int().optional(),
  MemorySize: z.number().int().optional(),
  State: z.enum(['Pending', 'Active', 'Inactive', 'Failed']).default('Active'),
  StateReason: z.string().optional(),
  LastUpdateStatus: z.string().optional(),
  LastModified: z.string().optional(),
  VpcConfig: z.looseObject({ SubnetIds: z.array(z.string()).optional(), SecurityGroupIds: z.array(z.string()).optional(), VpcId: z.string().optional() }).optional(),
  Layers: z.array(z.looseObject({ Arn: z.string() })).optional(),
  /** GetPolicy's answer; absent means the function has no resource-based policy. */
  policy: jsonDocument.optional(),
  /** GetFunctionConcurrency's answer; absent means unreserved. */
  reservedConcurrency: z.number().int().min(0).optional(),
});

// ---------------------------------------------------------------- IAM (roles of WebSocket backends)

const iamPolicyDocument = jsonDocument;

const iamRoleSchema = z.looseObject({
  RoleName: z.string().regex(/^[\w+=,.@-]{1,64}$/, { error: 'expected a role name (not an ARN)' }),
  /** Optional: derived from the account and name. */
  Arn: z.string().optional(),
  /** Inline policies (ListRolePolicies / GetRolePolicy). */
  inlinePolicies: z.array(z.looseObject({ PolicyName: nonEmpty, PolicyDocument: iamPolicyDocument })).default([]),
  /** Managed policy ARNs attached to the role (ListAttachedRolePolicies). */
  attachedPolicies: z.array(z.string()).default([]),
});

const iamManagedPolicySchema = z.looseObject({
  Arn: z.string().regex(/^arn:aws[\w-]*:iam::(\d{12}|aws):policy\//, { error: 'expected a managed policy ARN (arn:aws:iam::<account>|aws:policy/…)' }),
  DefaultVersionId: z.string().default('v1'),
  Document: iamPolicyDocument,
});

// ---------------------------------------------------------------- WAF

const webAclSchema = z.looseObject({
  Name: nonEmpty,
  Id: nonEmpty,
  /** Optional: derived from the account, region, name and id. */
  ARN: z.string().optional(),
  DefaultAction: z.looseObject({ Allow: z.unknown().optional(), Block: z.unknown().optional() }),
  Rules: z.array(z.looseObject({ Name: z.string(), Priority: z.number().int() })).default([]),
  VisibilityConfig: z.looseObject({}).optional(),
});

// ---------------------------------------------------------------- CloudWatch alarms
// DescribeAlarms' own field names (MetricAlarm, CompositeAlarm); `Tags` is ListTagsForResource's.

const ALARM_NAME_ERROR = 'expected an alarm name (1 to 255 characters)';
const alarmDimension = z.looseObject({ Name: nonEmpty, Value: z.string() });
const alarmMetricStat = z.looseObject({
  Metric: z.looseObject({ Namespace: z.string().optional(), MetricName: z.string().optional(), Dimensions: z.array(alarmDimension).max(30).optional() }),
  Period: z.number().int().positive(),
  Stat: nonEmpty,
  Unit: z.string().optional(),
});

export const alarmSchema = z
  .looseObject({
    AlarmName: z.string().min(1, { error: ALARM_NAME_ERROR }).max(255, { error: ALARM_NAME_ERROR }),
    /** Optional: derived from the home account, the scenario's region and the name. */
    AlarmArn: z.string().regex(/^arn:aws[\w-]*:cloudwatch:[a-z0-9-]+:\d{12}:alarm:.+$/, { error: 'expected an alarm ARN, arn:aws:cloudwatch:<region>:<account>:alarm:<name>' }).optional(),
    AlarmDescription: z.string().max(1_024).optional(),
    StateValue: z.enum(['OK', 'ALARM', 'INSUFFICIENT_DATA']).default('OK'),
    StateReason: z.string().max(1_023).optional(),
    StateReasonData: jsonDocument.optional(),
    /** Since when the alarm is in its state; absent: the scenario's `now`. */
    StateTransitionedTimestamp: time.optional(),
    StateUpdatedTimestamp: time.optional(),
    Namespace: z.string().optional(),
    MetricName: z.string().optional(),
    Dimensions: z.array(alarmDimension).max(30).optional(),
    Statistic: z.enum(['SampleCount', 'Average', 'Sum', 'Minimum', 'Maximum']).optional(),
    ExtendedStatistic: z.string().optional(),
    Period: z.number().int().positive().optional(),
    Unit: z.string().optional(),
    EvaluationPeriods: z.number().int().min(1).optional(),
    DatapointsToAlarm: z.number().int().min(1).optional(),
    Threshold: z.number().optional(),
    ComparisonOperator: z
      .enum(['GreaterThanOrEqualToThreshold', 'GreaterThanThreshold', 'LessThanThreshold', 'LessThanOrEqualToThreshold', 'LessThanLowerOrGreaterThanUpperThreshold', 'LessThanLowerThreshold', 'GreaterThanUpperThreshold'])
      .optional(),
    TreatMissingData: z.enum(['breaching', 'notBreaching', 'ignore', 'missing']).optional(),
    ActionsEnabled: z.boolean().default(true),
    AlarmActions: z.array(z.string()).default([]),
    OKActions: z.array(z.string()).default([]),
    InsufficientDataActions: z.array(z.string()).default([]),
    /** Math and anomaly alarms: the watched series has `ReturnData: true`. */
    Metrics: z
      .array(z.looseObject({ Id: nonEmpty, Expression: z.string().optional(), Label: z.string().optional(), ReturnData: z.boolean().optional(), Period: z.number().int().optional(), MetricStat: alarmMetricStat.optional() }))
      .max(10)
      .optional(),
    /** A composite alarm: `ALARM(child) OR ALARM("other child")`. */
    AlarmRule: z.string().max(10_240).optional(),
    Tags: z.array(z.looseObject({ Key: nonEmpty, Value: z.string() })).max(50).optional(),
  })
  .refine((a) => a.AlarmRule !== undefined || a.MetricName !== undefined || (a.Metrics?.length ?? 0) > 0, {
    error: 'a metric alarm needs MetricName (or Metrics); a composite alarm needs AlarmRule',
  })
  .refine((a) => !(a.Statistic && a.ExtendedStatistic), { error: 'give Statistic or ExtendedStatistic, not both' });

// ---------------------------------------------------------------- accounts, faults, traffic

export const accountSchema = z.looseObject({
  accountId,
  alias: z.string().optional(),
  /** For accounts other than the first: the role firebreak assumes; absent = no role configured. */
  roleArn: z.string().optional(),
  apigateway: apigatewaySchema.optional(),
  apigatewayv2: apigatewayv2Schema.optional(),
  logs: z.looseObject({ groups: z.array(logGroupSchema).default([]) }).optional(),
  cloudtrail: z.looseObject({ events: z.array(cloudTrailEventSchema).default([]) }).optional(),
  ec2: ec2Schema.optional(),
  lambda: z.looseObject({ functions: z.array(functionSchema).default([]) }).optional(),
  wafv2: z.looseObject({ webAcls: z.array(webAclSchema).default([]) }).optional(),
  /** Roles (with their inline policies and attached managed policy ARNs) and managed policies, answered by IAM's read calls. */
  iam: z.looseObject({ roles: z.array(iamRoleSchema).default([]), policies: z.array(iamManagedPolicySchema).default([]) }).optional(),
  /** Service control policies that apply to this account (answered by ListPoliciesForTarget for it). */
  organizations: z
    .looseObject({ policies: z.array(z.looseObject({ Id: z.string().regex(/^p-[0-9A-Za-z_]+$/, { error: 'expected a policy id like p-examplepolicy' }), Name: z.string().optional(), Content: z.unknown() })).default([]) })
    .optional(),
});

/** firebreak's own table: its DynamoDB calls can be throttled or failed by a scenario too (the ledger's resilience). */
export const LEDGER_OPERATIONS = ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'Query', 'Scan', 'BatchGetItem', 'BatchWriteItem', 'DescribeTable', 'CreateTable'] as const;
const FAULT_SERVICES: readonly string[] = [...AWS_SERVICES, 'dynamodb'];

/** Why a fault's `service:Operation` names nothing firebreak calls (a fault that could never fire), or undefined. */
function unknownFaultTarget(operation: string): string | undefined {
  const [service = '', name = ''] = operation.split(':');
  if (!FAULT_SERVICES.includes(service)) return `unknown service "${service}" (known: ${FAULT_SERVICES.join(', ')})`;
  if (name === '*') return undefined;
  const known: readonly string[] = service === 'dynamodb' ? LEDGER_OPERATIONS : READ_OPERATIONS.filter((op) => op.service === service).map((op) => op.operation);
  return known.includes(name) ? undefined : `firebreak never calls ${service}:${name} (it calls ${known.join(', ')})`;
}

export const faultSchema = z
  .looseObject({
    /** `service:Operation` as in src/aws/operations.ts (or `dynamodb:` for firebreak's own table), or `service:*`. */
    operation: z
      .string()
      .regex(/^[a-z0-9]+:(\*|[A-Z][A-Za-z0-9]*)$/, { error: 'expected service:Operation, e.g. cloudtrail:LookupEvents or ec2:*' })
      .superRefine((operation, ctx) => {
        const problem = unknownFaultTarget(operation);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      }),
    account: accountId.optional(),
    /** Only calls whose request has these values (a recording pins a failure to the request it hit). */
    input: z.record(z.string(), z.unknown()).optional(),
    /** The AWS error name to throw, e.g. AccessDeniedException, ThrottlingException. */
    error: z.string().regex(/^[A-Za-z][A-Za-z0-9.]*$/, { error: 'expected an AWS error name, e.g. AccessDeniedException' }).optional(),
    message: z.string().optional(),
    httpStatusCode: z.number().int().min(400).max(599).optional(),
    /**
     * `html`: the call is answered with an HTML page instead of the service's response (a proxy,
     * a load balancer, an emulator that lacks the call): the SDK cannot read it. HTTP 500 unless
     * `httpStatusCode` says otherwise.
     */
    answer: z.enum(['html']).optional(),
    /** Fail only the first N matching calls (retries count); every call when absent. */
    times: z.number().int().positive().optional(),
    /** Fail this share of the matching calls (0.2: one in five), drawn from `seed`: the same calls fail on every run. */
    rate: z.number().gt(0).max(1).optional(),
    seed: z.number().int().optional(),
    latencyMs: z.number().int().min(0).optional(),
  })
  .refine((fault) => fault.error !== undefined || fault.answer !== undefined || fault.latencyMs !== undefined, { error: 'a fault needs an error, an answer, a latencyMs, or a mix' });

export const TRAFFIC_KINDS = [
  'ok',
  'integration_timeout',
  'lambda_error',
  'malformed_response',
  'lambda_throttled',
  'missing_permission',
  'authorizer_deny',
  'authorizer_error',
  'missing_auth_token',
  'throttled',
  'quota_exceeded',
  'waf_blocked',
  'api_key_invalid',
  'resource_policy_deny',
  'unauthorized',
  'authorizer_failure',
  'assume_role_denied',
  'network_error',
  'invalid_endpoint',
  'request_too_large',
  'iam_denied',
  'scp_denied',
  'bad_signature',
  'mtls_denied',
  'handled_error',
] as const;
export type TrafficKind = (typeof TRAFFIC_KINDS)[number];

const httpMethod = z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'ANY']);

/** What every traffic generator has: where the requests go, how many, seeded, over when. */
const trafficCommon = {
  account: accountId.optional(),
  apiId: restApiId.optional(),
  stage: nonEmpty,
  requests: z.number().int().min(0).max(1_000_000),
  seed: z.number().int(),
  start: time.optional(),
  end: time.optional(),
};
const trafficRoute = {
  method: httpMethod.exclude(['ANY']),
  path: z.string().startsWith('/', { error: 'expected a path starting with /' }),
  weight: z.number().positive().default(1),
};
const trafficOutcome = {
  weight: z.number().positive(),
  status: z.number().int().min(100).max(599),
};
const routesOf = <T extends z.ZodRawShape>(extra: T) => z.array(z.looseObject({ ...trafficRoute, ...extra })).min(1, { error: 'expected at least one route' });
const outcomesOf = <T extends z.ZodRawShape>(extra: T) => z.array(z.looseObject({ ...trafficOutcome, ...extra })).min(1, { error: 'expected at least one outcome' });

export const trafficSchema = z.looseObject({
  ...trafficCommon,
  /** For a PRIVATE API: the VPC endpoint the callers come through (default: the API's first). */
  vpceId: z.string().startsWith('vpce-', { error: 'expected a VPC endpoint id (vpce-…)' }).optional(),
  /** The caller's IAM principal (AWS_IAM callers): quoted in denials and `$context.identity.*`. */
  callerArn: z.string().optional(),
  /** The API key the callers send (an `id` of a usage plan's `keys`): `$context.identity.apiKeyId`, masked in execution logs. */
  apiKeyId: z.string().optional(),
  /** The requests went to the stage's canary (`$context.isCanaryRequest`). */
  canary: z.boolean().optional(),
  routes: routesOf({ resourcePath: z.string().optional(), function: z.string().optional() }),
  outcomes: outcomesOf({ kind: z.enum(TRAFFIC_KINDS).optional() }),
});

/** Requests to an HTTP API stage, rendered into its access log (HTTP APIs have no execution logs). */
export const httpTrafficSchema = z.looseObject({
  ...trafficCommon,
  /** The callers' addresses (`$context.identity.sourceIp`), one per request in turn; any in 198.51.100.0/24 when absent. */
  sourceIps: z.array(z.string().min(1)).min(1).optional(),
  /** The matched route, `$context.routeKey`; `<method> <path>` when absent. */
  routes: routesOf({ routeKey: z.string().optional() }),
  outcomes: outcomesOf({
    /** `$context` values of this outcome, without the prefix: `integrationErrorMessage`, `authorizer.error`... */
    context: z.record(z.string(), z.union([z.string(), z.number()])).default({}),
  }),
});

/** What API Gateway does with a WebSocket `$connect` (the handshake), per attempt. */
export const WEBSOCKET_CONNECT_KINDS = [
  'ok',
  /** The authorizer's identity source is missing: 401 without calling the authorizer (W1). */
  'unauthorized',
  /** The authorizer answered Deny (W2). */
  'authorizer_deny',
  /** The authorizer function failed or may not be invoked (W3). */
  'authorizer_error',
  /** AWS_IAM on $connect refused the caller (W5). */
  'iam_denied',
  'api_key_invalid',
  /** The $connect integration answered a non-2xx status on purpose (W4). */
  'connect_rejected',
  'lambda_error',
  'missing_permission',
  'integration_timeout',
  'throttled',
] as const;

/**
 * What happens to one client message. `no_route` and `no_integration` follow from the API by
 * themselves; `route_not_deployed` is a route the API has but the stage's deployment predates
 * (it is then answered like no route at all).
 */
export const WEBSOCKET_MESSAGE_KINDS = ['ok', 'lambda_error', 'missing_permission', 'integration_timeout', 'throttled', 'bad_request_body', 'route_not_deployed'] as const;

/** How a connection ends: by the client (1001), idle 10 minutes, the 2-hour cap, a too-large message (1009), a binary frame (1003). */
export const WEBSOCKET_CLOSE_KINDS = ['client', 'idle_timeout', 'max_duration', 'too_large', 'binary_frame'] as const;

/** What a backend's `@connections` call (PostToConnection) meets. */
export const CALLBACK_KINDS = ['ok', 'gone', 'access_denied', 'wrong_endpoint', 'too_large', 'limit_exceeded'] as const;

const websocketOutcome = <T extends readonly [string, ...string[]]>(kinds: T) =>
  z.looseObject({ weight: z.number().positive().default(1), kind: z.enum(kinds).default(kinds[0] as never), status: z.number().int().min(100).max(599).optional() });

/**
 * Connections to a WebSocket API stage and the messages on them, rendered into the stage's
 * execution log, its access log (`$context.eventType` CONNECT, MESSAGE, DISCONNECT) and the
 * route functions' logs. Counts are spread evenly over the period, so connects and messages per
 * minute follow from `connections`, `messages`, `start` and `end`.
 */
export const websocketTrafficSchema = z.looseObject({
  account: accountId.optional(),
  apiId: restApiId.optional(),
  stage: nonEmpty,
  seed: z.number().int(),
  start: time.optional(),
  end: time.optional(),
  /** `$connect` attempts over the period. */
  connections: z.number().int().min(0).max(1_000_000),
  /** Client messages over the period (on the connections that were accepted). */
  messages: z.number().int().min(0).max(1_000_000).default(0),
  connect: z.array(websocketOutcome(WEBSOCKET_CONNECT_KINDS)).min(1).default([{ weight: 1, kind: 'ok' }]),
  /** What messages select (the route selection expression's value): a key the API has, or one it lacks. */
  routes: z
    .array(
      z.looseObject({
        routeKey: nonEmpty,
        weight: z.number().positive().default(1),
        /** This route's own outcomes; the spec's `message` outcomes when absent. */
        outcomes: z.array(websocketOutcome(WEBSOCKET_MESSAGE_KINDS)).min(1).optional(),
        /** This route's backend's share of posts to connections; the spec's `callbackShare` when absent. */
        callbackShare: z.number().min(0).max(1).optional(),
      }),
    )
    .default([]),
  message: z.array(websocketOutcome(WEBSOCKET_MESSAGE_KINDS)).min(1).default([{ weight: 1, kind: 'ok' }]),
  /** How accepted connections end; one DISCONNECT per accepted connection. */
  disconnect: z.array(websocketOutcome(WEBSOCKET_CLOSE_KINDS)).min(1).default([{ weight: 1, kind: 'client' }]),
  /** Share of the messages handled on one-way routes whose backend then posts to a connection (`@connections`). */
  callbackShare: z.number().min(0).max(1).default(0),
  callbacks: z.array(websocketOutcome(CALLBACK_KINDS)).min(1).default([{ weight: 1, kind: 'ok' }]),
});

const expectSchema = z.looseObject({
  findings: z.array(z.string()).optional(),
  absentFindings: z.array(z.string()).optional(),
  coverage: z.record(z.string(), z.string()).optional(),
  bundleContains: z.array(z.string()).optional(),
});

export const scenarioSchema = z.looseObject({
  name: nonEmpty,
  description: z.string().default(''),
  apiId: restApiId,
  stage: z.string().optional(),
  region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, { error: 'expected an AWS region, e.g. us-east-1' }).default('us-east-1'),
  /** The fixed clock; the default window is the 2 h before it. */
  now: time,
  /** Forces every paginated answer into pages of at most this many items. */
  pageSize: z.number().int().positive().optional(),
  /** Added to every AWS call. */
  latencyMs: z.number().int().min(0).optional(),
  /** The per-source timeout this scenario is meant to run with (latency faults beyond it); a hint for suites. */
  sourceTimeoutMs: z.number().int().positive().optional(),
  accounts: z.array(accountSchema).min(1, { error: 'expected at least one account (the first is the home account)' }),
  dns: z
    .looseObject({
      records: z
        .record(
          z.string(),
          z.looseObject({
            cname: z.array(z.string()).optional(),
            a: z.array(z.string()).optional(),
            /** A lookup that failed otherwise than "no such name" (ESERVFAIL, ETIMEOUT…), by record type. */
            cnameError: z.string().regex(/^E[A-Z]+$/, { error: 'expected a DNS error code, e.g. ESERVFAIL' }).optional(),
            aError: z.string().regex(/^E[A-Z]+$/, { error: 'expected a DNS error code, e.g. ESERVFAIL' }).optional(),
          }),
        )
        .default({}),
    })
    .optional(),
  faults: z.array(faultSchema).default([]),
  traffic: z.array(trafficSchema).default([]),
  httpTraffic: z.array(httpTrafficSchema).default([]),
  websocketTraffic: z.array(websocketTrafficSchema).default([]),
  /** CloudWatch alarms (answered by DescribeAlarms in their account: the ARN's, else the home account). */
  alarms: z
    .array(alarmSchema)
    .default([])
    .refine((alarms) => new Set(alarms.map((a) => a.AlarmArn ?? a.AlarmName)).size === alarms.length, { error: 'two alarms have the same name (alarm names are unique in an account and region)' }),
  /**
   * How Logs Insights queries end (refusals are faults on logs:StartQuery): `runningPolls`
   * GetQueryResults answers say Running before the outcome (Complete, or Failed/Timeout).
   * `answer` makes Complete answers wrong the way emulators get them wrong: `events` returns the
   * matching events (`@ptr`, `@timestamp`, …) instead of the stats columns asked for (moto does),
   * `text` returns the stats columns with words where numbers belong.
   */
  logsInsights: z
    .looseObject({
      outcome: z.enum(['Complete', 'Failed', 'Timeout']).default('Complete'),
      runningPolls: z.number().int().min(0).max(100).default(1),
      answer: z.enum(['stats', 'events', 'text']).default('stats'),
    })
    .optional(),
  /** FilterLogEvents as an emulator answers it: `ignoreStartFromHead` returns oldest first always (moto does). */
  logsFilter: z.looseObject({ ignoreStartFromHead: z.boolean().default(false) }).optional(),
  expect: expectSchema.optional(),
  /** The default window when none is asked (a recording's own); otherwise the 2 h before `now`. */
  window: z.looseObject({ since: time, until: time }).refine((w) => w.since < w.until, { error: 'window.since must be before window.until' }).optional(),
  /** Answers a recording replays verbatim (see recorded.ts). */
  recorded: recordedSchema.optional(),
});

export type Scenario = z.infer<typeof scenarioSchema>;
export type ScenarioAccount = Scenario['accounts'][number];
export type ScenarioRestApi = NonNullable<NonNullable<ScenarioAccount['apigateway']>['restApis']>[number];
export type ScenarioHttpApi = NonNullable<NonNullable<ScenarioAccount['apigatewayv2']>['apis']>[number];
export type WebsocketTrafficSpec = Scenario['websocketTraffic'][number];
export type ScenarioFunction = NonNullable<ScenarioAccount['lambda']>['functions'][number];
export type Fault = Scenario['faults'][number];
export type TrafficSpec = Scenario['traffic'][number];
export type ScenarioAlarm = Scenario['alarms'][number];
