import type { WebClient } from '@slack/web-api';
import type { AlarmOutcome, Plan } from '../../app/index.js';
import { stormNoticeMessage } from '../blocks/alarm-lines.js';
import { parentMessage } from '../blocks/parent.js';
import type { SlackServices } from '../services.js';
import { parentViewOf, permalinks, verdictOf } from './parent-view.js';
import { JOB_LEASE_SECONDS } from './run.js';
import { postInvestigation } from './troubleshoot.js';

type Outcome = AlarmOutcome<Plan>;
type Episode = Extract<Outcome, { kind: 'investigate' }>['episode'];

/** What one notification led to, by outcome, and why nothing was posted where nothing was: the worker logs it, the preview says it. */
export type AlarmRunSummary = Record<Outcome['kind'] | 'skipped', number> & { reasons: string[] };

/**
 * A CloudWatch alarm notification (the EventBridge event delivered to the worker, an SNS
 * notification, or the preview's "fire alarm"), handled as the channel should see it: a new
 * investigation posted in the routed channel (parent and thread, as a typed one, rules only), a
 * re-fire or the recovery added to the parent it already has, one notice when the API's storm cap
 * is spent, and nothing (a log line) for an alarm no API or route claims.
 */
export async function runAlarmNotification(input: unknown, services: SlackServices, client: WebClient): Promise<AlarmRunSummary> {
  const summary: AlarmRunSummary = { ignored: 0, investigate: 0, refire: 0, recovered: 0, capped: 0, skipped: 0, reasons: [] };
  const received = await services.app.alarms.receive(input);
  if (!received.ok) {
    services.logger.warn({ error: received.error }, 'not a CloudWatch alarm notification; nothing posted');
    summary.ignored += 1;
    summary.reasons.push(received.error);
    return summary;
  }
  for (const outcome of received.outcomes) {
    summary[outcome.kind] += 1;
    switch (outcome.kind) {
      case 'ignored':
        services.logger.info({ alarm: outcome.alarmName, state: outcome.state, reason: outcome.reason }, 'alarm: nothing posted');
        summary.reasons.push(`${outcome.alarmName} ${outcome.state}: ${outcome.reason}`);
        break;
      case 'capped':
        services.logger.warn({ alarm: outcome.alarmName, apiKey: outcome.episode.apiKey, cap: outcome.cap }, 'alarm: storm cap reached, not investigated');
        await sayStorm(outcome, services, client);
        break;
      case 'refire':
      case 'recovered':
        await updateAlarmParent(outcome.episode, services, client);
        break;
      case 'investigate':
        if (!(await investigateOnce(outcome, services, client))) summary.skipped += 1;
        break;
    }
  }
  return summary;
}

/** The parent message again, with what the alarm's episode says now (verdict, answer, re-fire, recovery). */
async function updateAlarmParent(episode: Episode, services: SlackServices, client: WebClient): Promise<void> {
  if (!episode.parentTs) {
    // Still being investigated: that job reads the episode when it posts the verdict.
    services.logger.info({ alarm: episode.alarmName, investigationId: episode.investigationId }, 'alarm: parent not posted yet; the verdict will carry it');
    return;
  }
  const found = await services.app.lookup(episode.investigationId);
  if (found.status !== 'found') {
    services.logger.info({ alarm: episode.alarmName, investigationId: episode.investigationId, status: found.status }, 'alarm: investigation not kept yet or expired; parent left as is');
    return;
  }
  const stored = found.investigation;
  const links = await permalinks(client, episode.channel, [{ label: 'thread', ts: episode.parentTs }]);
  const answer = stored.outcome && typeof stored.outcome.rootCause === 'string' ? { rootCause: stored.outcome.rootCause, confidence: String(stored.outcome.confidence ?? 'low') as 'high' | 'medium' | 'low' } : undefined;
  await client.chat.update({
    channel: episode.channel,
    ts: episode.parentTs,
    ...parentMessage({
      ...parentViewOf({ report: stored.report, requester: stored.requester, investigationId: stored.id, trigger: services.app.alarms.triggerOf(episode) }),
      status: verdictOf(stored.report, services.app.modelEnabled),
      ...(answer ? { answer } : {}),
      links,
    }),
  });
}

/**
 * Posts the episode's investigation, at most one attempt at a time and once (the job lease): a
 * redelivered event finds it done; an attempt that crashed after posting the parent is resumed
 * in that parent. False when it was done or running elsewhere.
 */
async function investigateOnce(outcome: Extract<Outcome, { kind: 'investigate' }>, services: SlackServices, client: WebClient): Promise<boolean> {
  const { app } = services;
  if (!(await app.claimJob(outcome.jobKey, 'alarm', JOB_LEASE_SECONDS))) {
    services.logger.info({ alarm: outcome.episode.alarmName, jobKey: outcome.jobKey }, 'alarm: investigation done or running elsewhere; skipped');
    return false;
  }
  try {
    const episode = (await app.alarms.episode(outcome.episode.alarmKey)) ?? outcome.episode;
    const kept = await app.lookup(episode.investigationId);
    if (kept.status === 'found') {
      // An earlier attempt kept it and stopped before the verdict: show it, do not investigate again.
      await updateAlarmParent(episode, services, client);
    } else {
      await postInvestigation({ channel: episode.channel, user: outcome.requester }, outcome.plan, services, client, {
        investigationId: episode.investigationId,
        trigger: app.alarms.triggerOf(episode),
        ...(episode.parentTs ? { parentTs: episode.parentTs } : {}),
        onParentPosted: (ts) => app.alarms.attachParent(episode, ts),
        latest: async () => app.alarms.triggerOf((await app.alarms.episode(episode.alarmKey)) ?? episode),
      });
    }
  } catch (err) {
    await app.settleJob(outcome.jobKey, 'failed-retryable').catch(() => undefined);
    throw err;
  }
  await app.settleJob(outcome.jobKey, 'done');
  return true;
}

function apiText(episode: Episode): string {
  const { restApiId, stage, region } = episode.request;
  return `API Gateway ${restApiId}${stage ? ` stage ${stage}` : ''} (${region ?? 'default region'})`;
}

/** The storm notice: posted by the first skipped alarm of the hour in the channel, then kept current. */
async function sayStorm(outcome: Extract<Outcome, { kind: 'capped' }>, services: SlackServices, client: WebClient): Promise<void> {
  const { app } = services;
  const render = (skipped: string[]) => stormNoticeMessage({ api: apiText(outcome.episode), cap: outcome.cap, skipped, hour: outcome.notice.hour });
  if (outcome.first) {
    const posted = await client.chat.postMessage({ channel: outcome.notice.channel, ...render(outcome.notice.skipped) });
    if (!posted.ts) return;
    await app.alarms.noticePosted(outcome.notice, posted.ts);
    // Alarms skipped while it was being posted are listed too.
    const latest = await app.alarms.notice(outcome.notice);
    if (latest.skipped.length > outcome.notice.skipped.length) await client.chat.update({ channel: latest.channel, ts: posted.ts, ...render(latest.skipped) });
    return;
  }
  const latest = await app.alarms.notice(outcome.notice);
  // Not posted yet: the first one re-reads the list once it has posted.
  if (latest.noticeTs) await client.chat.update({ channel: latest.channel, ts: latest.noticeTs, ...render(latest.skipped) });
}
