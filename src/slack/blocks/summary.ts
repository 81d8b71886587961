import type { SpendLine, WeeklySummary } from '../../app/index.js';
import { alarmWeekText } from '../../core/alarm.js';
import { changeText, dailyBars, formatTokens, formatUsd } from '../../core/units.js';
import { context, fields, header, section, truncate, type Block, type SlackMessage } from './kit.js';

function lines(items: SpendLine[], label: (name: string) => string, max = 10): string {
  if (items.length === 0) return '_none_';
  const shown = [...items].sort((a, b) => b.costUsd - a.costUsd).slice(0, max);
  const text = shown.map((l) => `${label(l.name)}: ${formatUsd(l.costUsd)} · ${formatTokens(l.tokens)} tokens · ${l.calls} calls`);
  if (items.length > max) text.push(`… and ${items.length - max} more`);
  return text.join('\n');
}

/** "7 of 9 answers marked right (1 wrong)": accuracy next to spend, as people judged it. */
export function answersText(answers: WeeklySummary['answers']): string {
  if (!answers || answers.total === 0) return 'no answers this week';
  const wrong = answers.wrong ? ` (${answers.wrong} wrong)` : '';
  return `${answers.right} of ${answers.total} answer${answers.total === 1 ? '' : 's'} marked right${wrong}`;
}

export function summaryMessage(summary: WeeklySummary): SlackMessage {
  const blocks: Block[] = [
    header(`Model spend, week ${summary.week}`),
    section(
      `*${formatUsd(summary.costUsd)}* (${changeText(summary.costUsd, summary.previousCostUsd)}) · ${formatTokens(summary.tokens)} tokens · ${summary.calls} analyses`,
    ),
    fields([
      `*Per user*\n${truncate(lines(summary.perUser, (u) => `<@${u}>`), 1_900)}`,
      `*Per model*\n${truncate(lines(summary.perModel, (m) => m), 1_900)}`,
      `*Cache hits*\n${summary.cacheHits - summary.fingerprintHits} exact · ${summary.fingerprintHits} same incident (saved ${formatUsd(summary.savedUsd)} in all)`,
      `*Same-incident hits (fingerprint)*\n${summary.fingerprintHits}: saved ${formatUsd(summary.fingerprintSavedUsd)}, ~${formatTokens(summary.fingerprintSavedTokens)} tokens`,
      `*Quota hits*\n${summary.quotaHits}`,
      `*Closed by the rules, 0 tokens*\n${summary.closedByRules} (~${formatTokens(summary.rulesTokensAvoided)} not sent)`,
      `*Tokens avoided by pruning*\n${formatTokens(summary.tokensAvoided)}`,
      `*Answers marked right*\n${answersText(summary.answers)}`,
      `*Started by alarms*\n${alarmWeekText(summary.alarms)}`,
    ]),
    section(`*Daily spend*\n\`\`\`\n${dailyBars(summary.daily)}\n\`\`\``),
    context(`Previous week ${summary.previousWeek}: ${formatUsd(summary.previousCostUsd)}${summary.monthlyBudgetUsd ? ` · AWS Budgets alert on Bedrock at ${formatUsd(summary.monthlyBudgetUsd)} a month` : ''}`),
  ];
  return { text: `Model spend week ${summary.week}: ${formatUsd(summary.costUsd)} (${changeText(summary.costUsd, summary.previousCostUsd)})`, blocks };
}
