import type { ToolConfiguration, ToolInputSchema } from '@aws-sdk/client-bedrock-runtime';
import { z } from 'zod';
import { ANSWER_TOOL_NAME } from './prompt.js';

/** The structured answer the model must return (through a forced tool call), validated on arrival. */
export const answerSchema = z.object({
  summary: z.string().min(1).describe('One or two sentences: what is wrong.'),
  rootCause: z.object({
    statement: z.string().min(1).describe('The most likely root cause, or "undetermined".'),
    confidence: z.enum(['high', 'medium', 'low']),
  }),
  evidence: z.array(z.string()).describe('Evidence refs from the bundle supporting the root cause.'),
  missingData: z.array(z.string()).describe('Data that was missing and would change or confirm the diagnosis.'),
  nextSteps: z.array(z.string()).max(10).describe('Concrete next actions, most useful first.'),
});

export type Answer = z.infer<typeof answerSchema>;

/** JSON Schema of the answer, as Bedrock's tool inputSchema expects it. */
export const answerJsonSchema = z.toJSONSchema(answerSchema, { target: 'draft-7' });

/** Forces the model to answer through the one tool, so the output is always the schema's JSON. */
export function answerToolConfig(): ToolConfiguration {
  return {
    tools: [
      {
        toolSpec: {
          name: ANSWER_TOOL_NAME,
          description: 'Report the diagnosis of the API Gateway problem, citing the evidence bundle.',
          inputSchema: { json: answerJsonSchema as ToolInputSchema.JsonMember['json'] },
        },
      },
    ],
    toolChoice: { tool: { name: ANSWER_TOOL_NAME } },
  };
}
