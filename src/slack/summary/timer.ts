import type { WebClient } from '@slack/web-api';
import type { SlackServices } from '../services.js';
import { postWeeklySummary } from './post.js';

/**
 * The next instant after `from` whose local weekday and HH:MM in `timeZone` match. Minute steps
 * over eight days (about 11,500 formats, a few milliseconds, once a week) keep DST handling
 * exact without a date library.
 */
export function nextOccurrence(from: Date, day: string, time: string, timeZone: string): Date {
  const format = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  const start = Math.floor(from.getTime() / 60_000) * 60_000 + 60_000;
  for (let t = start; t < start + 8 * 86_400_000; t += 60_000) {
    const parts = Object.fromEntries(format.formatToParts(new Date(t)).map((p) => [p.type, p.value]));
    const weekday = String(parts.weekday).toUpperCase().slice(0, 3);
    if (weekday === day && `${parts.hour}:${parts.minute}` === time) return new Date(t);
  }
  throw new Error(`no ${day} ${time} in ${timeZone} within a week`);
}

/**
 * The in-process schedule for Socket Mode and HTTP: one timer for the next occurrence, re-armed
 * after each run. Several instances may all fire; the DynamoDB marker lets one post.
 */
export function startSummaryTimer(services: SlackServices, client: WebClient): { stop(): void } {
  const { channel, day, time, timezone } = services.config.slack.summary;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const arm = () => {
    if (stopped || !channel) return;
    const next = nextOccurrence(new Date(), day, time, timezone);
    // setTimeout holds at most ~24.8 days; a week fits.
    timer = setTimeout(() => {
      postWeeklySummary(services, client, channel)
        .then((result) => services.logger.info({ channel, result }, 'weekly summary'))
        .catch((err: unknown) => services.logger.error({ err }, 'weekly summary failed'))
        .finally(arm);
    }, next.getTime() - Date.now());
    timer.unref();
  };
  arm();
  return {
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}
