import { GetDeploymentCommand, GetDeploymentsCommand, GetStageCommand, GetStagesCommand, type Stage } from '@aws-sdk/client-api-gateway';
import { errorKindOf } from '../../aws/errors.js';
import type { MethodSettingEvidence, StageEvidence } from '../../core/evidence.js';
import type { Describer } from '../../core/describe.js';
import { defineSource, type SourceContext } from '../types.js';
import { recordAnswers } from '../record.js';
import { writeApigwAnswer } from './record.js';

/** The key API Gateway uses for settings that apply to every method of a stage. */
export const ALL_METHODS = '*/*';

function methodSettingsOf(stage: Stage): Record<string, MethodSettingEvidence> {
  const settings: Record<string, MethodSettingEvidence> = {};
  for (const [key, s] of Object.entries(stage.methodSettings ?? {})) {
    const entry: MethodSettingEvidence = {};
    if (s.loggingLevel !== undefined) entry.loggingLevel = s.loggingLevel;
    if (s.dataTraceEnabled !== undefined) entry.dataTraceEnabled = s.dataTraceEnabled;
    if (s.metricsEnabled !== undefined) entry.metricsEnabled = s.metricsEnabled;
    if (s.throttlingBurstLimit !== undefined) entry.throttlingBurstLimit = s.throttlingBurstLimit;
    if (s.throttlingRateLimit !== undefined) entry.throttlingRateLimit = s.throttlingRateLimit;
    settings[key] = entry;
  }
  return settings;
}

export function toStageEvidence(stage: Stage): StageEvidence {
  const methodSettings = methodSettingsOf(stage);
  const all = methodSettings[ALL_METHODS];
  const evidence: StageEvidence = {
    stageName: stage.stageName ?? '',
    // No "*/*" entry means logging was never turned on for the stage: AWS's default is OFF.
    loggingLevel: all?.loggingLevel ?? 'OFF',
    dataTraceEnabled: all?.dataTraceEnabled ?? false,
    methodSettings,
  };
  if (stage.deploymentId) evidence.deploymentId = stage.deploymentId;
  if (stage.lastUpdatedDate) evidence.lastUpdatedDate = stage.lastUpdatedDate.toISOString();
  if (stage.accessLogSettings?.destinationArn) {
    evidence.accessLog = { destinationArn: stage.accessLogSettings.destinationArn };
    if (stage.accessLogSettings.format) evidence.accessLog.format = stage.accessLogSettings.format;
  }
  if (stage.webAclArn) evidence.webAclArn = stage.webAclArn;
  if (stage.canarySettings) {
    evidence.canary = {};
    if (stage.canarySettings.percentTraffic !== undefined) evidence.canary.percentTraffic = stage.canarySettings.percentTraffic;
    if (stage.canarySettings.deploymentId) evidence.canary.deploymentId = stage.canarySettings.deploymentId;
  }
  if (stage.tracingEnabled !== undefined) evidence.tracingEnabled = stage.tracingEnabled;
  return evidence;
}

type StageLookup = { stages: Stage[] } | { missing: string; existing: string[] | undefined };

async function readStages(ctx: SourceContext): Promise<StageLookup> {
  const { restApiId, stage } = ctx.target;
  if (!stage) {
    const out = await ctx.aws.apigateway.send(new GetStagesCommand({ restApiId }));
    return { stages: out.item ?? [] };
  }
  try {
    return { stages: [await ctx.aws.apigateway.send(new GetStageCommand({ restApiId, stageName: stage }))] };
  } catch (err) {
    if (errorKindOf(err) !== 'not_found') throw err;
    // A wrong stage name is a diagnosis in itself (403 Missing Authentication Token); name the real ones.
    const existing = await ctx.aws.apigateway
      .send(new GetStagesCommand({ restApiId }))
      .then((out) => (out.item ?? []).map((s) => s.stageName ?? '').filter(Boolean))
      .catch(() => undefined);
    return { missing: stage, existing };
  }
}

const describeStages: Describer<'apigw.stages'> = {
  order: 50,
  lines: (stages, kit) =>
    stages.flatMap((stage) => [
      `stage ${stage.stageName} ${kit.pairs({
        deploymentId: stage.deploymentId,
        deploymentCreated: stage.deploymentCreatedDate ? kit.time(stage.deploymentCreatedDate) : undefined,
        lastUpdated: stage.lastUpdatedDate ? kit.time(stage.lastUpdatedDate) : undefined,
        loggingLevel: stage.loggingLevel,
        dataTrace: stage.dataTraceEnabled,
        accessLog: stage.accessLog?.destinationArn ?? 'off',
        webAcl: stage.webAclArn,
        canaryPercent: stage.canary?.percentTraffic,
        canaryDeployment: stage.canary?.deploymentId,
        tracing: stage.tracingEnabled,
      })}`,
      ...Object.entries(stage.methodSettings).map(
        ([key, setting]) =>
          `stage ${stage.stageName} methodSettings[${key}] ${kit.pairs({
            loggingLevel: setting.loggingLevel,
            dataTrace: setting.dataTraceEnabled,
            metrics: setting.metricsEnabled,
            burstLimit: setting.throttlingBurstLimit,
            rateLimit: setting.throttlingRateLimit,
          })}`,
      ),
    ]),
};

/** Why an API has no stage: never deployed, or deployed and its stages deleted (one cheap read to tell). */
async function noStageReason(ctx: SourceContext): Promise<string> {
  const { restApiId } = ctx.target;
  const deployments = await ctx.aws.apigateway
    .send(new GetDeploymentsCommand({ restApiId, limit: 1 }))
    .then((out) => (out.items ?? []).length)
    .catch(() => undefined);
  if (deployments === 0) return `API ${restApiId} has no stages and no deployment: it was never deployed`;
  if (deployments === undefined) return `API ${restApiId} has no stages: it was never deployed (or its stages were deleted)`;
  return `API ${restApiId} has no stages: it has deployments, but none is on a stage`;
}

export const stagesSource = defineSource({
  id: 'apigw.stages',
  title: 'Stages',
  dependsOn: [],
  calls: {
    chain: 2,
    why: 'GetDeployments is read side by side with the stages; a deployment its page does not hold (or a refused list) is then read with GetDeployment, which needs the id the stage names',
    needs: 1,
  },
  after: ['apigw.rest-api'],
  async run(ctx) {
    const { restApiId } = ctx.target;
    // Deployment dates tell whether a later config change was ever deployed. The list is read side
    // by side with the stages (the newest 500, one page); an id it does not hold is read on its own.
    const listed = ctx.aws.apigateway
      .send(new GetDeploymentsCommand({ restApiId, limit: 500 }))
      .then((out) => new Map((out.items ?? []).flatMap((d) => (d.id ? [[d.id, d.createdDate?.toISOString()] as const] : []))))
      .catch(() => new Map<string, string | undefined>());
    const lookup = await readStages(ctx);
    if ('missing' in lookup) {
      const existing = lookup.existing
        ? lookup.existing.length > 0
          ? `existing stages: ${lookup.existing.join(', ')}`
          : 'the API has no stages (never deployed)'
        : 'could not list the existing stages';
      const message = `stage ${lookup.missing} not found on API ${restApiId}; ${existing}`;
      return {
        status: 'error',
        reason: message,
        error: { kind: 'not_found', message },
        hint: lookup.existing?.length ? `use one of: ${lookup.existing.join(', ')}` : 'deploy the API to a stage first',
        // Known to have no stage at all: rules can tell a wrong stage name from a never-deployed API.
        ...(lookup.existing?.length === 0 ? { evidence: [] } : {}),
      };
    }
    if (lookup.stages.length === 0) {
      return { status: 'empty', evidence: [], count: 0, reason: await noStageReason(ctx) };
    }
    const evidence = lookup.stages.map(toStageEvidence);
    const created = await listed;
    const unlisted = [...new Set(evidence.flatMap((s) => (s.deploymentId && !created.has(s.deploymentId) ? [s.deploymentId] : [])))];
    await Promise.all(
      unlisted.map(async (deploymentId) => {
        const d = await ctx.aws.apigateway.send(new GetDeploymentCommand({ restApiId, deploymentId }));
        created.set(deploymentId, d.createdDate?.toISOString());
      }),
    );
    for (const stage of evidence) {
      const date = stage.deploymentId ? created.get(stage.deploymentId) : undefined;
      if (date) stage.deploymentCreatedDate = date;
    }
    const summary = evidence.map((s) => {
      const access = s.accessLog ? 'access log on' : 'access log off';
      return `${s.stageName} (logging ${s.loggingLevel}, ${access}${s.webAclArn ? ', WAF' : ''}${s.canary ? ', canary' : ''})`;
    });
    return { status: 'ok', evidence, count: evidence.length, reason: summary.join('; ') };
  },
  describe: describeStages,
  record: recordAnswers(writeApigwAnswer),
});
