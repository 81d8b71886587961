import type { Evidence, PolicyDocument } from '../core/evidence.js';
import { compactJson, pairs, time } from './format.js';
import { httpConfigurationLines } from './http-config-lines.js';

/**
 * The target's configuration, one fact per line: API, stages, resource policy, endpoints,
 * security groups, domains and mappings, integrations, authorizers, Lambda functions and their
 * permission verdicts, WAF, DNS verdicts. Order follows the request path (client → DNS → edge →
 * API → backend), so a truncated section loses the backend details last read.
 */
export function configurationLines(evidence: Evidence): string[] {
  const lines: string[] = [];
  const api = evidence['apigw.rest-api'];
  if (api) {
    lines.push(
      `api ${pairs({
        id: api.id,
        name: JSON.stringify(api.name),
        account: api.accountId,
        endpointTypes: api.endpointTypes,
        vpcEndpointIds: api.vpcEndpointIds,
        disableExecuteApiEndpoint: api.disableExecuteApiEndpoint,
        apiKeySource: api.apiKeySource,
      })}`,
    );
    if (api.policyParseError) lines.push(`api resource policy: unparseable (${api.policyParseError})`);
    else lines.push(...policyLines('api resource policy', api.policy));
  }
  lines.push(...httpConfigurationLines(evidence));
  const account = evidence['apigw.account'];
  if (account) {
    lines.push(
      `apigw account ${pairs({
        cloudwatchRoleArn: account.cloudwatchRoleArn ?? 'none',
        burstLimit: account.throttleSettings?.burstLimit,
        rateLimit: account.throttleSettings?.rateLimit,
      })}`,
    );
  }
  for (const stage of evidence['apigw.stages'] ?? []) {
    lines.push(
      `stage ${stage.stageName} ${pairs({
        deploymentId: stage.deploymentId,
        deploymentCreated: stage.deploymentCreatedDate ? time(stage.deploymentCreatedDate) : undefined,
        lastUpdated: stage.lastUpdatedDate ? time(stage.lastUpdatedDate) : undefined,
        loggingLevel: stage.loggingLevel,
        dataTrace: stage.dataTraceEnabled,
        accessLog: stage.accessLog?.destinationArn ?? 'off',
        webAcl: stage.webAclArn,
        canaryPercent: stage.canary?.percentTraffic,
        canaryDeployment: stage.canary?.deploymentId,
        tracing: stage.tracingEnabled,
      })}`,
    );
    for (const [key, setting] of Object.entries(stage.methodSettings)) {
      lines.push(
        `stage ${stage.stageName} methodSettings[${key}] ${pairs({
          loggingLevel: setting.loggingLevel,
          dataTrace: setting.dataTraceEnabled,
          metrics: setting.metricsEnabled,
          burstLimit: setting.throttlingBurstLimit,
          rateLimit: setting.throttlingRateLimit,
        })}`,
      );
    }
  }
  const endpoints = evidence['ec2.vpc-endpoints'];
  for (const vpce of endpoints?.endpoints ?? []) {
    lines.push(
      `vpc endpoint ${vpce.vpcEndpointId} ${pairs({
        vpc: vpce.vpcId,
        service: vpce.serviceName,
        state: vpce.state,
        privateDns: vpce.privateDnsEnabled,
        securityGroups: vpce.securityGroupIds,
        subnets: vpce.subnetIds,
        eniAddresses: vpce.eniAddresses,
        referencedByApi: vpce.referencedByApi,
        missing: vpce.missing,
        account: vpce.accountId,
        lastError: vpce.lastError,
      })}`,
    );
    lines.push(...policyLines(`vpc endpoint ${vpce.vpcEndpointId} policy`, vpce.policyDocument));
  }
  for (const vpc of endpoints?.vpcs ?? []) {
    lines.push(
      `vpc ${vpc.vpcId} ${pairs({ cidrs: vpc.cidrBlocks, dnsSupport: vpc.enableDnsSupport, dnsHostnames: vpc.enableDnsHostnames })}`,
    );
  }
  for (const sg of evidence['ec2.security-groups'] ?? []) {
    const https = sg.https.map(
      (rule) =>
        `${rule.ipProtocol}:${rule.fromPort ?? '*'}-${rule.toPort ?? '*'} from ${[...rule.cidrs, ...rule.ipv6Cidrs, ...rule.sourceGroupIds, ...rule.prefixListIds].join(',') || '-'}`,
    );
    lines.push(
      `security group ${sg.groupId} ${pairs({
        name: sg.groupName,
        vpc: sg.vpcId,
        inboundRules: sg.inboundRuleCount,
        usedBy: sg.usedBy,
      })} https443=${https.length > 0 ? https.join('; ') : 'NONE'}`,
    );
  }
  for (const domain of evidence['apigw.domains'] ?? []) {
    const mappings = domain.mappings.map((m) => `${m.basePath || '(none)'}→${m.restApiId ?? '?'}/${m.stage ?? '*'}`);
    lines.push(
      `domain ${domain.domainName} ${pairs({
        endpointTypes: domain.endpointTypes,
        status: domain.domainNameStatus,
        regionalDomainName: domain.regionalDomainName,
        distributionDomainName: domain.distributionDomainName,
        securityPolicy: domain.securityPolicy,
        mtlsTruststore: domain.mtlsTruststoreUri,
        mapsToThisApi: domain.mapsToThisApi,
      })} mappings=${mappings.join(',') || '-'}`,
    );
  }
  for (const dns of evidence['dns.custom-domains'] ?? []) {
    lines.push(
      `dns ${dns.domainName} ${pairs({
        verdict: dns.verdict,
        expected: dns.expectedTarget,
        cnames: dns.cnames,
        addresses: dns.addresses,
      })} — ${dns.detail}`,
    );
  }
  for (const waf of evidence['waf.web-acl'] ?? []) {
    const rules = waf.rules.map((r) => `${r.name}(${r.priority ?? '?'}:${r.action ?? '?'})`);
    lines.push(
      `waf stage=${waf.stage} ${pairs({ acl: waf.webAclArn, name: waf.name, defaultAction: waf.defaultAction })} rules=${rules.join(',') || '-'}`,
    );
  }
  for (const method of evidence['apigw.resources'] ?? []) {
    const integration = method.integration;
    lines.push(
      `method ${method.httpMethod} ${method.path} ${pairs({
        resourceId: method.resourceId,
        auth: method.authorizationType,
        authorizer: method.authorizerId,
        apiKeyRequired: method.apiKeyRequired,
        integration: integration?.type,
        uri: integration?.lambdaArn ? undefined : integration?.uri,
        lambda: integration?.lambdaArn,
        integrationRole: integration?.credentials,
        timeoutMs: integration?.timeoutInMillis,
        connection: integration?.connectionType,
      })}`,
    );
  }
  for (const authorizer of evidence['apigw.authorizers'] ?? []) {
    lines.push(
      `authorizer ${authorizer.id} ${pairs({
        name: authorizer.name,
        type: authorizer.type,
        lambda: authorizer.lambdaArn,
        uri: authorizer.lambdaArn ? undefined : authorizer.authorizerUri,
        identitySource: authorizer.identitySource,
        ttl: authorizer.authorizerResultTtlInSeconds,
        providers: authorizer.providerARNs,
      })}`,
    );
  }
  for (const response of evidence['apigw.gateway-responses'] ?? []) {
    if (response.defaultResponse) continue; // defaults say nothing about this API
    lines.push(`gateway response ${response.responseType} customized statusCode=${response.statusCode ?? '-'}`);
  }
  for (const plan of evidence['apigw.usage-plans'] ?? []) {
    lines.push(
      `usage plan ${plan.id} ${pairs({
        name: plan.name,
        stages: plan.apiStages.map((s) => `${s.apiId}/${s.stage}`),
        burstLimit: plan.throttle?.burstLimit,
        rateLimit: plan.throttle?.rateLimit,
        quota: plan.quota?.limit !== undefined ? `${plan.quota.limit}/${plan.quota.period ?? '?'}` : undefined,
      })}`,
    );
  }
  for (const fn of evidence['lambda.functions'] ?? []) {
    if (fn.unreadable) {
      lines.push(`lambda ${fn.functionName} unreadable: ${fn.unreadable} arn=${fn.functionArn}`);
      continue;
    }
    lines.push(
      `lambda ${fn.functionName} ${pairs({
        arn: fn.functionArn,
        usedBy: fn.usedBy,
        state: fn.state,
        stateReason: fn.stateReason,
        lastUpdateStatus: fn.lastUpdateStatus,
        runtime: fn.runtime,
        timeout: fn.timeout,
        memory: fn.memorySize,
        reservedConcurrency: fn.reservedConcurrency,
        layers: fn.layers.length > 0 ? fn.layers : undefined,
        vpcSubnets: fn.vpcConfig?.subnetIds,
        vpcSecurityGroups: fn.vpcConfig?.securityGroupIds,
      })}`,
    );
    const permission = fn.invokePermission;
    if (permission) {
      lines.push(
        `lambda ${fn.functionName} invoke permission for this API: ${permission.allowsThisApi ? 'ALLOWED' : 'MISSING'}${
          permission.matchingStatements.length > 0 ? ` statements=${permission.matchingStatements.join(',')}` : ''
        }${permission.reason ? ` — ${permission.reason}` : ''}`,
      );
      if (!permission.allowsThisApi && permission.policy) {
        lines.push(...policyLines(`lambda ${fn.functionName} policy`, permission.policy));
      }
    }
  }
  return lines;
}

/** One line per statement, compact JSON: policies are read statement by statement. */
export function policyLines(label: string, policy: PolicyDocument | null | undefined): string[] {
  if (!policy) return [`${label}: none`];
  if (policy.Statement.length === 0) return [`${label}: no statements`];
  return policy.Statement.map((statement, index) => `${label} [${statement.Sid ?? index}]: ${compactJson(statement, 800)}`);
}
