import type { WebClient } from '@slack/web-api';
import type { AlarmTrigger } from '../../core/alarm.js';
import { COMMAND_ONLY, fixCommandFor } from '../../core/fix-commands.js';
import { verdictOf as rulesVerdict } from '../../core/verdict.js';
import type { Report } from '../../core/report.js';
import type { ParentStatus, ParentView } from '../blocks/parent.js';

/**
 * The rules' verdict for the channel (core/verdict.ts decides; this says whether an analysis is
 * offered). A fix that is a command reaches the parent with what the report knows filled in (the
 * account, the region), as in the thread: never `<account>` beside an account id.
 */
export function verdictOf(report: Pick<Report, 'coverage' | 'findings' | 'target' | 'traffic' | 'given'>, analysisAvailable: boolean): ParentStatus {
  const verdict = rulesVerdict(report);
  if (verdict.kind !== 'findings') return { kind: 'verdict', verdict, analysisAvailable };
  const top = verdict.top.map((finding) => {
    const { prose, cli } = fixCommandFor(finding, report);
    const [command] = cli?.split('\n') ?? [];
    return command && prose === COMMAND_ONLY ? { ...finding, fix: command } : finding;
  });
  return { kind: 'verdict', verdict: { ...verdict, top }, analysisAvailable };
}

/** The parent message's data from a stored report (any instance, any later click). */
export function parentViewOf(input: { report: Pick<Report, 'target' | 'window' | 'origin' | 'resolution'>; requester: string; investigationId: string; trigger?: AlarmTrigger }): ParentView {
  const { report } = input;
  return {
    ...(input.trigger ? { alarm: input.trigger } : {}),
    target: report.target,
    window: { since: new Date(report.window.since), until: new Date(report.window.until) },
    requester: input.requester,
    origin: report.origin,
    investigationId: input.investigationId,
    ...(report.resolution ? { resolution: report.resolution } : {}),
  };
}

/**
 * Permalinks of thread messages, in order; a message whose link Slack does not give is left out
 * (the parent then says "details in the thread"): a link is a convenience, never a failure.
 */
export async function permalinks(client: WebClient, channel: string, messages: { label: string; ts: string | undefined }[]): Promise<{ label: string; url: string }[]> {
  const links: { label: string; url: string }[] = [];
  for (const { label, ts } of messages) {
    if (!ts) continue;
    try {
      const res = await client.chat.getPermalink({ channel, message_ts: ts });
      if (res.ok && res.permalink) links.push({ label, url: res.permalink });
    } catch {
      // Unknown method in a stand-in, a rate limit: the thread is still one tap away.
    }
  }
  return links;
}
