import { ACTION, FEEDBACK_INPUT, VIEW } from './ids.js';
import { button, context, section, type Block, type ModalView } from './kit.js';

/** What a feedback button carries: the answer it judges (its approval id) and when it was given. */
export interface FeedbackRef {
  investigationId: string;
  approvalId: string;
  answeredAt: string;
}

export function feedbackValue(ref: FeedbackRef): string {
  return [ref.investigationId, ref.approvalId, ref.answeredAt].join('|');
}

export function parseFeedbackValue(value: string): FeedbackRef | undefined {
  const [investigationId, approvalId, answeredAt] = value.split('|');
  if (!investigationId || !approvalId || !answeredAt || Number.isNaN(Date.parse(answeredAt))) return undefined;
  return { investigationId, approvalId, answeredAt };
}

/** 👍/👎 under an answer: counted in the weekly summary as answer accuracy. */
export function feedbackBlocks(ref: FeedbackRef): Block[] {
  const value = feedbackValue(ref);
  return [
    {
      type: 'actions',
      block_id: 'firebreak_feedback',
      elements: [button({ text: ':+1: Right', actionId: ACTION.feedbackRight, value }), button({ text: ':-1: Wrong', actionId: ACTION.feedbackWrong, value })],
    },
  ];
}

/** After 👎: what was the real cause? Optional; the 👎 is recorded already. */
export function feedbackModal(ref: FeedbackRef): ModalView {
  return {
    type: 'modal',
    callback_id: VIEW.feedback,
    private_metadata: feedbackValue(ref),
    title: { type: 'plain_text', text: 'Answer marked wrong' },
    submit: { type: 'plain_text', text: 'Save' },
    close: { type: 'plain_text', text: 'Skip' },
    blocks: [
      section('Thanks: the 👎 is recorded. If you know it, what was the real cause? It is kept with the spend record (redacted) and helps tune the rules.'),
      {
        type: 'input',
        block_id: FEEDBACK_INPUT.block,
        optional: true,
        label: { type: 'plain_text', text: 'The real cause' },
        element: { type: 'plain_text_input', action_id: FEEDBACK_INPUT.action, multiline: true, max_length: 2_000 },
      },
      context('Nothing here is sent to a model.'),
    ],
  };
}
