import { describe, expect, it } from 'vitest';
import { resolveWindow, validateTroubleshoot } from '../../src/core/input.js';

describe('troubleshoot input', () => {
  it('accepts a valid request with defaults', () => {
    const parsed = validateTroubleshoot({ restApiId: 'a1b2c3d4e5' });
    expect(parsed).toEqual({ ok: true, value: { restApiId: 'a1b2c3d4e5', sinceMs: 2 * 3600_000 } });
  });

  it.each([
    // Anything else that could be an API name is looked up by name (test/app/resolve-target.test.ts).
    [{ restApiId: '!bad!' }, 'api: name the API by its id (a1b2c3d4e5), an invoke URL'],
    [{ restApiId: 'https://' }, 'api: "https://" is not a URL I can read'],
    [{ restApiId: 'a1b2c3d4e5', since: '2 hours' }, '--since: a window is a duration (30m, 2h, 3d) or its ISO 8601 start'],
    [{ restApiId: 'a1b2c3d4e5', since: '15d' }, '--since: the window is capped at 14d'],
    [{ restApiId: 'a1b2c3d4e5', since: '0m' }, '--since: a duration must be more than zero'],
    [{ restApiId: 'a1b2c3d4e5', stage: 'prod stage' }, 'stage: a stage name is letters, digits, - or _'],
    [{ restApiId: 'a1b2c3d4e5', region: 'useast1' }, '--region: a region looks like us-east-1'],
    [{ restApiId: 'a1b2c3d4e5', until: 'yesterday' }, '--until: an end time is ISO 8601'],
    [{}, 'api: missing'],
  ])('rejects %o with one clear line', (raw, message) => {
    const parsed = validateTroubleshoot(raw);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.error).toContain(message);
      expect(parsed.error).not.toContain('\n');
    }
  });

  it('parses durations in minutes, hours and days', () => {
    for (const [since, ms] of [['30m', 1_800_000], ['2h', 7_200_000], ['3d', 259_200_000], ['14d', 1_209_600_000]] as const) {
      const parsed = validateTroubleshoot({ restApiId: 'a1b2c3d4e5', since });
      expect(parsed.ok && parsed.value.sinceMs).toBe(ms);
    }
  });

  it('resolves the window before until (or now)', () => {
    const now = new Date('2026-11-23T10:00:00Z');
    expect(resolveWindow({ sinceMs: 3600_000 }, now)).toEqual({ since: new Date('2026-11-23T09:00:00Z'), until: now });
    const until = new Date('2026-11-22T00:00:00Z');
    expect(resolveWindow({ sinceMs: 3600_000, until }, now).since).toEqual(new Date('2026-11-21T23:00:00Z'));
  });
});
