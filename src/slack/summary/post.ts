import type { WebClient } from '@slack/web-api';
import { dayKey, isoWeek, previousIsoWeek } from '../../ledger/day.js';
import { summaryMessage, type WeeklySummary } from '../blocks/summary.js';
import type { SlackServices } from '../services.js';
import { computeWeeklySummary } from './compute.js';

/** The summary of the week holding `at`, compared with the week before. */
export async function summarizeWeek(services: SlackServices, at: Date): Promise<WeeklySummary> {
  const timezone = services.config.slack.summary.timezone;
  const week = isoWeek(at, timezone);
  const previousWeek = previousIsoWeek(at, timezone);
  const [current, previous] = await Promise.all([services.spend.spendForWeek(week), services.spend.spendForWeek(previousWeek)]);
  return computeWeeklySummary(current, previous, (iso) => dayKey(new Date(iso), timezone));
}

const KEEP_MARKER_SECONDS = 60 * 86_400;

/**
 * Posts the scheduled summary: the last complete week (the schedule fires at the start of the
 * next one). At most once per ISO week and channel, whichever timer, instance or scheduler retry
 * gets there first; the others return `already-posted`.
 */
export async function postWeeklySummary(services: SlackServices, client: WebClient, channel: string, at: Date = services.now()): Promise<'posted' | 'already-posted'> {
  const reported = new Date(at.getTime() - 7 * 86_400_000);
  const week = isoWeek(reported, services.config.slack.summary.timezone);
  const key = `SUMMARY#${week}#${channel}`;
  if (!(await services.markers.claim(key, KEEP_MARKER_SECONDS, { channel, week }))) return 'already-posted';
  try {
    const summary = await summarizeWeek(services, reported);
    await client.chat.postMessage({ channel, ...summaryMessage(summary) });
    return 'posted';
  } catch (err) {
    // Let the next trigger (a scheduler retry) try again rather than skip the week silently.
    await services.markers.release(key);
    throw err;
  }
}
