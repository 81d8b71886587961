import type { WebClient } from '@slack/web-api';
import { isoWeek, renderPng, type WeeklySummary } from '../../app/index.js';
import { summaryMessage } from '../blocks/summary.js';
import type { SlackServices } from '../services.js';
import { dailySpendSvg } from './chart.js';

/** The summary of the week holding `at`, compared with the week before. */
export async function summarizeWeek(services: SlackServices, at: Date): Promise<WeeklySummary> {
  return services.app.weeklySummary(at, services.config.slack.summary.timezone);
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
  if (!(await services.app.claimOnce(key, KEEP_MARKER_SECONDS, { channel, week }))) return 'already-posted';
  try {
    const summary = await summarizeWeek(services, reported);
    const posted = await client.chat.postMessage({ channel, ...summaryMessage(summary) });
    await attachChart(services, client, channel, posted.ts, summary);
    return 'posted';
  } catch (err) {
    // Let the next trigger (a scheduler retry) try again rather than skip the week silently.
    await services.app.releaseOnce(key);
    throw err;
  }
}

/** The chart goes in the summary's thread; without it the text bars already tell the story. */
async function attachChart(services: SlackServices, client: WebClient, channel: string, threadTs: string | undefined, summary: WeeklySummary): Promise<void> {
  try {
    const png = await renderPng(dailySpendSvg(summary));
    if (!png) return;
    const upload = { channel_id: channel, file: png, filename: `firebreak-spend-${summary.week}.png`, title: `Daily model spend, ${summary.week}` };
    await client.filesUploadV2(threadTs ? { ...upload, thread_ts: threadTs } : upload);
  } catch (err) {
    services.logger.warn({ err }, 'weekly summary chart not attached');
  }
}
