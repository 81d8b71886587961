import { describe, expect, it } from 'vitest';
import { httpAccessLogsSource, missingHttpDiagnostics } from '../../../src/sources/apigwv2/access-logs.js';
import { httpApiSource } from '../../../src/sources/apigwv2/api.js';
import { httpAuthorizersSource } from '../../../src/sources/apigwv2/authorizers.js';
import { httpDomainsSource } from '../../../src/sources/apigwv2/domains.js';
import { httpExecutionLogsSource } from '../../../src/sources/apigwv2/execution-logs.js';
import { httpLambdaFunctionsSource } from '../../../src/sources/apigwv2/lambda-functions.js';
import { httpRoutesSource } from '../../../src/sources/apigwv2/routes.js';
import { httpStagesSource } from '../../../src/sources/apigwv2/stages.js';
import { httpVpcLinksSource } from '../../../src/sources/apigwv2/vpc-links.js';
import { httpWebAclSource } from '../../../src/sources/apigwv2/waf.js';
import { customDomainsDnsSource } from '../../../src/sources/dns/custom-domains.js';
import { lambdaLogsSource } from '../../../src/sources/lambda/logs.js';
import { rowOf, runOnScenario } from '../../support/run-source.js';
import { account, API_ID, httpApi, httpScenario } from './fixture.js';

describe('apigwv2.api', () => {
  it('reads protocol, default endpoint and CORS from GetApi', async () => {
    const result = await runOnScenario(httpApiSource, httpScenario((s) => (httpApi(s).DisableExecuteApiEndpoint = true)));
    const row = rowOf(result, 'apigwv2.api');
    expect(row.status).toBe('ok');
    expect(row.calls).toEqual(['apigatewayv2:GetApi']);
    expect(row.reason).toContain('default execute-api endpoint disabled');
    expect(result.evidence['apigwv2.api']).toMatchObject({
      apiId: API_ID,
      protocolType: 'HTTP',
      disableExecuteApiEndpoint: true,
      apiEndpoint: `https://${API_ID}.execute-api.us-east-1.amazonaws.com`,
      cors: { allowOrigins: ['https://shop.example.com'], allowMethods: ['GET', 'POST', 'OPTIONS'] },
    });
  });

  it('says not_found with where it looked when the HTTP API does not exist', async () => {
    const row = rowOf(await runOnScenario(httpApiSource, httpScenario((s) => (account(s).apigatewayv2.apis = []))), 'apigwv2.api');
    expect(row.status).toBe('error');
    expect(row.error?.kind).toBe('not_found');
    expect(row.reason).toContain(`HTTP API ${API_ID} not found in account`);
  });

  it('names the refused IAM action', async () => {
    const row = rowOf(await runOnScenario(httpApiSource, httpScenario((s) => (s.faults = [{ operation: 'apigatewayv2:GetApi', error: 'AccessDeniedException' }]))), 'apigwv2.api');
    expect(row.error).toMatchObject({ kind: 'access_denied', action: 'apigateway:GET' });
  });
});

describe('apigwv2.stages', () => {
  it('reads auto-deploy, throttles, access log settings and the live deployment', async () => {
    const scenario = httpScenario((s) => {
      httpApi(s).stages[0].RouteSettings = { 'POST /orders': { ThrottlingRateLimit: 5, ThrottlingBurstLimit: 10, LoggingLevel: 'INFO' } };
    });
    const result = await runOnScenario(httpStagesSource, scenario);
    const row = rowOf(result, 'apigwv2.stages');
    expect(row.status).toBe('ok');
    expect(row.calls).toEqual(['apigatewayv2:GetDeployments', 'apigatewayv2:GetStages']);
    const [stage] = result.evidence['apigwv2.stages'] ?? [];
    expect(stage).toMatchObject({
      stageName: '$default',
      autoDeploy: true,
      deploymentId: 'dpl2001',
      deploymentStatus: 'DEPLOYED',
      deploymentCreatedDate: '2024-04-29T15:00:00.000Z',
      defaultRouteSettings: { throttlingRateLimit: 500, throttlingBurstLimit: 1000, detailedMetricsEnabled: true },
      // LoggingLevel is WebSocket-only: not kept.
      routeSettings: { 'POST /orders': { throttlingRateLimit: 5, throttlingBurstLimit: 10 } },
      accessLog: { destinationArn: 'arn:aws:logs:us-east-1:111111111111:log-group:/aws/http-api/orders-http' },
    });
  });

  it('names the existing stages when the target stage does not exist', async () => {
    const row = rowOf(await runOnScenario(httpStagesSource, httpScenario(), { stage: 'prod' }), 'apigwv2.stages');
    expect(row.status).toBe('error');
    expect(row.error?.kind).toBe('not_found');
    expect(row.reason).toContain('existing stages: $default');
  });

  it('is empty when the API has no stage', async () => {
    const row = rowOf(await runOnScenario(httpStagesSource, httpScenario((s) => (httpApi(s).stages = []))), 'apigwv2.stages');
    expect(row.status).toBe('empty');
    expect(row.reason).toContain('404');
  });
});

describe('apigwv2.routes', () => {
  it('joins routes to their integrations and finds the Lambda function of each', async () => {
    const result = await runOnScenario(httpRoutesSource, httpScenario((s) => (s.pageSize = 1)));
    const row = rowOf(result, 'apigwv2.routes');
    expect(row.status).toBe('ok');
    expect(row.count).toBe(3);
    const evidence = result.evidence['apigwv2.routes'];
    expect(evidence?.routes.map((r) => `${r.routeKey}→${r.integrationId}`)).toEqual(['GET /orders→int001', 'GET /orders/{id}→int001', 'POST /orders→int002']);
    // Both spellings of a Lambda integration URI name the function.
    expect(evidence?.integrations.map((i) => i.lambdaArn)).toEqual([
      'arn:aws:lambda:us-east-1:111111111111:function:orders-read',
      'arn:aws:lambda:us-east-1:111111111111:function:orders-write',
    ]);
    expect(evidence?.integrations[0]).toMatchObject({ payloadFormatVersion: '2.0', timeoutInMillis: 10000, connectionType: 'INTERNET' });
  });

  it('is empty when the API has no routes', async () => {
    const row = rowOf(await runOnScenario(httpRoutesSource, httpScenario((s) => (httpApi(s).routes = []))), 'apigwv2.routes');
    expect(row.status).toBe('empty');
  });
});

describe('apigwv2.authorizers', () => {
  it('reads JWT and Lambda authorizers', async () => {
    const scenario = httpScenario((s) =>
      httpApi(s).authorizers.push({
        AuthorizerId: 'lam1',
        Name: 'token-check',
        AuthorizerType: 'REQUEST',
        IdentitySource: ['$request.header.X-Token'],
        AuthorizerUri: 'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:111111111111:function:token-check/invocations',
        AuthorizerPayloadFormatVersion: '2.0',
        EnableSimpleResponses: true,
        AuthorizerResultTtlInSeconds: 300,
      }),
    );
    const result = await runOnScenario(httpAuthorizersSource, scenario);
    expect(rowOf(result, 'apigwv2.authorizers').reason).toContain('simple responses');
    expect(result.evidence['apigwv2.authorizers']).toMatchObject([
      { authorizerType: 'JWT', jwtIssuer: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbCdEf123', jwtAudience: ['7lk2sh4example0clientid'], identitySource: ['$request.header.Authorization'] },
      { authorizerType: 'REQUEST', lambdaArn: 'arn:aws:lambda:us-east-1:111111111111:function:token-check', enableSimpleResponses: true, authorizerResultTtlInSeconds: 300 },
    ]);
  });
});

describe('apigwv2.vpc-links', () => {
  const privateIntegration = (status: string, egress?: unknown[]) =>
    httpScenario((s) => {
      httpApi(s).integrations.push({ IntegrationId: 'int9', IntegrationType: 'HTTP_PROXY', IntegrationMethod: 'ANY', IntegrationUri: 'arn:aws:elasticloadbalancing:us-east-1:111111111111:listener/app/alb/1/2', ConnectionType: 'VPC_LINK', ConnectionId: 'vl1' });
      httpApi(s).routes.push({ RouteKey: 'GET /inventory', Target: 'integrations/int9' });
      account(s).apigatewayv2.vpcLinks = [{ VpcLinkId: 'vl1', VpcLinkStatus: status, SubnetIds: ['subnet-1'], SecurityGroupIds: ['sg-1'] }];
      account(s).ec2 = { securityGroups: [{ GroupId: 'sg-1', ...(egress ? { IpPermissionsEgress: egress } : {}) }] };
    });

  it('is not_applicable when no integration uses a VPC link', async () => {
    const row = rowOf(await runOnScenario(httpVpcLinksSource, httpScenario(), { before: [httpRoutesSource] }), 'apigwv2.vpc-links');
    expect(row.status).toBe('not_applicable');
  });

  it('reads the status and what the link security groups let out', async () => {
    const result = await runOnScenario(httpVpcLinksSource, privateIntegration('INACTIVE', []), { before: [httpRoutesSource] });
    const row = rowOf(result, 'apigwv2.vpc-links');
    expect(row.calls).toEqual(['apigatewayv2:GetVpcLink', 'ec2:DescribeSecurityGroups']);
    expect(row.reason).toContain('not available: vl1');
    expect(row.reason).toContain('no outbound TCP');
    expect(result.evidence['apigwv2.vpc-links']).toMatchObject([{ vpcLinkId: 'vl1', status: 'INACTIVE', usedBy: ['int9'], securityGroups: [{ groupId: 'sg-1', egressAllowsTcp: false }] }]);
  });

  it('takes AWS\u2019s default all-traffic egress when a group declares none', async () => {
    const result = await runOnScenario(httpVpcLinksSource, privateIntegration('AVAILABLE'), { before: [httpRoutesSource] });
    expect(result.evidence['apigwv2.vpc-links']?.[0]?.securityGroups?.[0]).toMatchObject({ egressAllowsTcp: true, egress: ['all → 0.0.0.0/0'] });
  });

  it('reports a deleted link as NOT_FOUND rather than failing', async () => {
    const scenario = privateIntegration('AVAILABLE');
    account(scenario).apigatewayv2.vpcLinks = [];
    const result = await runOnScenario(httpVpcLinksSource, scenario, { before: [httpRoutesSource] });
    expect(result.evidence['apigwv2.vpc-links']?.[0]).toMatchObject({ status: 'NOT_FOUND' });
  });
});

describe('apigwv2.domains and the DNS check', () => {
  it('lists v2 and REST domains with their API mappings, this API first', async () => {
    const scenario = httpScenario((s) => {
      account(s).apigateway = {
        domainNames: [{ domainName: 'legacy.example.com', regionalDomainName: 'd-old.execute-api.us-east-1.amazonaws.com', endpointConfiguration: { types: ['REGIONAL'] }, basePathMappings: [{ basePath: '(none)', restApiId: 'r3st0ld001', stage: 'prod' }] }],
      };
    });
    const result = await runOnScenario(httpDomainsSource, scenario);
    const row = rowOf(result, 'apigwv2.domains');
    expect(row.calls).toEqual(['apigatewayv2:GetDomainNames', 'apigatewayv2:GetApiMappings']);
    expect(result.evidence['apigwv2.domains']).toMatchObject([
      { domainName: 'orders.shop.example.com', mapsToThisApi: true, regionalDomainName: 'd-h7t2p4k9q1.execute-api.us-east-1.amazonaws.com', mappings: [{ basePath: '(none)', restApiId: API_ID, stage: '$default' }] },
      { domainName: 'legacy.example.com', mapsToThisApi: false, mappings: [{ restApiId: 'r3st0ld001' }] },
    ]);
  });

  it('judges the DNS of mapped domains with the REST path\u2019s check', async () => {
    const scenario = httpScenario((s) => (s.dns.records['orders.shop.example.com'] = { cname: ['d-old.execute-api.us-east-1.amazonaws.com'] }));
    const result = await runOnScenario(customDomainsDnsSource, scenario, { before: [httpDomainsSource] });
    expect(result.evidence['dns.custom-domains']).toMatchObject([{ domainName: 'orders.shop.example.com', verdict: 'stale' }]);
  });
});

describe('logs.access for HTTP APIs', () => {
  it('parses the stage\u2019s records and says which diagnostic fields the format lacks', async () => {
    const scenario = httpScenario((s) => (httpApi(s).stages[0].AccessLogSettings.Format = 'HTTP_JSON'));
    const result = await runOnScenario(httpAccessLogsSource, scenario, { before: [httpStagesSource] });
    const row = rowOf(result, 'logs.access');
    expect(row.status).toBe('ok');
    expect(row.count).toBe(400);
    expect(row.reason).toContain('the format lacks $context.error.message');
    expect(row.hint).toContain('$context.integrationErrorMessage');
    const [log] = result.evidence['logs.access'] ?? [];
    expect(log?.missingDiagnostics).toEqual(['$context.error.message', '$context.error.responseType', '$context.integrationErrorMessage', '$context.integration.status', '$context.authorizer.error']);
    expect(log?.records[0]?.fields.routeKey).toMatch(/^(GET|POST) \/orders/);
  });

  it('is not_configured with the fields to log when access logging is off', async () => {
    const row = rowOf(await runOnScenario(httpAccessLogsSource, httpScenario((s) => delete httpApi(s).stages[0].AccessLogSettings), { before: [httpStagesSource] }), 'logs.access');
    expect(row.status).toBe('not_configured');
    expect(row.hint).toContain('$context.authorizer.error');
  });

  it('counts either spelling of the integration error as present', () => {
    expect(missingHttpDiagnostics('{"e":"$context.integration.error","m":"$context.error.messageString"}')).not.toContain('$context.integrationErrorMessage');
    expect(missingHttpDiagnostics('{"e":"$context.integration.error","m":"$context.error.messageString"}')).not.toContain('$context.error.message');
  });
});

describe('sources that do not apply to HTTP APIs', () => {
  it('say not_applicable for execution logs and WAF, with why', async () => {
    const exec = rowOf(await runOnScenario(httpExecutionLogsSource, httpScenario()), 'logs.execution');
    expect(exec.status).toBe('not_applicable');
    expect(exec.reason).toContain('no execution logs');
    const waf = rowOf(await runOnScenario(httpWebAclSource, httpScenario()), 'waf.web-acl');
    expect(waf.status).toBe('not_applicable');
    expect(waf.calls).toEqual([]);
  });
});

describe('lambda.functions for HTTP APIs', () => {
  it('judges invoke permissions against the routes\u2019 execute-api ARNs', async () => {
    const scenario = httpScenario((s) => {
      // orders-write allows POST /orders only; a new route on it is not covered.
      httpApi(s).routes.push({ RouteKey: 'POST /refunds', Target: 'integrations/int002' });
    });
    const result = await runOnScenario(httpLambdaFunctionsSource, scenario, { before: [httpApiSource, httpRoutesSource, httpAuthorizersSource] });
    const functions = result.evidence['lambda.functions'] ?? [];
    expect(functions.find((f) => f.functionName === 'orders-read')?.invokePermission?.allowsThisApi).toBe(true);
    const write = functions.find((f) => f.functionName === 'orders-write');
    expect(write?.invokePermission?.allowsThisApi).toBe(false);
    expect(write?.invokePermission?.reason).toContain(`${API_ID}/*/POST/refunds`);
  });

  it('still reads the integration functions, and their logs, when the authorizer list is refused', async () => {
    const scenario = { ...httpScenario(() => undefined), faults: [{ operation: 'apigatewayv2:GetAuthorizers', error: 'AccessDeniedException' }] };
    const result = await runOnScenario(lambdaLogsSource, scenario, { before: [httpApiSource, httpRoutesSource, httpAuthorizersSource, httpLambdaFunctionsSource] });
    expect(rowOf(result, 'apigwv2.authorizers')).toMatchObject({ status: 'error', error: { kind: 'access_denied' } });
    const functions = rowOf(result, 'lambda.functions');
    expect(functions.status).toBe('ok');
    expect(functions.reason).toContain('authorizer functions not known: apigwv2.authorizers failed (access_denied)');
    expect(rowOf(result, 'logs.lambda').error).toBeUndefined();
  });

  it('uses the $default route\u2019s documented source ARN', async () => {
    const scenario = httpScenario((s) => {
      httpApi(s).routes = [{ RouteKey: '$default', Target: 'integrations/int001' }];
    });
    const result = await runOnScenario(httpLambdaFunctionsSource, scenario, { before: [httpApiSource, httpRoutesSource, httpAuthorizersSource], stage: '$default' });
    const read = result.evidence['lambda.functions']?.[0];
    expect(read?.invokePermission?.allowsThisApi).toBe(true);
  });
});
