import { describe, expect, it } from 'vitest';
import { dayKey, isoWeek, nextMidnight, previousIsoWeek } from '../../src/ledger/day.js';

describe('day helpers', () => {
  it('names the local day in the configured zone', () => {
    const at = new Date('2026-11-23T03:00:00Z');
    expect(dayKey(at)).toBe('2026-11-23');
    expect(dayKey(at, 'America/Los_Angeles')).toBe('2026-11-22');
    expect(dayKey(at, 'Asia/Tokyo')).toBe('2026-11-23');
  });

  it('finds the next local midnight, across a DST change too', () => {
    expect(nextMidnight(new Date('2026-11-23T15:00:00Z')).toISOString()).toBe('2026-11-24T00:00:00.000Z');
    expect(nextMidnight(new Date('2026-11-23T15:00:00Z'), 'Asia/Kolkata').toISOString()).toBe('2026-11-23T18:30:00.000Z');
    // New York leaves DST on 2026-11-01 at 02:00: midnight before is UTC-4, midnight after UTC-5.
    expect(nextMidnight(new Date('2026-10-31T12:00:00Z'), 'America/New_York').toISOString()).toBe('2026-11-01T04:00:00.000Z');
    expect(nextMidnight(new Date('2026-11-01T12:00:00Z'), 'America/New_York').toISOString()).toBe('2026-11-02T05:00:00.000Z');
  });

  it('computes ISO weeks, including year boundaries', () => {
    expect(isoWeek(new Date('2026-11-23T12:00:00Z'))).toBe('2026-W48');
    expect(isoWeek(new Date('2027-01-01T12:00:00Z'))).toBe('2026-W53');
    expect(isoWeek(new Date('2025-12-29T12:00:00Z'))).toBe('2026-W01');
    expect(previousIsoWeek(new Date('2026-11-23T12:00:00Z'))).toBe('2026-W47');
  });

  it('rejects an unknown timezone', () => {
    expect(() => dayKey(new Date(), 'Mars/Olympus')).toThrow(RangeError);
  });
});
