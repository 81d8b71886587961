import {
  InternalServerException,
  ThrottlingException,
  ValidationException,
  type ConverseCommandInput,
  type ConverseCommandOutput,
  type TokenUsage,
} from '@aws-sdk/client-bedrock-runtime';
import type { Answer } from '../../src/model/answer.js';
import type { ModelClient } from '../../src/model/bedrock.js';
import { ANSWER_TOOL_NAME } from '../../src/model/prompt.js';

type Scripted = { kind: 'response'; output: ConverseCommandOutput } | { kind: 'error'; error: unknown };

export interface FakeUsage {
  inputTokens?: number;
  outputTokens?: number;
  cacheReadInputTokens?: number;
  cacheWriteInputTokens?: number;
}

/** A Converse-shaped response whose message is one call of the answer tool with `input`. */
export function toolAnswerOutput(input: unknown, usage: FakeUsage = {}, stopReason = 'tool_use'): ConverseCommandOutput {
  const tokenUsage: TokenUsage = {
    inputTokens: usage.inputTokens ?? 1_000,
    outputTokens: usage.outputTokens ?? 200,
    totalTokens: (usage.inputTokens ?? 1_000) + (usage.outputTokens ?? 200),
    ...(usage.cacheReadInputTokens === undefined ? {} : { cacheReadInputTokens: usage.cacheReadInputTokens }),
    ...(usage.cacheWriteInputTokens === undefined ? {} : { cacheWriteInputTokens: usage.cacheWriteInputTokens }),
  };
  return {
    $metadata: { httpStatusCode: 200 },
    output: {
      message: { role: 'assistant', content: [{ toolUse: { toolUseId: 'tooluse_fake', name: ANSWER_TOOL_NAME, input: input as never } }] },
    },
    stopReason: stopReason as ConverseCommandOutput['stopReason'],
    usage: tokenUsage,
    metrics: { latencyMs: 1 },
  };
}

/** Errors shaped like the SDK's, so retry and classification see what they would in production. */
export const fakeErrors = {
  throttling: () => new ThrottlingException({ message: 'Too many requests, please wait before trying again.', $metadata: { httpStatusCode: 429 } }),
  internal: () => new InternalServerException({ message: 'Internal server error', $metadata: { httpStatusCode: 500 } }),
  validation: (message = 'Malformed input request') => new ValidationException({ message, $metadata: { httpStatusCode: 400 } }),
};

/** A plausible answer for demos: every field filled, confidence as given. */
export function sampleAnswer(confidence: Answer['rootCause']['confidence'] = 'high'): Answer {
  return {
    summary: 'Requests fail because the stage was deployed without the integration it needs.',
    rootCause: { statement: 'The integration for the failing route is missing or misconfigured.', confidence },
    evidence: ['finding:integration-missing'],
    missingData: [],
    nextSteps: ['Redeploy the stage after restoring the integration.'],
  };
}

/**
 * A scripted Bedrock: responses and errors are served in order, every request is recorded. When
 * the script runs out it uses the fallback (if given) or fails loudly, so a test never gets an
 * answer it did not ask for.
 */
export class FakeBedrock implements ModelClient {
  readonly calls: ConverseCommandInput[] = [];
  private readonly script: Scripted[] = [];

  constructor(private readonly fallback?: (input: ConverseCommandInput) => ConverseCommandOutput) {}

  /** Always answers `answer` (the demo's model). */
  static answering(answer: Answer = sampleAnswer(), usage?: FakeUsage): FakeBedrock {
    return new FakeBedrock(() => toolAnswerOutput(answer, usage));
  }

  respond(output: ConverseCommandOutput): this {
    this.script.push({ kind: 'response', output });
    return this;
  }

  /** Queues a tool-call answer (not validated, so tests can script malformed ones). */
  answer(input: unknown, usage?: FakeUsage, stopReason?: string): this {
    return this.respond(toolAnswerOutput(input, usage, stopReason));
  }

  fail(error: unknown): this {
    this.script.push({ kind: 'error', error });
    return this;
  }

  async converse(input: ConverseCommandInput): Promise<ConverseCommandOutput> {
    this.calls.push(structuredClone(input));
    const next = this.script.shift();
    if (next?.kind === 'error') throw next.error;
    if (next?.kind === 'response') return next.output;
    if (this.fallback) return this.fallback(input);
    throw new Error(`FakeBedrock: no scripted response for call ${this.calls.length}`);
  }
}
