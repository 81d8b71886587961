import { describe, expect, it } from 'vitest';
import { parseTroubleshootArgs } from '../../src/app/grammar.js';
import { parseUntil, resolveWindow, validateTroubleshoot } from '../../src/core/input.js';

const NOW = new Date('2026-11-23T10:00:00Z');

describe('--until: ISO 8601 and relative forms only', () => {
  it.each(['1', '2001', 'yesterday', '1700000000', '2026-13-01', '2026-02-30', '23/11/2026', '2h ago', 'now+1h', '2026-11-23T25:00:00Z', ''])(
    'rejects %j with one clear line',
    (until) => {
      const parsed = validateTroubleshoot({ restApiId: 'a1b2c3d4e5', until });
      expect(parsed.ok).toBe(false);
      if (!parsed.ok) {
        expect(parsed.error).toMatch(/^--until: an end time is ISO 8601 .* or relative to now/);
        expect(parsed.error).not.toContain('\n');
      }
    },
  );

  it.each([
    ['2026-11-22T08:30:00Z', '2026-11-22T08:30:00.000Z'],
    ['2026-11-22T08:30Z', '2026-11-22T08:30:00.000Z'],
    ['2026-11-22T10:30:00+02:00', '2026-11-22T08:30:00.000Z'],
    ['2026-11-22T08:30:00.250Z', '2026-11-22T08:30:00.250Z'],
    ['2026-11-22', '2026-11-22T00:00:00.000Z'],
  ])('accepts the ISO 8601 time %s', (until, iso) => {
    const parsed = validateTroubleshoot({ restApiId: 'a1b2c3d4e5', until });
    expect(parsed.ok && parsed.value.until?.toISOString()).toBe(iso);
    if (parsed.ok) expect(resolveWindow(parsed.value, NOW).until.toISOString()).toBe(iso);
  });

  it.each([
    ['now', 0],
    ['90m', 90 * 60_000],
    ['-2h', 2 * 3600_000],
    ['now-1d', 24 * 3600_000],
  ])('accepts the relative end time %s and resolves it against the clock in use', (until, agoMs) => {
    expect(parseUntil(until)).toEqual({ agoMs });
    const parsed = validateTroubleshoot({ restApiId: 'a1b2c3d4e5', since: '1h', until });
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.value.until).toBeUndefined();
    const window = resolveWindow(parsed.value, NOW);
    expect(window.until.getTime()).toBe(NOW.getTime() - agoMs);
    expect(window.since.getTime()).toBe(NOW.getTime() - agoMs - 3600_000);
  });

  it('takes --until from Slack words too', () => {
    const parsed = parseTroubleshootArgs(['a1b2c3d4e5', '—until', '30m']);
    expect(parsed).toEqual({ ok: true, value: { kind: 'request', request: { restApiId: 'a1b2c3d4e5', sinceMs: 2 * 3600_000, untilAgoMs: 30 * 60_000 }, flags: {} } });
  });
});
