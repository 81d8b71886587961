import type { ScenarioInput } from './aws-writer.js';

/**
 * The accounts of the wire suite, described once in the scenario format: the builder writes
 * them onto moto through the AWS APIs and the same descriptions (with the ids moto assigned)
 * are the sandbox mirrors. Each case starts from one of these bases and breaks one thing.
 * Ids written here with "wire" in them are placeholders the service replaces (HTTP API,
 * endpoint, group, VPC ids...); REST API ids are kept (moto takes the id asked for).
 */
export const REGION = 'us-east-1';

type Account = ScenarioInput['accounts'][number];
type RestApi = NonNullable<NonNullable<Account['apigateway']>['restApis']>[number];
type HttpApi = NonNullable<NonNullable<Account['apigatewayv2']>['apis']>[number];
type LambdaFn = NonNullable<NonNullable<Account['lambda']>['functions']>[number];

export interface Base {
  name: string;
  accountId: string;
  now: Date;
  apiId: string;
}

const lambdaArn = (accountId: string, name: string) => `arn:aws:lambda:${REGION}:${accountId}:function:${name}`;
export const lambdaUri = (accountId: string, name: string) => `arn:aws:apigateway:${REGION}:lambda:path/2015-03-31/functions/${lambdaArn(accountId, name)}/invocations`;
export const logGroupArn = (accountId: string, name: string) => `arn:aws:logs:${REGION}:${accountId}:log-group:${name}`;

/** A Lambda function API Gateway may invoke for `sourceArn` (omit it for a function without the permission). */
export function lambdaFunction(accountId: string, name: string, sourceArn: string | undefined, extra: Partial<LambdaFn> = {}): LambdaFn {
  return {
    FunctionName: name,
    Runtime: 'nodejs20.x',
    Handler: 'index.handler',
    Role: `arn:aws:iam::${accountId}:role/${name}-role`,
    Timeout: 10,
    MemorySize: 256,
    ...(sourceArn
      ? {
          policy: {
            Version: '2012-10-17',
            Id: 'default',
            Statement: [
              {
                Sid: 'apigw-invoke',
                Effect: 'Allow',
                Principal: { Service: 'apigateway.amazonaws.com' },
                Action: 'lambda:InvokeFunction',
                Resource: lambdaArn(accountId, name),
                Condition: { ArnLike: { 'AWS:SourceArn': sourceArn } },
              },
            ],
          },
        }
      : {}),
    ...extra,
  };
}

/** The console's JSON fields plus those that say why a request failed (what B.access-logs-off recommends). */
const REST_ACCESS_FORMAT =
  '{"requestId":"$context.requestId","ip":"$context.identity.sourceIp","requestTime":"$context.requestTime","httpMethod":"$context.httpMethod","resourcePath":"$context.resourcePath","status":"$context.status","protocol":"$context.protocol","responseLength":"$context.responseLength","responseType":"$context.error.responseType","errorMessage":"$context.error.message","vpceId":"$context.identity.vpceId","wafStatus":"$context.waf.status","integrationStatus":"$context.integration.status","integrationError":"$context.integration.error","authorizerError":"$context.authorizer.error"}';

const proxy = (accountId: string, fn: string) => ({ type: 'AWS_PROXY' as const, httpMethod: 'POST', uri: lambdaUri(accountId, fn), timeoutInMillis: 29000 });

/**
 * A REGIONAL REST API that works: two Lambda proxy routes with their permissions, execution
 * logging at INFO, JSON access logs, a usage plan, a customised gateway response, a custom domain
 * mapped to the stage, and mostly-200 traffic.
 */
export function restShop(base: Base): ScenarioInput & { accounts: [Account & { apigateway: { restApis: [RestApi] } }] } {
  const { accountId, apiId, now } = base;
  const access = `/aws/apigateway/${base.name}-access`;
  const execute = (route: string) => `arn:aws:execute-api:${REGION}:${accountId}:${apiId}/*/${route}`;
  return {
    name: base.name,
    apiId,
    stage: 'prod',
    region: REGION,
    now,
    accounts: [
      {
        accountId,
        apigateway: {
          account: { cloudwatchRoleArn: `arn:aws:iam::${accountId}:role/apigateway-cloudwatch`, throttleSettings: { rateLimit: 10000, burstLimit: 5000 } },
          restApis: [
            {
              id: apiId,
              name: `${base.name}-api`,
              endpointConfiguration: { types: ['REGIONAL'] },
              apiKeySource: 'HEADER',
              disableExecuteApiEndpoint: false,
              stages: [
                {
                  stageName: 'prod',
                  deploymentId: 'wire-deployment-1',
                  methodSettings: { '*/*': { loggingLevel: 'INFO', dataTraceEnabled: false, metricsEnabled: true, throttlingRateLimit: 1000, throttlingBurstLimit: 500 } },
                  accessLogSettings: { destinationArn: logGroupArn(accountId, access), format: REST_ACCESS_FORMAT },
                },
              ],
              deployments: [{ id: 'wire-deployment-1', createdDate: new Date(now.getTime() - 86_400_000).toISOString(), description: 'release' }],
              resources: [
                { path: '/' },
                { path: '/users', resourceMethods: { GET: { authorizationType: 'NONE', apiKeyRequired: false, methodIntegration: proxy(accountId, `${base.name}-users`) } } },
                { path: '/orders', resourceMethods: { POST: { authorizationType: 'NONE', apiKeyRequired: false, methodIntegration: proxy(accountId, `${base.name}-orders`) } } },
              ],
              gatewayResponses: [{ responseType: 'DEFAULT_4XX', statusCode: '400', responseParameters: { 'gatewayresponse.header.Access-Control-Allow-Origin': "'*'" }, defaultResponse: false }],
            },
          ],
          usagePlans: [{ id: 'wire-usage-plan', name: `${base.name}-partners`, apiStages: [{ apiId, stage: 'prod' }], throttle: { rateLimit: 100, burstLimit: 50 }, quota: { limit: 100000, period: 'DAY' } }],
          domainNames: [
            {
              domainName: `api.${base.name}.wire.example`,
              endpointConfiguration: { types: ['REGIONAL'] },
              securityPolicy: 'TLS_1_2',
              domainNameStatus: 'AVAILABLE',
              basePathMappings: [{ basePath: '(none)', restApiId: apiId, stage: 'prod' }],
            },
          ],
        },
        logs: { groups: [{ logGroupName: access, events: [] }] },
        lambda: {
          functions: [lambdaFunction(accountId, `${base.name}-users`, execute('GET/users')), lambdaFunction(accountId, `${base.name}-orders`, execute('POST/orders'))],
        },
      },
    ],
    traffic: [
      {
        stage: 'prod',
        requests: 200,
        seed: 42,
        routes: [
          { method: 'GET', path: '/users', weight: 3 },
          { method: 'POST', path: '/orders', weight: 1 },
        ],
        outcomes: [
          { weight: 97, status: 200 },
          { weight: 3, status: 400 },
        ],
      },
    ],
  };
}

/** The private flavour: PRIVATE, behind an execute-api interface endpoint in its VPC, allowed by the resource policy. */
export function privateShop(base: Base, options: { flowLogs?: boolean } = {}): ReturnType<typeof restShop> {
  const s = restShop(base);
  const account = s.accounts[0];
  const api = account.apigateway.restApis[0];
  api.endpointConfiguration = { types: ['PRIVATE'], vpcEndpointIds: ['vpce-0wire0000000001'] };
  api.policy = {
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke', Resource: `arn:aws:execute-api:${REGION}:${base.accountId}:${base.apiId}/*`, Condition: { StringEquals: { 'aws:SourceVpce': 'vpce-0wire0000000001' } } },
    ],
  };
  // A private API has no public custom domain here: the callers use the endpoint's DNS.
  delete account.apigateway.domainNames;
  const flowGroup = `/vpc/${base.name}-flow-logs`;
  account.ec2 = {
    vpcs: [{ VpcId: 'vpc-0wire00000001', CidrBlock: '10.20.0.0/16' }],
    subnets: [
      { SubnetId: 'subnet-0wire0000001', VpcId: 'vpc-0wire00000001', CidrBlock: '10.20.1.0/24', AvailabilityZone: `${REGION}a` },
      { SubnetId: 'subnet-0wire0000002', VpcId: 'vpc-0wire00000001', CidrBlock: '10.20.2.0/24', AvailabilityZone: `${REGION}b` },
    ],
    securityGroups: [
      {
        GroupId: 'sg-0wire0endpoint',
        GroupName: `${base.name}-endpoint`,
        Description: 'execute-api endpoint',
        VpcId: 'vpc-0wire00000001',
        IpPermissions: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '10.20.0.0/16' }] }],
      },
    ],
    vpcEndpoints: [
      {
        VpcEndpointId: 'vpce-0wire0000000001',
        VpcId: 'vpc-0wire00000001',
        ServiceName: `com.amazonaws.${REGION}.execute-api`,
        SubnetIds: ['subnet-0wire0000001', 'subnet-0wire0000002'],
        Groups: [{ GroupId: 'sg-0wire0endpoint' }],
        PrivateDnsEnabled: true,
      },
    ],
    ...(options.flowLogs ? { flowLogs: [{ FlowLogId: 'fl-0wire000001', ResourceId: 'vpc-0wire00000001', TrafficType: 'ALL', LogDestinationType: 'cloud-watch-logs', LogGroupName: flowGroup }] } : {}),
  };
  if (options.flowLogs) account.logs?.groups?.push({ logGroupName: flowGroup, events: [] });
  const [spec] = s.traffic ?? [];
  if (spec) spec.vpceId = 'vpce-0wire0000000001';
  return s;
}

/** Access log fields that explain HTTP API failures (the console presets carry none of them). */
const HTTP_ACCESS_FORMAT =
  '{"requestId":"$context.requestId","ip":"$context.identity.sourceIp","requestTime":"$context.requestTime","httpMethod":"$context.httpMethod","routeKey":"$context.routeKey","path":"$context.path","status":"$context.status","responseLength":"$context.responseLength","error":"$context.error.message","responseType":"$context.error.responseType","integrationError":"$context.integrationErrorMessage","integrationStatus":"$context.integration.status","integrationLatency":"$context.integration.latency","authorizerError":"$context.authorizer.error"}';

type HttpTraffic = NonNullable<ScenarioInput['httpTraffic']>[number];

/** Requests to the shop's HTTP API routes, three reads for one write, with these outcomes. */
export function shopHttpTraffic(requests: number, seed: number, outcomes: HttpTraffic['outcomes']): HttpTraffic {
  return {
    stage: '$default',
    requests,
    seed,
    routes: [
      { method: 'GET', path: '/orders', routeKey: 'GET /orders', weight: 3 },
      { method: 'POST', path: '/orders', routeKey: 'POST /orders', weight: 1 },
    ],
    outcomes,
  };
}

/** The HTTP API id in descriptions: moto assigns its own (8 characters), the mirror takes that. */
export const HTTP_API_PLACEHOLDER = 'wirehttpapi0';

/**
 * An HTTP API that works: `$default` stage with auto-deploy and throttling, Lambda proxy routes
 * (payload 2.0) with their permissions, a JWT authorizer on POST, CORS, diagnostic access logs,
 * a custom domain mapped to the stage, mostly-200 traffic.
 */
export function httpShop(base: Omit<Base, 'apiId'>): ScenarioInput & { accounts: [Account & { apigatewayv2: { apis: [HttpApi] } }] } {
  const { accountId, now } = base;
  const apiId = HTTP_API_PLACEHOLDER;
  const access = `/aws/http-api/${base.name}`;
  const source = (route: string) => `arn:aws:execute-api:${REGION}:${accountId}:${apiId}/*/${route}`;
  return {
    name: base.name,
    apiId,
    region: REGION,
    now,
    accounts: [
      {
        accountId,
        apigatewayv2: {
          apis: [
            {
              ApiId: apiId,
              Name: `${base.name}-http`,
              ProtocolType: 'HTTP',
              DisableExecuteApiEndpoint: false,
              CorsConfiguration: { AllowOrigins: ['https://shop.wire.example'], AllowMethods: ['GET', 'POST', 'OPTIONS'], AllowHeaders: ['authorization', 'content-type'], MaxAge: 3600 },
              stages: [
                {
                  StageName: '$default',
                  AutoDeploy: true,
                  DefaultRouteSettings: { DetailedMetricsEnabled: true, ThrottlingRateLimit: 500, ThrottlingBurstLimit: 1000 },
                  AccessLogSettings: { DestinationArn: logGroupArn(accountId, access), Format: HTTP_ACCESS_FORMAT },
                },
              ],
              routes: [
                { RouteId: 'wireroute01', RouteKey: 'GET /orders', AuthorizationType: 'NONE', Target: 'integrations/wireint01' },
                { RouteId: 'wireroute02', RouteKey: 'POST /orders', AuthorizationType: 'JWT', AuthorizerId: 'wirejwt01', Target: 'integrations/wireint02' },
              ],
              integrations: [
                { IntegrationId: 'wireint01', IntegrationType: 'AWS_PROXY', IntegrationUri: lambdaArn(accountId, `${base.name}-read`), PayloadFormatVersion: '2.0', TimeoutInMillis: 10000 },
                { IntegrationId: 'wireint02', IntegrationType: 'AWS_PROXY', IntegrationUri: lambdaArn(accountId, `${base.name}-write`), PayloadFormatVersion: '2.0', TimeoutInMillis: 10000 },
              ],
              authorizers: [
                {
                  AuthorizerId: 'wirejwt01',
                  Name: 'cognito',
                  AuthorizerType: 'JWT',
                  IdentitySource: ['$request.header.Authorization'],
                  JwtConfiguration: { Issuer: `https://cognito-idp.${REGION}.amazonaws.com/${REGION}_WireP00l`, Audience: ['wireclientid'] },
                },
              ],
            },
          ],
          domainNames: [
            {
              DomainName: `orders.${base.name}.wire.example`,
              DomainNameConfigurations: [{ EndpointType: 'REGIONAL', SecurityPolicy: 'TLS_1_2', DomainNameStatus: 'AVAILABLE' }],
              apiMappings: [{ ApiMappingId: 'wiremap01', ApiId: apiId, Stage: '$default', ApiMappingKey: '' }],
            },
          ],
        },
        logs: { groups: [{ logGroupName: access, events: [] }] },
        lambda: {
          functions: [lambdaFunction(accountId, `${base.name}-read`, source('*')), lambdaFunction(accountId, `${base.name}-write`, source('POST/orders'))],
        },
      },
    ],
    httpTraffic: [
      shopHttpTraffic(200, 7, [
        { weight: 97, status: 200 },
        { weight: 3, status: 400, context: { 'integration.status': 400, 'integration.latency': 35 } },
      ]),
    ],
  };
}

/** The WebSocket API id in descriptions: moto assigns its own (8 characters), the mirror takes that. */
export const WEBSOCKET_API_PLACEHOLDER = 'wirewsapi00';

const WEBSOCKET_ACCESS_FORMAT =
  '{"requestId":"$context.requestId","eventType":"$context.eventType","connectionId":"$context.connectionId","connectedAt":"$context.connectedAt","routeKey":"$context.routeKey","messageId":"$context.messageId","status":"$context.status","errorMessage":"$context.error.message","responseType":"$context.error.responseType","integrationError":"$context.integration.error","integrationStatus":"$context.integration.status","integrationLatency":"$context.integration.latency","authorizerError":"$context.authorizer.error"}';

/**
 * A WebSocket chat API that works: `$connect`, `$disconnect`, `sendmessage` and `$default` routes
 * on Lambda proxy integrations with their permissions (`…/*\/<routeKey>`), execution logging at
 * INFO through the account's CloudWatch role, diagnostic access logs, and mostly-good traffic
 * (connects, messages, disconnects; the chat function posts back to connections).
 */
export function websocketChat(base: Omit<Base, 'apiId'>): ScenarioInput {
  const { accountId, now } = base;
  const apiId = WEBSOCKET_API_PLACEHOLDER;
  const access = `/aws/websocket/${base.name}`;
  const source = (route: string) => `arn:aws:execute-api:${REGION}:${accountId}:${apiId}/*/${route}`;
  const integration = (id: string, fn: string) => ({ IntegrationId: id, IntegrationType: 'AWS_PROXY' as const, IntegrationUri: lambdaUri(accountId, fn), TimeoutInMillis: 10000 });
  return {
    name: base.name,
    apiId,
    region: REGION,
    now,
    accounts: [
      {
        accountId,
        apigateway: { account: { cloudwatchRoleArn: `arn:aws:iam::${accountId}:role/apigw-cloudwatch` } },
        apigatewayv2: {
          apis: [
            {
              ApiId: apiId,
              Name: `${base.name}-ws`,
              ProtocolType: 'WEBSOCKET',
              RouteSelectionExpression: '$request.body.action',
              stages: [
                {
                  StageName: 'production',
                  DefaultRouteSettings: { LoggingLevel: 'INFO', DataTraceEnabled: false, ThrottlingRateLimit: 500, ThrottlingBurstLimit: 1000 },
                  AccessLogSettings: { DestinationArn: logGroupArn(accountId, access), Format: WEBSOCKET_ACCESS_FORMAT },
                },
              ],
              routes: [
                { RouteId: 'wirewsr01', RouteKey: '$connect', AuthorizationType: 'NONE', Target: 'integrations/wirewsi01' },
                { RouteId: 'wirewsr02', RouteKey: '$disconnect', AuthorizationType: 'NONE', Target: 'integrations/wirewsi01' },
                { RouteId: 'wirewsr03', RouteKey: 'sendmessage', AuthorizationType: 'NONE', Target: 'integrations/wirewsi02' },
                { RouteId: 'wirewsr04', RouteKey: '$default', AuthorizationType: 'NONE', Target: 'integrations/wirewsi02' },
              ],
              integrations: [integration('wirewsi01', `${base.name}-connection`), integration('wirewsi02', `${base.name}-chat`)],
            },
          ],
        },
        logs: { groups: [{ logGroupName: access, events: [] }] },
        lambda: {
          functions: [lambdaFunction(accountId, `${base.name}-connection`, source('$*')), lambdaFunction(accountId, `${base.name}-chat`, source('*'))],
        },
        // The chat backend answers through @connections: its role may post to the stage's connections.
        iam: {
          roles: [
            { RoleName: `${base.name}-connection-role` },
            {
              RoleName: `${base.name}-chat-role`,
              inlinePolicies: [
                {
                  PolicyName: 'post-to-connections',
                  PolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'execute-api:ManageConnections', Resource: `arn:aws:execute-api:${REGION}:${accountId}:${apiId}/production/*/@connections/*` }] },
                },
              ],
            },
          ],
        },
      },
    ],
    websocketTraffic: [
      {
        stage: 'production',
        seed: 26,
        connections: 60,
        messages: 240,
        connect: [{ weight: 1, kind: 'ok' }],
        routes: [
          { routeKey: 'sendmessage', weight: 4 },
          { routeKey: 'typing', weight: 1 },
        ],
        message: [
          { weight: 99, kind: 'ok' },
          { weight: 1, kind: 'lambda_error' },
        ],
        disconnect: [{ weight: 1, kind: 'client' }],
        callbackShare: 0.5,
        callbacks: [{ weight: 1, kind: 'ok' }],
      },
    ],
  };
}
