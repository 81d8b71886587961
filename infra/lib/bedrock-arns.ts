import { PROFILE_PREFIX } from '../../src/model/prices.js';

/**
 * IAM resources for invoking one Bedrock model id. A cross-region inference profile id
 * (`us.`, `eu.`, `apac.`, `global.` …) is authorised twice: on the profile in the calling region,
 * and on the foundation model in every region the profile may route to, so the model part uses a
 * region wildcard while staying pinned to that one model.
 */
const GEO_PREFIX = PROFILE_PREFIX;

export interface BedrockArnScope {
  partition: string;
  region: string;
  account: string;
}

export function isInferenceProfileId(modelId: string): boolean {
  return GEO_PREFIX.test(modelId);
}

export function bedrockInvokeResources(modelId: string, scope: BedrockArnScope): string[] {
  // A full ARN (application inference profile, provisioned throughput) is used as given.
  if (modelId.startsWith('arn:')) return [modelId];
  const { partition, region, account } = scope;
  if (isInferenceProfileId(modelId)) {
    const foundationModel = modelId.replace(GEO_PREFIX, '');
    return [
      `arn:${partition}:bedrock:${region}:${account}:inference-profile/${modelId}`,
      `arn:${partition}:bedrock:*::foundation-model/${foundationModel}`,
    ];
  }
  return [`arn:${partition}:bedrock:${region}::foundation-model/${modelId}`];
}
