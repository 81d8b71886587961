import { describe, expect, it } from 'vitest';
import { answerSchema } from '../../src/model/answer.js';
import { buildConverseInput, callModel, estimateInputTokens } from '../../src/model/bedrock.js';
import { ModelCallError, ModelOutputError } from '../../src/model/errors.js';
import { FakeBedrock, fakeErrors, sampleAnswer } from '../support/fake-bedrock.js';
import { MODEL_IDS } from '../../src/model/prices.js';
import { ANSWER_TOOL_NAME } from '../../src/model/prompt.js';

const input = { modelId: MODEL_IDS.haiku45, bundleText: '## findings\nF1 integration missing', maxTokens: 1_000, temperature: 0.2 };
const noSleep = { sleep: async () => {} };

describe('buildConverseInput', () => {
  it('always sets maxTokens and temperature, never topP, and forces the answer tool', () => {
    const request = buildConverseInput({ ...input, addedContext: 'started after the 14:00 deploy' });
    expect(request.inferenceConfig).toEqual({ maxTokens: 1_000, temperature: 0.2 });
    expect(request.toolConfig?.toolChoice).toEqual({ tool: { name: ANSWER_TOOL_NAME } });
    const schema = request.toolConfig?.tools?.[0]?.toolSpec?.inputSchema?.json as { properties: Record<string, unknown> };
    expect(Object.keys(schema.properties)).toEqual(['summary', 'rootCause', 'evidence', 'missingData', 'nextSteps']);
    const text = request.messages?.[0]?.content?.[0]?.text ?? '';
    expect(text).toContain('F1 integration missing');
    expect(text).toContain('<engineer_context>\nstarted after the 14:00 deploy\n</engineer_context>');
  });

  it('leaves out the cache checkpoint when the static prefix is below the model minimum', () => {
    // Haiku 4.5 caches only prefixes of 4,096 tokens or more; the system prompt is far shorter.
    const request = buildConverseInput(input);
    expect(request.system?.some((block) => block.cachePoint)).toBe(false);
  });

  it('estimates input tokens as the static prefix plus the bundle', () => {
    expect(estimateInputTokens('x '.repeat(4_000))).toBeGreaterThan(estimateInputTokens('x'));
  });
});

describe('callModel with FakeBedrock', () => {
  it('parses the structured answer and reports usage including cache tokens', async () => {
    const fake = new FakeBedrock().answer(sampleAnswer('medium'), { inputTokens: 900, outputTokens: 150, cacheReadInputTokens: 40, cacheWriteInputTokens: 10 });
    const result = await callModel(fake, input, noSleep);
    expect(result.answer).toEqual(sampleAnswer('medium'));
    expect(answerSchema.parse(result.answer)).toBeTruthy();
    expect(result).toMatchObject({ truncated: false, attempts: 1, usage: { inputTokens: 900, outputTokens: 150, cacheReadTokens: 40, cacheWriteTokens: 10 } });
    expect(fake.calls).toHaveLength(1);
  });

  it('rejects a malformed answer with a typed error that still carries the usage', async () => {
    const fake = new FakeBedrock().answer({ summary: 'x', rootCause: { statement: 'y', confidence: 'certain' } }, { inputTokens: 500, outputTokens: 20 });
    const err = await callModel(fake, input, noSleep).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelOutputError);
    expect((err as ModelOutputError).message).toContain('rootCause.confidence');
    expect((err as ModelOutputError).usage).toMatchObject({ inputTokens: 500, outputTokens: 20 });
  });

  it('rejects a response without the tool call', async () => {
    const fake = new FakeBedrock().respond({
      $metadata: {},
      output: { message: { role: 'assistant', content: [{ text: 'I think it is DNS.' }] } },
      stopReason: 'end_turn',
      usage: { inputTokens: 10, outputTokens: 5, totalTokens: 15 },
      metrics: { latencyMs: 1 },
    });
    await expect(callModel(fake, input, noSleep)).rejects.toBeInstanceOf(ModelOutputError);
  });

  it('flags a max_tokens stop as truncated and keeps the fields that arrived', async () => {
    const fake = new FakeBedrock().answer({ summary: 'The stage lacks an integration' }, { outputTokens: 1_000 }, 'max_tokens');
    const result = await callModel(fake, input, noSleep);
    expect(result.truncated).toBe(true);
    expect(result.answer.summary).toBe('The stage lacks an integration');
    expect(result.answer.rootCause.confidence).toBe('low');
  });

  it('retries throttling and server errors with growing backoff, then succeeds', async () => {
    const delays: number[] = [];
    const fake = new FakeBedrock().fail(fakeErrors.throttling()).fail(fakeErrors.internal()).answer(sampleAnswer());
    const result = await callModel(fake, input, { sleep: async (ms) => void delays.push(ms), random: () => 1, baseDelayMs: 100 });
    expect(result.attempts).toBe(3);
    expect(fake.calls).toHaveLength(3);
    expect(delays).toEqual([100, 200]);
  });

  it('gives up after the last attempt with a typed, classified error', async () => {
    const fake = new FakeBedrock().fail(fakeErrors.throttling()).fail(fakeErrors.throttling()).fail(fakeErrors.throttling());
    const err = await callModel(fake, input, noSleep).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelCallError);
    expect(err).toMatchObject({ kind: 'throttled', attempts: 3 });
  });

  it('does not retry a validation error', async () => {
    const fake = new FakeBedrock().fail(fakeErrors.validation('temperature and top_p cannot both be specified for this model'));
    await expect(callModel(fake, input, noSleep)).rejects.toMatchObject({ kind: 'invalid_request', attempts: 1 });
    expect(fake.calls).toHaveLength(1);
  });

  it('fails loudly when the script runs out', async () => {
    await expect(new FakeBedrock().converse({ modelId: 'm', messages: [] })).rejects.toThrow(/no scripted response/);
  });
});
