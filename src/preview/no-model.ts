import type { ConverseCommandInput, ConverseCommandOutput } from '@aws-sdk/client-bedrock-runtime';
import type { ModelClient } from '../app/index.js';

export const NO_MODEL_MESSAGE =
  'no model is configured in this preview: nothing was sent to Amazon Bedrock and nothing was charged. Set FIREBREAK_BEDROCK_ENABLED=true (with AWS credentials) to call it.';

/** The text parts of a Converse request, in order: the system prompt, then each message. */
export function converseText(input: ConverseCommandInput): string {
  const parts: string[] = [];
  for (const block of input.system ?? []) if ('text' in block && block.text) parts.push(block.text);
  for (const message of input.messages ?? []) {
    for (const block of message.content ?? []) if ('text' in block && block.text) parts.push(`[${message.role ?? 'user'}]\n${block.text}`);
  }
  return parts.join('\n\n');
}

/**
 * Stands in for Bedrock when none is configured, so the approval step still shows its price: it
 * keeps the request it was given (what would have been sent) and refuses, which the bot reports
 * in the thread like any model failure, refunding the reserved tokens.
 */
export function noModelClient(onRequest: (input: ConverseCommandInput) => void): ModelClient {
  return {
    async converse(input: ConverseCommandInput): Promise<ConverseCommandOutput> {
      onRequest(input);
      const error = new Error(NO_MODEL_MESSAGE);
      error.name = 'NoModelConfigured';
      throw error;
    },
  };
}
