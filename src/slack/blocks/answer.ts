import { formatTokens, formatUsd } from '../../core/units.js';
import { context, escapeMrkdwn, header, section, slackDate, truncate, type Block, type SlackMessage } from './kit.js';

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
}

const CONFIDENCE_EMOJI = { high: ':large_green_circle:', medium: ':large_yellow_circle:', low: ':red_circle:' } as const;

function list(items: string[], max: number): string {
  const shown = items.slice(0, max).map((item) => `• ${escapeMrkdwn(truncate(item, 400))}`);
  if (items.length > max) shown.push(`• … and ${items.length - max} more`);
  return shown.join('\n');
}

/** The model's answer, with the bill: model, tokens, cost and the approver's quota left. */
export function answerMessage(view: AnswerView): SlackMessage {
  const blocks: Block[] = [
    header('Analysis'),
    section(`*Root cause* ${CONFIDENCE_EMOJI[view.rootCause.confidence]} _${view.rootCause.confidence} confidence_\n${escapeMrkdwn(truncate(view.rootCause.statement, 2_000))}`),
    section(escapeMrkdwn(truncate(view.summary, 2_900))),
  ];
  if (view.evidence.length) blocks.push(section(`*Evidence cited*\n${list(view.evidence, 8)}`));
  if (view.missingData.length) blocks.push(section(`*Missing data*\n${list(view.missingData, 6)}`));
  if (view.nextSteps.length) blocks.push(section(`*Next steps*\n${list(view.nextSteps, 6)}`));
  if (view.truncated) blocks.push(context(':warning: The answer hit the output token limit and may be cut short.'));
  const cost = view.cacheHit ? 'cache hit, $0' : `${formatUsd(view.costUsd)}`;
  blocks.push(
    context(
      `${escapeMrkdwn(view.model)} · ${formatTokens(view.inputTokens)} in / ${formatTokens(view.outputTokens)} out · ${cost}`,
      view.quota.limit === null
        ? `<@${view.approvedBy}> has no daily limit`
        : `Quota of <@${view.approvedBy}>: ${formatTokens(view.quota.remaining ?? 0)} of ${formatTokens(view.quota.limit)} tokens left, resets ${slackDate(view.quota.resetsAt)}`,
    ),
  );
  return { text: `Root cause (${view.rootCause.confidence}): ${truncate(view.rootCause.statement, 300)}`, blocks };
}
