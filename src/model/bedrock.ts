import {
  BedrockRuntimeClient,
  ConverseCommand,
  CountTokensCommand,
  type ConverseCommandInput,
  type ConverseCommandOutput,
  type CountTokensCommandInput,
  type CountTokensCommandOutput,
  type SystemContentBlock,
} from '@aws-sdk/client-bedrock-runtime';
import { errorKindOf } from '../aws/errors.js';
import { estimateTokens } from '../bundle/tokens.js';
import { answerJsonSchema, answerSchema, answerToolConfig, type Answer } from './answer.js';
import { ModelCallError, ModelOutputError, type ModelFailureKind } from './errors.js';
import { minCacheTokens, PROFILE_PREFIX } from './prices.js';
import { ANSWER_TOOL_NAME, SYSTEM_PROMPT, userMessage } from './prompt.js';
import { fromConverseUsage, type ModelUsage } from './usage.js';

/** The one thing the analysis needs from Bedrock; FakeBedrock stands in for it in tests and the demo. */
export interface ModelClient {
  converse(input: ConverseCommandInput): Promise<ConverseCommandOutput>;
  /** Bedrock CountTokens, for the exact input size before approval; absent on stand-ins without it. */
  countTokens?(input: CountTokensCommandInput): Promise<CountTokensCommandOutput>;
}

/**
 * The real client. The SDK's own retries are turned off (maxAttempts 1) because `callModel`
 * retries with backoff itself: every attempt runs against one quota reservation, and the number of
 * attempts is part of what the person is told when it fails; stacking both would multiply them.
 */
export function createBedrockModelClient({ region }: { region?: string } = {}): ModelClient {
  const client = new BedrockRuntimeClient({ ...(region ? { region } : {}), maxAttempts: 1 });
  return { converse: (input) => client.send(new ConverseCommand(input)), countTokens: (input) => client.send(new CountTokensCommand(input)) };
}

/**
 * The input tokens Bedrock will count for this call (CountTokens, free of charge), or undefined
 * when the client cannot count or the call fails: the caller keeps its offline estimate. CountTokens
 * takes a foundation model id, so a cross-region inference profile's geography prefix is dropped.
 */
export async function countInputTokens(client: ModelClient, input: Omit<ModelCallInput, 'requestMetadata'>): Promise<number | undefined> {
  if (!client.countTokens) return undefined;
  const { system, messages, toolConfig } = buildConverseInput(input);
  try {
    const { inputTokens } = await client.countTokens({
      modelId: input.modelId.replace(PROFILE_PREFIX, ''),
      input: { converse: { ...(system ? { system } : {}), ...(messages ? { messages } : {}), ...(toolConfig ? { toolConfig } : {}) } },
    });
    return typeof inputTokens === 'number' && inputTokens > 0 ? inputTokens : undefined;
  } catch {
    return undefined;
  }
}

export interface ModelCallInput {
  modelId: string;
  bundleText: string;
  /** What the person added before approving; redacted by the caller. */
  addedContext?: string;
  maxTokens: number;
  temperature: number;
  /** Shows in Bedrock invocation logs, for cost attribution (user, investigation). */
  requestMetadata?: Record<string, string>;
}

export interface ModelCallResult {
  answer: Answer;
  /** The model stopped at maxTokens (or the context window): the answer may be incomplete. */
  truncated: boolean;
  stopReason: string | undefined;
  usage: ModelUsage;
  attempts: number;
}

export interface RetryOptions {
  /** Total attempts, the first included. */
  attempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Injectable for tests. */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

/** Tokens of the static prefix (tool schema + system prompt), which is what a cachePoint would cache. */
export const STATIC_PREFIX_TOKENS = estimateTokens(SYSTEM_PROMPT) + estimateTokens(JSON.stringify(answerJsonSchema));

/** Input tokens a call will send, for the reservation and the price shown before approval. */
export function estimateInputTokens(bundleText: string, addedContext?: string): number {
  return STATIC_PREFIX_TOKENS + estimateTokens(userMessage(bundleText, addedContext));
}

export function buildConverseInput(input: ModelCallInput): ConverseCommandInput {
  const system: SystemContentBlock[] = [{ text: SYSTEM_PROMPT }];
  // Below the model's minimum the checkpoint is ignored (the call still works), so only add it
  // when it can cache something.
  if (STATIC_PREFIX_TOKENS >= minCacheTokens(input.modelId)) system.push({ cachePoint: { type: 'default' } });
  return {
    modelId: input.modelId,
    system,
    messages: [{ role: 'user', content: [{ text: userMessage(input.bundleText, input.addedContext) }] }],
    // Claude 4.5 rejects temperature together with topP: temperature only, and always maxTokens,
    // since Bedrock reserves input + maxTokens of throughput up front.
    inferenceConfig: { maxTokens: input.maxTokens, temperature: input.temperature },
    toolConfig: answerToolConfig(),
    ...(input.requestMetadata ? { requestMetadata: input.requestMetadata } : {}),
  };
}

const TRUNCATING_STOPS = new Set(['max_tokens', 'model_context_window_exceeded']);
const RETRYABLE_NAMES = new Set([
  'ThrottlingException',
  'TooManyRequestsException',
  'ServiceUnavailableException',
  'InternalServerException',
  'ModelNotReadyException',
  'ModelTimeoutException',
]);
const RETRYABLE_NETWORK_CODES = new Set(['ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ECONNREFUSED']);

interface AwsLikeError {
  name?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
}

/** The one AWS error classifier (`aws/errors.ts`), in the words a person approving a model call needs. */
export function failureKind(err: unknown): ModelFailureKind {
  const e = (err ?? {}) as AwsLikeError;
  const status = e.$metadata?.httpStatusCode;
  const kind = errorKindOf(err);
  if (kind === 'throttled' || e.name === 'ServiceQuotaExceededException') return 'throttled';
  if (kind === 'access_denied') return 'denied';
  if (kind === 'invalid_input' || status === 400) return 'invalid_request';
  if (kind === 'not_found') return 'not_found';
  if (isRetryable(err)) return 'unavailable';
  return 'unknown';
}

function isRetryable(err: unknown): boolean {
  const e = (err ?? {}) as AwsLikeError;
  if (e.name && RETRYABLE_NAMES.has(e.name)) return true;
  const status = e.$metadata?.httpStatusCode;
  if (status === 429 || (status !== undefined && status >= 500)) return true;
  return Boolean(e.code && RETRYABLE_NETWORK_CODES.has(e.code));
}

const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Calls Converse, retrying throttling and 5xx with full-jitter backoff, and validates the answer. */
export async function callModel(client: ModelClient, input: ModelCallInput, retry: RetryOptions = {}): Promise<ModelCallResult> {
  const attempts = retry.attempts ?? 3;
  const baseDelayMs = retry.baseDelayMs ?? 500;
  const maxDelayMs = retry.maxDelayMs ?? 8_000;
  const sleep = retry.sleep ?? realSleep;
  const random = retry.random ?? Math.random;
  const request = buildConverseInput(input);

  for (let attempt = 1; ; attempt += 1) {
    let output: ConverseCommandOutput;
    try {
      output = await client.converse(request);
    } catch (err) {
      if (attempt < attempts && isRetryable(err)) {
        await sleep(Math.round(random() * Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1))));
        continue;
      }
      const kind = failureKind(err);
      throw new ModelCallError(kind, `${(err as Error).name ?? 'Error'}: ${(err as Error).message ?? String(err)}`, attempt, { cause: err });
    }
    return { ...parseConverseOutput(output), attempts: attempt };
  }
}

/** Reads the forced tool call out of the response and validates it against the answer schema. */
export function parseConverseOutput(output: ConverseCommandOutput): Omit<ModelCallResult, 'attempts'> {
  const usage = fromConverseUsage(output.usage);
  const stopReason = output.stopReason;
  const truncated = stopReason !== undefined && TRUNCATING_STOPS.has(stopReason);
  const toolUse = output.output?.message?.content?.find((block) => block.toolUse?.name === ANSWER_TOOL_NAME)?.toolUse;
  if (!toolUse) {
    if (truncated) return { answer: truncatedAnswer({}), truncated, stopReason, usage };
    throw new ModelOutputError(`the model did not call ${ANSWER_TOOL_NAME} (stop reason: ${stopReason ?? 'none'})`, stopReason, usage);
  }
  const parsed = answerSchema.safeParse(toolUse.input);
  if (parsed.success) return { answer: parsed.data, truncated, stopReason, usage };
  // Cut off mid-answer: keep whatever valid fields arrived rather than throwing them away.
  if (truncated) return { answer: truncatedAnswer(toolUse.input), truncated, stopReason, usage };
  const issue = parsed.error.issues[0];
  throw new ModelOutputError(
    `the model's answer does not match the schema: ${issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'invalid'}`,
    stopReason,
    usage,
  );
}

function truncatedAnswer(input: unknown): Answer {
  const partial = answerSchema.partial().safeParse(input);
  const fields = partial.success ? partial.data : {};
  return {
    summary: fields.summary ?? 'The answer was cut off before the model finished it.',
    rootCause: fields.rootCause ?? { statement: 'undetermined (answer cut off)', confidence: 'low' },
    evidence: fields.evidence ?? [],
    missingData: fields.missingData ?? [],
    nextSteps: fields.nextSteps ?? [],
  };
}
