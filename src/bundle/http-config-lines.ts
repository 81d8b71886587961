import type { Evidence } from '../core/evidence.js';
import { compactJson, pairs, time } from './format.js';

/**
 * An HTTP or WebSocket API's configuration, one fact per line, in the order a request meets it:
 * API (default endpoint, CORS or route selection), custom domains and mappings, stages (deploy,
 * throttles, logging, access log), routes with their integrations (and a WebSocket route's
 * responses), authorizers, VPC links, the backends' ManageConnections grants. Empty for a REST API.
 */
export function httpConfigurationLines(evidence: Evidence): string[] {
  const lines: string[] = [];
  const api = evidence['apigwv2.api'];
  const websocket = api?.protocolType === 'WEBSOCKET';
  if (api) {
    lines.push(
      `${websocket ? 'websocket' : 'http'} api ${pairs({
        id: api.apiId,
        name: JSON.stringify(api.name),
        account: api.accountId,
        protocol: api.protocolType,
        endpoint: api.apiEndpoint,
        disableExecuteApiEndpoint: api.disableExecuteApiEndpoint,
        routeSelection: websocket ? api.routeSelectionExpression : undefined,
        apiKeySelectionExpression: websocket ? api.apiKeySelectionExpression : undefined,
      })}`,
    );
    const cors = api.cors;
    if (!websocket) lines.push(
      cors
        ? `http api cors ${pairs({ allowOrigins: cors.allowOrigins, allowMethods: cors.allowMethods, allowHeaders: cors.allowHeaders, exposeHeaders: cors.exposeHeaders, allowCredentials: cors.allowCredentials, maxAge: cors.maxAge })}`
        : 'http api cors: none (the integration must answer OPTIONS and send CORS headers itself)',
    );
  }
  for (const domain of evidence['apigwv2.domains'] ?? []) {
    const mappings = domain.mappings.map((m) => `${m.basePath || '(none)'}→${m.restApiId ?? '?'}/${m.stage ?? '*'}`);
    lines.push(
      `domain ${domain.domainName} ${pairs({
        endpointTypes: domain.endpointTypes,
        status: domain.domainNameStatus,
        apiGatewayDomainName: domain.regionalDomainName ?? domain.distributionDomainName,
        securityPolicy: domain.securityPolicy,
        mtlsTruststore: domain.mtlsTruststoreUri,
        mapsToThisApi: domain.mapsToThisApi,
      })} apiMappings=${mappings.join(',') || '-'}`,
    );
  }
  for (const stage of evidence['apigwv2.stages'] ?? []) {
    const d = stage.defaultRouteSettings;
    lines.push(
      `stage ${stage.stageName} ${pairs({
        autoDeploy: stage.autoDeploy,
        deploymentId: stage.deploymentId,
        deploymentCreated: stage.deploymentCreatedDate ? time(stage.deploymentCreatedDate) : undefined,
        deploymentStatus: stage.deploymentStatus,
        lastDeploymentStatusMessage: stage.lastDeploymentStatusMessage ? JSON.stringify(stage.lastDeploymentStatusMessage) : undefined,
        lastUpdated: stage.lastUpdatedDate ? time(stage.lastUpdatedDate) : undefined,
        rateLimit: d?.throttlingRateLimit,
        burstLimit: d?.throttlingBurstLimit,
        loggingLevel: d?.loggingLevel,
        dataTrace: d?.dataTraceEnabled,
        accessLog: stage.accessLog?.destinationArn ?? 'off',
        stageVariables: websocket && stage.stageVariables ? JSON.stringify(stage.stageVariables) : undefined,
      })}`,
    );
    if (stage.accessLog?.format) lines.push(`stage ${stage.stageName} accessLogFormat=${stage.accessLog.format}`);
    for (const [key, s] of Object.entries(stage.routeSettings)) {
      lines.push(`stage ${stage.stageName} routeSettings[${key}] ${pairs({ rateLimit: s.throttlingRateLimit, burstLimit: s.throttlingBurstLimit, detailedMetrics: s.detailedMetricsEnabled, loggingLevel: s.loggingLevel })}`);
    }
  }
  const routes = evidence['apigwv2.routes'];
  const integrations = new Map((routes?.integrations ?? []).map((i) => [i.integrationId, i]));
  for (const route of routes?.routes ?? []) {
    const i = route.integrationId ? integrations.get(route.integrationId) : undefined;
    lines.push(
      `route ${route.routeKey} ${pairs({
        routeId: route.routeId,
        auth: route.authorizationType,
        authorizer: route.authorizerId,
        scopes: route.authorizationScopes.length ? route.authorizationScopes : undefined,
        apiKeyRequired: route.apiKeyRequired,
        target: route.target ?? 'none',
        // WebSocket: two-way only with a $default route response.
        routeResponses: websocket && isMessageRoute(route.routeKey) ? (route.routeResponses?.map((r) => r.responseKey).join(',') || 'none (one-way)') : undefined,
      })}${
        i
          ? ` integration ${pairs({
              type: i.integrationType,
              uri: i.integrationUri,
              method: i.integrationMethod,
              subtype: i.integrationSubtype,
              payloadFormatVersion: i.payloadFormatVersion,
              timeoutMs: i.timeoutInMillis,
              connectionType: i.connectionType,
              connectionId: i.connectionId,
              credentials: i.credentialsArn,
              tlsServerName: i.tlsServerNameToVerify,
              requestParameters: i.requestParameters ? JSON.stringify(i.requestParameters) : undefined,
              passthrough: i.passthroughBehavior,
              templateSelection: i.templateSelectionExpression,
              integrationResponses: i.integrationResponses?.map((r) => r.responseKey).join(','),
            })}`
          : ''
      }`,
    );
  }
  for (const a of evidence['apigwv2.authorizers'] ?? []) {
    lines.push(
      `authorizer ${a.authorizerId} ${pairs({
        name: JSON.stringify(a.name),
        type: a.authorizerType,
        identitySource: a.identitySource,
        issuer: a.jwtIssuer,
        audience: a.jwtAudience.length ? a.jwtAudience : undefined,
        uri: a.authorizerUri,
        payloadFormatVersion: a.authorizerPayloadFormatVersion,
        simpleResponses: a.enableSimpleResponses,
        ttl: a.authorizerResultTtlInSeconds,
        credentials: a.authorizerCredentialsArn,
      })}`,
    );
  }
  for (const link of evidence['apigwv2.vpc-links'] ?? []) {
    lines.push(
      `vpc link ${link.vpcLinkId} ${pairs({
        name: link.name,
        version: link.version,
        status: link.status,
        statusMessage: link.statusMessage ? JSON.stringify(link.statusMessage) : undefined,
        subnets: link.subnetIds,
        securityGroups: link.securityGroupIds,
        usedBy: link.usedBy,
        targets: link.targetArns,
        unreadable: link.unreadable,
      })}`,
    );
    for (const g of link.securityGroups ?? []) lines.push(`vpc link ${link.vpcLinkId} security group ${g.groupId} egress=${g.egress.join('; ') || 'NONE'}`);
  }
  for (const role of evidence['iam.manage-connections'] ?? []) {
    const grants = role.statements.map((st) => `${st.Effect} ${compactJson({ Action: st.Action ?? st.NotAction, Resource: st.Resource ?? st.NotResource }, 300)} (${st.policy})`);
    lines.push(`backend ${role.functionName} role=${role.roleArn} executeApiManageConnections=${grants.join('; ') || 'none'}${role.unreadable?.length ? ` unreadable=${role.unreadable.join('; ')}` : ''}`);
  }
  return lines;
}

const isMessageRoute = (routeKey: string) => routeKey !== '$connect' && routeKey !== '$disconnect';
