import { ACTION } from './ids.js';
import { formatTokens, formatUsd } from '../../core/units.js';
import { button, context, escapeMrkdwn, mention, section, truncate, type Block, type SlackMessage } from './kit.js';

export interface Estimate {
  /** Display name for the label, e.g. `Claude Haiku 4.5`. */
  model: string;
  /** The Bedrock region the call goes to. */
  region?: string;
  tokens: number;
  costUsd: number;
}

export interface ActionView {
  investigationId: string;
  state: 'pending' | 'analyzing' | 'answered' | 'failed' | 'expired';
  bundle: { tokens: number; rawTokens: number; budget: string; sections: number; redactions: number };
  estimate: Estimate;
  /** The user's added context, if any, already redacted (the channel sees it); shown shortened. */
  context?: string;
  approvedBy?: string;
  /** After an answer from the small model: what asking the larger one would cost. */
  larger?: Estimate;
  /** False when no model is configured: the Analyze button is replaced by a note. */
  modelEnabled: boolean;
  failure?: string;
}

const EXPIRED_TEXT = 'This investigation has expired — run /troubleshoot again for fresh data.';
const expiredSection = (): Block => section(`:hourglass: ${EXPIRED_TEXT}`);

/**
 * The action message once its investigation is gone from the store: no buttons (each would only
 * answer "expired"), and nothing that needs the stored bundle, which is gone too.
 */
export function expiredActionMessage(): SlackMessage {
  return { text: EXPIRED_TEXT, blocks: [expiredSection()] };
}

export function analyzeLabel(estimate: Estimate): string {
  return `Analyze (${estimate.model}, ~${formatTokens(estimate.tokens)} tokens, ~${formatUsd(estimate.costUsd)})`;
}

/**
 * The message with the buttons. Every button value is only the investigation id: the state lives
 * in DynamoDB, so any instance (or one restarted) can serve the click.
 */
export function actionMessage(view: ActionView): SlackMessage {
  const id = view.investigationId;
  const saved = view.bundle.rawTokens > 0 ? Math.max(0, 1 - view.bundle.tokens / view.bundle.rawTokens) : 0;
  const lines = [
    `*Bundle:* ~${formatTokens(view.bundle.tokens)} tokens (${view.bundle.budget} budget, ${view.bundle.sections} sections), pruned from ~${formatTokens(view.bundle.rawTokens)} collected (${Math.round(saved * 100)}% less); ${view.bundle.redactions} redactions.`,
  ];
  // Redacted before shortening, so a cut can never leave half a secret unmatched.
  if (view.context) lines.push(`*Added context:* ${escapeMrkdwn(truncate(view.context, 300))}`);
  const blocks: Block[] = [section(lines.join('\n'))];
  const download = button({ text: 'Download bundle', actionId: ACTION.download, value: id });
  switch (view.state) {
    case 'pending': {
      const elements = [button({ text: 'Add context', actionId: ACTION.addContext, value: id })];
      if (view.modelEnabled) elements.push(button({ text: analyzeLabel(view.estimate), actionId: ACTION.analyze, value: id, style: 'primary' }));
      elements.push(download);
      blocks.push({ type: 'actions', block_id: 'firebreak_actions', elements });
      blocks.push(
        context(
          view.modelEnabled
            ? `Nothing is sent to a model until the requester or an approver presses Analyze; it goes to Amazon Bedrock${view.estimate.region ? ` in ${view.estimate.region}` : ''} and is charged to their daily quota.`
            : 'No model is configured (Bedrock disabled): download the bundle to use it elsewhere.',
        ),
      );
      break;
    }
    case 'analyzing':
      blocks.push(section(`:hourglass_flowing_sand: Analysis approved by ${mention(view.approvedBy ?? 'unknown')}; working on it…`));
      break;
    case 'answered': {
      blocks.push(section(`:white_check_mark: Analyzed, approved by ${mention(view.approvedBy ?? 'unknown')}. The answer is below.`));
      const elements = [download];
      if (view.larger) {
        elements.unshift(button({ text: `Ask the larger model (${view.larger.model}, ~${formatUsd(view.larger.costUsd)})`, actionId: ACTION.analyzeLarge, value: id }));
      }
      blocks.push({ type: 'actions', block_id: 'firebreak_actions', elements });
      break;
    }
    case 'failed':
      blocks.push(section(`:x: The analysis failed${view.failure ? `: ${escapeMrkdwn(truncate(view.failure, 500))}` : ''}. The data collected is kept; download the bundle or run /troubleshoot again.`));
      blocks.push({ type: 'actions', block_id: 'firebreak_actions', elements: [download] });
      break;
    case 'expired':
      blocks.push(expiredSection());
      break;
  }
  // A failed attempt that was given back: the buttons are there again, with why the last one failed.
  if (view.failure && (view.state === 'pending' || view.state === 'answered')) blocks.push(context(`:warning: ${escapeMrkdwn(truncate(view.failure, 500))}`));
  return { text: view.state === 'pending' && view.modelEnabled ? analyzeLabel(view.estimate) : `Bundle ~${view.bundle.tokens} tokens`, blocks };
}
