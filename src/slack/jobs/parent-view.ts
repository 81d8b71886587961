import type { WebClient } from '@slack/web-api';
import type { AlarmTrigger } from '../../core/alarm.js';
import { decisiveFinding } from '../../core/verdict.js';
import type { Report } from '../../core/report.js';
import type { ParentStatus, ParentView } from '../blocks/parent.js';

/** Coverage rows a reader must know about: failed reads and sources that are not set up. */
export function problemRows(report: Pick<Report, 'coverage'>): number {
  return report.coverage.filter((row) => row.status === 'error' || row.status === 'not_configured').length;
}

/**
 * The rules' verdict for the channel: the most severe finding that names a cause (not an
 * "inconclusive" nor an informational one), or "no known cause" with what stands in the way.
 */
export function verdictOf(report: Pick<Report, 'coverage' | 'findings'>, analysisAvailable: boolean): ParentStatus {
  const top = decisiveFinding(report.findings);
  if (top) return { kind: 'finding', severity: top.severity, title: top.title, fix: top.fix, findings: report.findings.length };
  return { kind: 'no-cause', problemSources: problemRows(report), inconclusive: report.findings.filter((f) => f.inconclusive).length, analysisAvailable };
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
