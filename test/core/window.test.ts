import { describe, expect, it } from 'vitest';
import { parseCommandText } from '../../src/app/grammar.js';
import { resolveWindow, USAGE, validateTroubleshoot, windowProblem } from '../../src/core/input.js';

const NOW = new Date('2026-11-23T10:00:00Z');

describe('time windows', () => {
  it('asks for the zone, and only the zone, when an ISO time has none', () => {
    for (const until of ['2024-05-01T10:30', '2024-05-01T10:30:00', '2024-05-01 10:30:00']) {
      const parsed = validateTroubleshoot({ restApiId: 'a1b2c3d4e5', until });
      expect(parsed).toEqual({ ok: false, error: `--until: ${until} has no time zone: add Z (UTC) or +hh:mm, e.g. ${until}Z`, usage: USAGE.until });
    }
    expect(validateTroubleshoot({ restApiId: 'a1b2c3d4e5', since: '2024-05-01T10:30' })).toMatchObject({ ok: false, error: expect.stringContaining('add Z (UTC) or +hh:mm') });
  });

  it('takes the start as a time too, and refuses a reversed or too long window with the reason', () => {
    const ok = validateTroubleshoot({ restApiId: 'a1b2c3d4e5', since: '2026-11-23T08:00:00Z', until: '2026-11-23T09:30:00Z' });
    expect(ok.ok && resolveWindow(ok.value, NOW)).toEqual({ since: new Date('2026-11-23T08:00:00Z'), until: new Date('2026-11-23T09:30:00Z') });
    // A start time with a relative end: the end is resolved against the clock in use.
    const open = validateTroubleshoot({ restApiId: 'a1b2c3d4e5', since: '2026-11-23T08:00:00Z' });
    expect(open.ok && resolveWindow(open.value, NOW)).toEqual({ since: new Date('2026-11-23T08:00:00Z'), until: NOW });
    expect(validateTroubleshoot({ restApiId: 'a1b2c3d4e5', since: '2026-11-23T10:00:00Z', until: '2026-11-23T09:00:00Z' })).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^the window is reversed: it starts \(2026-11-23T10:00:00Z\) at or after its end \(2026-11-23T09:00:00Z\)/),
      usage: USAGE.since,
    });
    expect(validateTroubleshoot({ restApiId: 'a1b2c3d4e5', since: '2026-11-01T00:00:00Z', until: '2026-11-23T00:00:00Z' })).toMatchObject({ ok: false, error: expect.stringContaining('longer than 14d') });
    expect(validateTroubleshoot({ restApiId: 'a1b2c3d4e5', since: '15d' })).toMatchObject({ ok: false, error: expect.stringContaining('capped at 14d') });
  });

  it('refuses a window that ends in the future against the clock in use, with a few minutes of leeway', () => {
    const future = windowProblem({ since: new Date('2030-01-01T00:00:00Z'), until: new Date('2030-01-01T02:00:00Z') }, NOW);
    expect(future).toMatch(/^the window ends in the future \(2030-01-01T02:00:00Z; now is 2026-11-23T10:00:00Z\)/);
    expect(windowProblem({ since: new Date('2026-11-23T08:00:00Z'), until: new Date('2026-11-23T10:02:00Z') }, NOW)).toBeUndefined();
    expect(windowProblem({ since: new Date('2026-11-23T08:00:00Z'), until: new Date('2026-11-23T10:06:00Z') }, NOW)).toBeDefined();
    // Relative ends can never be in the future.
    const relative = validateTroubleshoot({ restApiId: 'a1b2c3d4e5', until: '30m' });
    expect(relative.ok && windowProblem(resolveWindow(relative.value, NOW), NOW)).toBeUndefined();
  });

  it('shows the one usage line an error is about, not the whole usage', () => {
    expect(parseCommandText('api-gw a1b2c3d4e5 --region useast1')).toMatchObject({ kind: 'error', usage: USAGE.region });
    expect(parseCommandText('api-gw a1b2c3d4e5 --since')).toMatchObject({ kind: 'error', usage: USAGE.since });
    expect(parseCommandText('api-gw a1b2c3d4e5 prod extra')).toMatchObject({ kind: 'error', usage: USAGE.target });
    expect(parseCommandText('frobnicate')).toMatchObject({ kind: 'error', error: 'unknown command "frobnicate"', usage: 'api-gw <api> [stage] [options] · usage · spend · help' });
  });
});
