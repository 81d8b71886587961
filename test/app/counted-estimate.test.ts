import type { CountTokensCommandInput } from '@aws-sdk/client-bedrock-runtime';
import { describe, expect, it } from 'vitest';
import { countedEstimateFor, estimateFor } from '../../src/app/estimate.js';
import { loadConfig } from '../../src/config.js';
import type { ModelClient } from '../../src/model/bedrock.js';

const config = loadConfig({}, { logLevel: 'silent' });
const bundle = { text: 'ERROR (a1b2) Execution failed due to configuration error: Invalid permissions on Lambda function\n'.repeat(40) };
const noConverse = async () => {
  throw new Error('no model call while estimating');
};

describe('the approval estimate with Bedrock CountTokens', () => {
  it("uses Bedrock's count for the input, keeps the offline figure to compare, and prices and reserves from the count", async () => {
    const requests: CountTokensCommandInput[] = [];
    const client: ModelClient = {
      converse: noConverse,
      countTokens: async (input) => {
        requests.push(input);
        return { inputTokens: 2_345, $metadata: {} };
      },
    };
    const offline = estimateFor(bundle, 'small', config);
    const counted = await countedEstimateFor(bundle, 'small', config, client);
    expect(counted).toMatchObject({ counted: 'bedrock', inputTokens: 2_345, offlineInputTokens: offline.inputTokens, reservedTokens: 2_345 + offline.maxTokens });
    expect(counted.costUsd).not.toBe(offline.costUsd);
    // The request counts exactly what Converse will send, on the foundation model behind the profile.
    expect(requests[0]!.modelId).toBe(config.models.small.replace(/^us\./, ''));
    const converse = requests[0]!.input!.converse!;
    expect(JSON.stringify(converse.messages)).toContain('Invalid permissions on Lambda function');
    expect(converse.toolConfig?.tools?.length).toBeGreaterThan(0);
    expect(converse.system?.length).toBeGreaterThan(0);
  });

  it('keeps the offline estimate without Bedrock, with a client that cannot count, or when the count fails', async () => {
    const offline = estimateFor(bundle, 'large', config);
    expect(await countedEstimateFor(bundle, 'large', config, undefined)).toEqual({ ...offline, counted: 'offline' });
    expect(await countedEstimateFor(bundle, 'large', config, { converse: noConverse })).toEqual({ ...offline, counted: 'offline' });
    const refusing: ModelClient = {
      converse: noConverse,
      countTokens: async () => {
        throw Object.assign(new Error('The provided model doesn’t support counting tokens.'), { name: 'ValidationException' });
      },
    };
    expect(await countedEstimateFor(bundle, 'large', config, refusing)).toEqual({ ...offline, counted: 'offline' });
  });
});
