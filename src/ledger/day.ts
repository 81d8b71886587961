/**
 * Calendar days and ISO weeks in an IANA timezone with Intl only (no date library): the quota day
 * must roll over at local midnight of the configured zone, whatever the server's zone is.
 */

interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    // Throws RangeError for an unknown zone, which is what a bad setting should do.
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

function localParts(at: Date, timeZone: string): LocalParts {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(at)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return {
    year: parts.year ?? 0,
    month: parts.month ?? 1,
    day: parts.day ?? 1,
    hour: parts.hour ?? 0,
    minute: parts.minute ?? 0,
    second: parts.second ?? 0,
  };
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** `yyyy-mm-dd` of `at` in `timeZone`. */
export function dayKey(at: Date, timeZone = 'UTC'): string {
  const { year, month, day } = localParts(at, timeZone);
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
}

/** Offset of `timeZone` from UTC at instant `ms`, in milliseconds (east positive). */
function offsetMs(ms: number, timeZone: string): number {
  const p = localParts(new Date(ms), timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - Math.floor(ms / 1000) * 1000;
}

/** The instant of the next local midnight after `at` in `timeZone` (when today's quota resets). */
export function nextMidnight(at: Date, timeZone = 'UTC'): Date {
  const { year, month, day } = localParts(at, timeZone);
  const wallClock = Date.UTC(year, month - 1, day + 1, 0, 0, 0);
  // Two passes: the offset at the first guess may differ from the offset at midnight across DST.
  let instant = wallClock - offsetMs(wallClock, timeZone);
  instant = wallClock - offsetMs(instant, timeZone);
  return new Date(instant);
}

/** ISO 8601 week of `at` in `timeZone`, e.g. `2026-W48` (weeks start Monday; week 1 holds 4 January). */
export function isoWeek(at: Date, timeZone = 'UTC'): string {
  const { year, month, day } = localParts(at, timeZone);
  const date = new Date(Date.UTC(year, month - 1, day));
  const weekday = date.getUTCDay() || 7;
  // The Thursday of this week decides the ISO year.
  date.setUTCDate(date.getUTCDate() + 4 - weekday);
  const isoYear = date.getUTCFullYear();
  const week = Math.ceil(((date.getTime() - Date.UTC(isoYear, 0, 1)) / 86_400_000 + 1) / 7);
  return `${isoYear}-W${pad(week)}`;
}

/** The ISO week before the one holding `at` (what a Monday-morning summary reports). */
export function previousIsoWeek(at: Date, timeZone = 'UTC'): string {
  return isoWeek(new Date(at.getTime() - 7 * 86_400_000), timeZone);
}

export const epochSeconds = (at: Date): number => Math.floor(at.getTime() / 1000);
