import type { types } from '@slack/bolt';
import { dailyBars, formatTokens, formatUsd } from '../../core/units.js';
import { codeSpans } from './code-spans.js';
import { context, escapeMrkdwn, header, section, slackDate, truncate, type Block } from './kit.js';

export interface HomeInvestigation {
  investigationId: string;
  at: Date;
  target: string;
  verdict: string;
  rootCause?: string;
  confidence?: string;
  /** The thread's permalink, when Slack gave one. */
  link?: string;
}

export interface HomeData {
  user: string;
  quota: { used: number; limit: number | null; remaining: number | null; resetsAt: Date };
  recent: HomeInvestigation[];
  /** The last investigations CloudWatch alarms started (anyone's to look at). */
  byAlarms?: HomeInvestigation[];
  week?: { week: string; costUsd: number; calls: number; perUser: { name: string; costUsd: number; calls: number }[]; daily: { day: string; costUsd: number }[]; monthlyBudgetUsd?: number };
  limits: { dailyTokens: number; approvers: string[]; approverGroup?: string; models: string[]; budget: string; modelEnabled: boolean };
}

/** At most 100 blocks a Home view; this one has about 20. */
const MAX_RECENT = 5;

function quotaText(quota: HomeData['quota']): string {
  if (quota.limit === null) return `*My quota today*: no daily limit (${formatTokens(quota.used)} tokens used)`;
  return `*My quota today*: ${formatTokens(quota.remaining ?? 0)} of ${formatTokens(quota.limit)} tokens left (${formatTokens(quota.used)} used), resets ${slackDate(quota.resetsAt)}`;
}

function recentText(item: HomeInvestigation): string {
  const title = item.link ? `<${item.link}|${escapeMrkdwn(truncate(item.target, 120))}>` : escapeMrkdwn(truncate(item.target, 120));
  const answer = item.rootCause ? `\n:robot_face: ${item.confidence ? `_${escapeMrkdwn(item.confidence)}_: ` : ''}${codeSpans(escapeMrkdwn(truncate(item.rootCause, 300)))}` : '';
  return `*${title}* · ${slackDate(item.at)}\n${codeSpans(escapeMrkdwn(truncate(item.verdict, 300)))}${answer}`;
}

/** The App Home tab: my quota, my last investigations with their verdicts, the team's week, the limits. */
export function homeView(data: HomeData): types.HomeView {
  const blocks: Block[] = [header('firebreak'), section(quotaText(data.quota)), { type: 'divider' }, header('My last investigations')];
  if (data.recent.length === 0) blocks.push(section('None yet. Type `/troubleshoot api-gw <api id, invoke URL, custom domain or name>` in an incident channel.'));
  for (const item of data.recent.slice(0, MAX_RECENT)) blocks.push(section(recentText(item)));
  if (data.byAlarms?.length) {
    blocks.push(header('Started by alarms'));
    for (const item of data.byAlarms.slice(0, MAX_RECENT)) blocks.push(section(recentText(item)));
  }
  blocks.push({ type: 'divider' }, header('This week, the team'));
  if (data.week) {
    const { week } = data;
    const people = week.perUser
      .slice(0, 5)
      .map((line) => `<@${line.name}> ${formatUsd(line.costUsd)} (${line.calls} ${line.calls === 1 ? 'analysis' : 'analyses'})`)
      .join(' · ');
    blocks.push(section(`*${formatUsd(week.costUsd)}* on ${week.calls} ${week.calls === 1 ? 'analysis' : 'analyses'} (${week.week})${week.monthlyBudgetUsd ? ` · monthly Bedrock budget ${formatUsd(week.monthlyBudgetUsd)}` : ''}${people ? `\n${people}` : ''}`));
    if (week.daily.length) blocks.push(section(`\`\`\`${dailyBars(week.daily)}\`\`\``));
  } else {
    blocks.push(section('No spend recorded this week.'));
  }
  const { limits } = data;
  const approvers = [...limits.approvers.map((u) => `<@${u}>`), ...(limits.approverGroup ? [`<!subteam^${limits.approverGroup}>`] : [])];
  blocks.push(
    { type: 'divider' },
    context(
      limits.modelEnabled ? `Models: ${limits.models.map(escapeMrkdwn).join(', ')}` : 'No model configured: the rules and the bundle only',
      `Daily quota: ${formatTokens(limits.dailyTokens)} tokens a person`,
      `Bundle budget: ${escapeMrkdwn(limits.budget)}`,
      `Approvers: the requester${approvers.length ? `, ${approvers.join(', ')}` : ''}`,
    ),
  );
  return { type: 'home', blocks };
}
