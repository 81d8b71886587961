import type { SpendLine, WeeklySummary } from '../../app/index.js';
import { alarmWeekText } from '../../core/alarm.js';
import { changeText, dailyBars, formatTokens, formatUsd } from '../../core/units.js';
import { context, fields as fieldsBlock, header, section, truncate, type Block, type SlackMessage } from './kit.js';

function lines(items: SpendLine[], label: (name: string) => string, max = 10): string {
  if (items.length === 0) return '_none_';
  const shown = [...items].sort((a, b) => b.costUsd - a.costUsd).slice(0, max);
  const text = shown.map((l) => `${label(l.name)}: ${formatUsd(l.costUsd)} · ${formatTokens(l.tokens)} tokens · ${plural(l.calls, 'model call')}${l.cached ? ` + ${l.cached} from the cache` : ''}`);
  if (items.length > max) text.push(`… and ${items.length - max} more`);
  return text.join('\n');
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** "7 of 9 answers marked right (1 wrong)": accuracy next to spend, as people judged it. */
export function answersText(answers: WeeklySummary['answers']): string {
  if (!answers || answers.total === 0) return 'no answers this week';
  const wrong = answers.wrong ? ` (${answers.wrong} wrong)` : '';
  return `${answers.right} of ${answers.total} answer${answers.total === 1 ? '' : 's'} marked right${wrong}`;
}

/**
 * The week's spend, every figure agreeing with the others (model calls and cache answers counted
 * apart everywhere, "closed by the rules" only for investigations no model was asked about), money
 * to a tenth of a cent below a cent, and the fields with nothing in them folded into one line.
 */
export function summaryMessage(summary: WeeklySummary): SlackMessage {
  const answers = summary.calls + summary.cacheHits;
  const fields: [string, string, boolean][] = [
    ['Per user', truncate(lines(summary.perUser, (u) => `<@${u}>`), 1_900), summary.perUser.length > 0],
    ['Per model', truncate(lines(summary.perModel, (m) => m), 1_900), summary.perModel.length > 0],
    [
      'Answers from the cache',
      `${summary.cacheHits - summary.fingerprintHits} same bundle · ${summary.fingerprintHits} same incident: saved ${formatUsd(summary.savedUsd)}${summary.fingerprintHits ? ` (${formatUsd(summary.fingerprintSavedUsd)} and ~${formatTokens(summary.fingerprintSavedTokens)} tokens by the same incident)` : ''}`,
      summary.cacheHits > 0,
    ],
    ['Refused for quota', String(summary.quotaHits), summary.quotaHits > 0],
    ['Closed by the rules, 0 tokens', `${plural(summary.closedByRules, 'investigation')} no model was asked about (~${formatTokens(summary.rulesTokensAvoided)} tokens not sent)`, summary.closedByRules > 0],
    ['Tokens avoided by pruning', `${formatTokens(summary.tokensAvoided)} (collected minus sent, over the analyses)`, summary.tokensAvoided > 0],
    ['Answers marked right', answersText(summary.answers), (summary.answers?.right ?? 0) + (summary.answers?.wrong ?? 0) > 0],
    ['Started by alarms', alarmWeekText(summary.alarms), (summary.alarms?.started ?? 0) > 0],
  ];
  const shown = fields.filter(([, , any]) => any);
  const zero = fields.filter(([, , any]) => !any).map(([label]) => label.toLowerCase().replace(/, 0 tokens$/, ''));
  const blocks: Block[] = [
    header(`Model spend, week ${summary.week}`),
    section(
      `*${formatUsd(summary.costUsd)}* (${changeText(summary.costUsd, summary.previousCostUsd)}) · ${formatTokens(summary.tokens)} tokens · ${plural(summary.calls, 'model call')}${summary.cacheHits ? ` · ${summary.cacheHits} answer${summary.cacheHits === 1 ? '' : 's'} from the cache` : ''} · ${plural(answers, 'answer')} in all`,
    ),
    ...(shown.length ? [fieldsBlock(shown.map(([label, value]) => `*${label}*\n${value}`))] : []),
    ...(summary.costUsd > 0 ? [section(`*Daily spend*\n\`\`\`\n${dailyBars(summary.daily)}\n\`\`\``)] : []),
    context(
      [
        `Previous week ${summary.previousWeek}: ${formatUsd(summary.previousCostUsd)}`,
        ...(zero.length ? [`nothing this week for: ${zero.join(', ')}`] : []),
        ...(summary.monthlyBudgetUsd ? [`AWS Budgets alert on Bedrock at ${formatUsd(summary.monthlyBudgetUsd)} a month`] : []),
      ].join(' · '),
    ),
  ];
  return { text: `Model spend week ${summary.week}: ${formatUsd(summary.costUsd)} (${changeText(summary.costUsd, summary.previousCostUsd)})`, blocks };
}
