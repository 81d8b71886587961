import { ACTION } from './ids.js';
import { formatTokens, formatUsd } from '../../core/units.js';
import { button, context, escapeMrkdwn, mention, section, truncate, type Block, type SlackMessage } from './kit.js';

/**
 * The one token figure, from the bundle to the button to the quota to the bill: what the model
 * would read (the redacted bundle and the instructions), counted by Bedrock's CountTokens when it
 * can be asked, estimated offline otherwise.
 */
export interface Estimate {
  /** Display name for the label, e.g. `Claude Haiku 4.5`. */
  model: string;
  /** The Bedrock region the call goes to. */
  region?: string;
  /** Input tokens the model would read. */
  tokens: number;
  /** The most it may write, and so what the quota reserves on top of `tokens`. */
  maxOutputTokens?: number;
  costUsd: number;
  /** `bedrock`: counted by CountTokens; `offline`: firebreak's estimate. */
  counted?: 'bedrock' | 'offline';
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
  /** The rules' verdict: on a healthy API the analysis is offered, not urged (no primary button). */
  verdict?: 'findings' | 'healthy' | 'no-cause';
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

/** Short enough for a phone's button: the price, rounded up to a cent. The details are beside it. */
export function analyzeLabel(estimate: Estimate): string {
  return `Analyze · ~${priceLabel(estimate.costUsd)}`;
}

/** `$0.01` for anything up to a cent, `$0.12`, `$1.30`: a price to decide on, never `$0.00`. */
export function priceLabel(usd: number): string {
  return `$${(Math.max(0.01, Math.ceil(usd * 100) / 100)).toFixed(2)}`;
}

/** "Claude Haiku 4.5 (us-east-1) · reads ~2.9k tokens, writes up to 1.5k · at most $0.0096 · counted by Bedrock". */
export function estimateDetails(estimate: Estimate): string {
  const out = estimate.maxOutputTokens ? `, writes up to ${formatTokens(estimate.maxOutputTokens)}` : '';
  const how = estimate.counted === 'bedrock' ? 'counted by Bedrock' : 'estimated offline';
  return `${estimate.model}${estimate.region ? ` (${estimate.region})` : ''} · reads ~${formatTokens(estimate.tokens)} tokens${out} · at most ${formatUsd(estimate.costUsd)} · ${how}`;
}

/**
 * The message with the buttons. Every button value is only the investigation id: the state lives
 * in DynamoDB, so any instance (or one restarted) can serve the click.
 */
export function actionMessage(view: ActionView): SlackMessage {
  const id = view.investigationId;
  const saved = view.bundle.rawTokens > 0 ? Math.max(0, 1 - view.bundle.tokens / view.bundle.rawTokens) : 0;
  const lines = [
    `*To send:* ~${formatTokens(view.estimate.tokens)} tokens: the redacted bundle (${view.bundle.budget} budget, ${view.bundle.sections} sections, pruned from ~${formatTokens(view.bundle.rawTokens)} collected, ${Math.round(saved * 100)}% less; ${view.bundle.redactions} redactions) and the instructions.`,
  ];
  // Redacted before shortening, so a cut can never leave half a secret unmatched.
  if (view.context) lines.push(`*Added context:* ${escapeMrkdwn(truncate(view.context, 300))}`);
  const blocks: Block[] = [section(lines.join('\n'))];
  const download = button({ text: 'Download bundle', actionId: ACTION.download, value: id });
  switch (view.state) {
    case 'pending': {
      const elements = [button({ text: 'Add context', actionId: ACTION.addContext, value: id })];
      // On a healthy API the analysis stays available but is not the call to action.
      const urged = view.verdict !== 'healthy';
      if (view.modelEnabled) elements.push(button({ text: analyzeLabel(view.estimate), actionId: ACTION.analyze, value: id, ...(urged ? { style: 'primary' as const } : {}) }));
      elements.push(download);
      blocks.push({ type: 'actions', block_id: 'firebreak_actions', elements });
      blocks.push(
        context(
          view.modelEnabled
            ? `${view.verdict === 'healthy' ? 'No problem found, so an analysis is optional. ' : ''}${estimateDetails(view.estimate)}. Sent only when the requester or an approver presses Analyze, and charged to their daily quota. The bundle download goes to whoever presses it, privately.`
            : 'No model is configured (Bedrock disabled): download the bundle (it comes to you privately) to use it elsewhere.',
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
        elements.unshift(button({ text: `Ask ${view.larger.model} · ~${priceLabel(view.larger.costUsd)}`, actionId: ACTION.analyzeLarge, value: id }));
      }
      blocks.push({ type: 'actions', block_id: 'firebreak_actions', elements });
      if (view.larger) blocks.push(context(`Larger model: ${estimateDetails(view.larger)}.`));
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
  return { text: view.state === 'pending' && view.modelEnabled ? `${analyzeLabel(view.estimate)} (${estimateDetails(view.estimate)})` : `Bundle: ~${formatTokens(view.estimate.tokens)} tokens to send`, blocks };
}
