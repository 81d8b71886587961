import { GetDeploymentCommand, GetDeploymentsCommand, GetStageCommand, GetStagesCommand, type Deployment, type RouteSettings, type Stage as SdkStage } from '@aws-sdk/client-apigatewayv2';
import { errorKindOf } from '../../aws/errors.js';
import type { HttpRouteSettingsEvidence, HttpStageEvidence } from '../../core/evidence.js';
import { collectPages } from '../paginate.js';
import type { Describer } from '../../core/describe.js';
import { defineSource, type SourceContext } from '../types.js';
import { recordAnswers } from '../record.js';
import { writeApigwv2Answer } from './record.js';

/** A stage as GetStages lists it or GetStage answers it (whose StageName is optional). */
type Stage = Omit<SdkStage, 'StageName'> & { StageName?: string | undefined };

const iso = (date: Date | string | undefined) => (date === undefined ? undefined : new Date(date).toISOString());

function settingsOf(s: RouteSettings | undefined): HttpRouteSettingsEvidence | undefined {
  if (!s) return undefined;
  const out: HttpRouteSettingsEvidence = {};
  if (s.ThrottlingBurstLimit !== undefined) out.throttlingBurstLimit = s.ThrottlingBurstLimit;
  if (s.ThrottlingRateLimit !== undefined) out.throttlingRateLimit = s.ThrottlingRateLimit;
  if (s.DetailedMetricsEnabled !== undefined) out.detailedMetricsEnabled = s.DetailedMetricsEnabled;
  // Execution logging: "Supported only for WebSocket APIs" (botocore); HTTP stages never set them.
  if (s.LoggingLevel !== undefined) out.loggingLevel = s.LoggingLevel;
  if (s.DataTraceEnabled !== undefined) out.dataTraceEnabled = s.DataTraceEnabled;
  return out;
}

export function toHttpStageEvidence(stage: Stage): HttpStageEvidence {
  const evidence: HttpStageEvidence = {
    stageName: stage.StageName ?? '',
    autoDeploy: stage.AutoDeploy ?? false,
    routeSettings: {},
  };
  if (stage.DeploymentId) evidence.deploymentId = stage.DeploymentId;
  if (stage.LastDeploymentStatusMessage) evidence.lastDeploymentStatusMessage = stage.LastDeploymentStatusMessage;
  const created = iso(stage.CreatedDate);
  if (created) evidence.createdDate = created;
  const updated = iso(stage.LastUpdatedDate);
  if (updated) evidence.lastUpdatedDate = updated;
  const defaults = settingsOf(stage.DefaultRouteSettings);
  if (defaults) evidence.defaultRouteSettings = defaults;
  for (const [routeKey, s] of Object.entries(stage.RouteSettings ?? {})) {
    const settings = settingsOf(s);
    if (settings) evidence.routeSettings[routeKey] = settings;
  }
  if (stage.AccessLogSettings?.DestinationArn) {
    evidence.accessLog = { destinationArn: stage.AccessLogSettings.DestinationArn };
    if (stage.AccessLogSettings.Format) evidence.accessLog.format = stage.AccessLogSettings.Format;
  }
  if (stage.StageVariables && Object.keys(stage.StageVariables).length > 0) evidence.stageVariables = { ...stage.StageVariables };
  return evidence;
}

type Lookup = { stages: Stage[] } | { missing: string; existing: string[] | undefined };

async function listStages(ctx: SourceContext): Promise<Stage[]> {
  const read = await collectPages(async (token) => {
    const out = await ctx.aws.apigatewayv2.send(new GetStagesCommand({ ApiId: ctx.target.restApiId, ...(token ? { NextToken: token } : {}) }));
    return { items: out.Items ?? [], ...(out.NextToken ? { next: out.NextToken } : {}) };
  }, ctx.limits);
  return read.items;
}

async function readStages(ctx: SourceContext): Promise<Lookup> {
  const { restApiId: ApiId, stage } = ctx.target;
  if (!stage) return { stages: await listStages(ctx) };
  try {
    return { stages: [await ctx.aws.apigatewayv2.send(new GetStageCommand({ ApiId, StageName: stage }))] };
  } catch (err) {
    if (errorKindOf(err) !== 'not_found') throw err;
    // HTTP APIs send requests for an unknown stage to $default, or answer 404 Not Found without one.
    const existing = await listStages(ctx)
      .then((stages) => stages.map((s) => s.StageName ?? '').filter(Boolean))
      .catch(() => undefined);
    return { missing: stage, existing };
  }
}

function describe(s: HttpStageEvidence): string {
  const parts = [s.autoDeploy ? 'auto-deploy' : `deployment ${s.deploymentId ?? 'none'}`];
  const d = s.defaultRouteSettings;
  if (d?.throttlingRateLimit !== undefined || d?.throttlingBurstLimit !== undefined) parts.push(`throttle ${d.throttlingRateLimit ?? '-'} rps/${d.throttlingBurstLimit ?? '-'} burst`);
  const routes = Object.keys(s.routeSettings).length;
  if (routes > 0) parts.push(`${routes} route setting(s)`);
  if (d?.loggingLevel) parts.push(`execution logging ${d.loggingLevel}`);
  parts.push(s.accessLog ? 'access log on' : 'access log off');
  if (s.lastDeploymentStatusMessage) parts.push(`last auto-deploy: ${s.lastDeploymentStatusMessage}`);
  return `${s.stageName} (${parts.join(', ')})`;
}

/**
 * v2 API stages: auto-deploy, the live deployment, throttling per route, access log settings, and
 * for WebSocket APIs execution logging and stage variables (a VPC link may be named by one).
 */
const describeV2Stages: Describer<'apigwv2.stages'> = {
  order: 24,
  lines: (stages, kit, all) => {
    const websocket = all['apigwv2.api']?.protocolType === 'WEBSOCKET';
    return stages.flatMap((stage) => {
      const d = stage.defaultRouteSettings;
      return [
        `stage ${stage.stageName} ${kit.pairs({
          autoDeploy: stage.autoDeploy,
          deploymentId: stage.deploymentId,
          deploymentCreated: stage.deploymentCreatedDate ? kit.time(stage.deploymentCreatedDate) : undefined,
          deploymentStatus: stage.deploymentStatus,
          lastDeploymentStatusMessage: stage.lastDeploymentStatusMessage ? JSON.stringify(stage.lastDeploymentStatusMessage) : undefined,
          lastUpdated: stage.lastUpdatedDate ? kit.time(stage.lastUpdatedDate) : undefined,
          rateLimit: d?.throttlingRateLimit,
          burstLimit: d?.throttlingBurstLimit,
          loggingLevel: d?.loggingLevel,
          dataTrace: d?.dataTraceEnabled,
          accessLog: stage.accessLog?.destinationArn ?? 'off',
          stageVariables: websocket && stage.stageVariables ? JSON.stringify(stage.stageVariables) : undefined,
        })}`,
        ...(stage.accessLog?.format ? [`stage ${stage.stageName} accessLogFormat=${stage.accessLog.format}`] : []),
        ...Object.entries(stage.routeSettings).map(
          ([key, s]) =>
            `stage ${stage.stageName} routeSettings[${key}] ${kit.pairs({ rateLimit: s.throttlingRateLimit, burstLimit: s.throttlingBurstLimit, detailedMetrics: s.detailedMetricsEnabled, loggingLevel: s.loggingLevel })}`,
        ),
      ];
    });
  },
};

/** HTTP and WebSocket API stages: auto-deploy, the live deployment, throttling and logging per route, access log settings. */
export const httpStagesSource = defineSource({
  id: 'apigwv2.stages',
  title: 'Stages',
  dependsOn: [],
  calls: {
    chain: 2,
    why: 'GetDeployments is read side by side with the stages; a deployment its page does not hold (or a refused list) is then read with GetDeployment, which needs the id the stage names',
    needs: 1,
  },
  after: ['apigwv2.api'],
  async run(ctx) {
    const apiId = ctx.target.restApiId;
    // The deployments (status, date) are read side by side with the stages, one page of the newest
    // 500; a stage's deployment the page does not hold is read on its own afterwards.
    const listed = ctx.aws.apigatewayv2
      .send(new GetDeploymentsCommand({ ApiId: apiId, MaxResults: '500' }))
      .then((out) => new Map<string, Deployment | undefined>((out.Items ?? []).flatMap((d) => (d.DeploymentId ? [[d.DeploymentId, d] as const] : []))))
      .catch(() => new Map<string, Deployment | undefined>());
    const label = ctx.target.apiType === 'WEBSOCKET' ? 'WebSocket API' : 'HTTP API';
    const lookup = await readStages(ctx);
    if ('missing' in lookup) {
      const existing = lookup.existing
        ? lookup.existing.length > 0
          ? `existing stages: ${lookup.existing.join(', ')}`
          : 'the API has no stages'
        : 'could not list the existing stages';
      const message = `stage ${lookup.missing} not found on ${label} ${apiId}; ${existing}`;
      return {
        status: 'error',
        reason: message,
        error: { kind: 'not_found', message },
        hint: lookup.existing?.length ? `use one of: ${lookup.existing.join(', ')}` : 'create a stage ($default with auto-deploy is the usual one)',
      };
    }
    if (lookup.stages.length === 0) {
      const effect = ctx.target.apiType === 'WEBSOCKET' ? 'no client can connect' : 'every request gets 404 Not Found';
      return { status: 'empty', evidence: [], count: 0, reason: `${label} ${apiId} has no stages: ${effect}` };
    }
    const evidence = lookup.stages.map(toHttpStageEvidence);
    const deployments = await listed;
    const unlisted = [...new Set(evidence.flatMap((s) => (s.deploymentId && !deployments.has(s.deploymentId) ? [s.deploymentId] : [])))];
    await Promise.all(
      unlisted.map(async (DeploymentId) => {
        try {
          deployments.set(DeploymentId, await ctx.aws.apigatewayv2.send(new GetDeploymentCommand({ ApiId: apiId, DeploymentId })));
        } catch (err) {
          if (errorKindOf(err) !== 'not_found') throw err;
          deployments.set(DeploymentId, undefined);
        }
      }),
    );
    for (const stage of evidence) {
      const d = stage.deploymentId ? deployments.get(stage.deploymentId) : undefined;
      const created = iso(d?.CreatedDate);
      if (created) stage.deploymentCreatedDate = created;
      if (d?.DeploymentStatus) stage.deploymentStatus = d.DeploymentStatus;
      if (d?.DeploymentStatusMessage) stage.deploymentStatusMessage = d.DeploymentStatusMessage;
    }
    return { status: 'ok', evidence, count: evidence.length, reason: evidence.map(describe).join('; ') };
  },
  describe: describeV2Stages,
  record: recordAnswers(writeApigwv2Answer),
});
