import { reuseText, type ReuseFacts } from '../../core/reuse.js';
import { formatTokens, formatUsd } from '../../core/units.js';
import { feedbackBlocks, type FeedbackRef } from './feedback.js';
import { ACTION } from './ids.js';
import { button, context, escapeMrkdwn, header, section, slackDate, truncate, type Block, type SlackMessage } from './kit.js';

export interface AnswerView {
  summary: string;
  rootCause: { statement: string; confidence: 'high' | 'medium' | 'low' };
  evidence: string[];
  missingData: string[];
  nextSteps: string[];
  truncated?: boolean;
  model: string;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  cacheHit: boolean;
  quota: { used: number; limit: number | null; remaining: number | null; resetsAt: Date };
  approvedBy: string;
  /** The 👍/👎 buttons' reference to this answer. */
  feedback?: FeedbackRef;
  /**
   * Set when the answer was reused for the same incident (fingerprint hit): who asked, how long
   * ago, how the error count moved, and the price of a fresh analysis offered beside it.
   */
  reused?: ReuseFacts & {
    savedUsd: number;
    investigationId: string;
    size: 'small' | 'large';
    freshCostUsd: number;
    /** The investigation's action message, which the fresh analysis updates like any other. */
    actionTs?: string;
  };
}

/** A Slack user id gets a mention; a name from the terminal is shown as @name. */
const person = (user: string): string => (/^[UW][A-Z0-9]{2,}$/.test(user) ? `<@${user}>` : `@${escapeMrkdwn(user)}`);

const CONFIDENCE_EMOJI = { high: ':large_green_circle:', medium: ':large_yellow_circle:', low: ':red_circle:' } as const;

function list(items: string[], max: number): string {
  const shown = items.slice(0, max).map((item) => `• ${escapeMrkdwn(truncate(item, 400))}`);
  if (items.length > max) shown.push(`• … and ${items.length - max} more`);
  return shown.join('\n');
}

/** The model's answer, with the bill: model, tokens, cost and the approver's quota left. */
export function answerMessage(view: AnswerView): SlackMessage {
  const blocks: Block[] = [
    header(view.reused ? 'Analysis (same incident, reused)' : 'Analysis'),
    section(`*Root cause* ${CONFIDENCE_EMOJI[view.rootCause.confidence]} _${view.rootCause.confidence} confidence_\n${escapeMrkdwn(truncate(view.rootCause.statement, 2_000))}`),
    section(escapeMrkdwn(truncate(view.summary, 2_900))),
  ];
  if (view.evidence.length) blocks.push(section(`*Evidence cited*\n${list(view.evidence, 8)}`));
  if (view.missingData.length) blocks.push(section(`*Missing data*\n${list(view.missingData, 6)}`));
  if (view.nextSteps.length) blocks.push(section(`*Next steps*\n${list(view.nextSteps, 6)}`));
  if (view.truncated) blocks.push(context(':warning: The answer hit the output token limit and may be cut short.'));
  const cost = view.reused ? 'same-incident answer, $0' : view.cacheHit ? 'cache hit, $0' : `${formatUsd(view.costUsd)}`;
  blocks.push(
    context(
      `${escapeMrkdwn(view.model)} · ${formatTokens(view.inputTokens)} in / ${formatTokens(view.outputTokens)} out · ${cost}`,
      view.quota.limit === null
        ? `<@${view.approvedBy}> has no daily limit`
        : `Quota of <@${view.approvedBy}>: ${formatTokens(view.quota.remaining ?? 0)} of ${formatTokens(view.quota.limit)} tokens left, resets ${slackDate(view.quota.resetsAt)}`,
    ),
  );
  if (view.reused) {
    const { reused } = view;
    blocks.push(
      section(
        `:recycle: ${capitalize(reuseText(reused, person))}. Reused at no cost (it cost ${formatUsd(reused.savedUsd)} then); the data may have moved since, so a fresh analysis is one click.`,
      ),
      {
        type: 'actions',
        block_id: 'firebreak_fresh',
        elements: [
          button({
            text: `Analyze fresh (~${formatUsd(reused.freshCostUsd)})`,
            actionId: reused.size === 'large' ? ACTION.analyzeLargeFresh : ACTION.analyzeFresh,
            value: freshButtonValue(reused.investigationId, reused.actionTs),
          }),
        ],
      },
    );
  }
  if (view.feedback) blocks.push(...feedbackBlocks(view.feedback));
  return { text: `Root cause (${view.rootCause.confidence}): ${truncate(view.rootCause.statement, 300)}`, blocks };
}

const capitalize = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);

/**
 * The fresh button sits under the answer, but the analysis it starts moves the action message
 * (analysing, answered, or its buttons given back): its ts travels with the id, `<id>@<ts>`.
 */
export function freshButtonValue(investigationId: string, actionTs?: string): string {
  return actionTs ? `${investigationId}@${actionTs}` : investigationId;
}

export function parseFreshButtonValue(value: string): { investigationId: string; actionTs?: string } {
  const at = value.lastIndexOf('@');
  return at > 0 ? { investigationId: value.slice(0, at), actionTs: value.slice(at + 1) } : { investigationId: value };
}
