import { describe, expect, it } from 'vitest';
import { TargetNotFoundError } from '../../src/app/index.js';
import { listScenarios } from '../../src/sandbox/load.js';
import { outcome, roundTrip } from '../support/recording.js';

/**
 * `--record` then `--scenario <recording>`: every built-in scenario (REST, HTTP and WebSocket) recorded
 * through the application and replayed from the file gives the same coverage statuses, the same
 * findings (rule, severity, counts) and the same incident fingerprint.
 */
const scenarios = await listScenarios();
/** Timing-dependent scenarios: a source cut by its deadline, replayed as a slower answer. */
const TIMING = new Set(['slow-account']);

describe('recording round trip over every built-in scenario', () => {
  it('covers REST, HTTP and WebSocket scenarios', () => {
    expect(scenarios.length).toBeGreaterThan(90);
    expect(scenarios.filter((s) => /^w\d*-/.test(s.name)).length).toBeGreaterThanOrEqual(26);
  });

  it.each(scenarios.map((s) => s.name))('%s replays to the same outcome', { timeout: 120_000 }, async (name) => {
    // An API that does not exist is refused before anything is investigated: there is nothing to record.
    const trip = await roundTrip(name, { format: name.length % 2 ? 'yaml' : 'json' }).catch((err: unknown) => {
      if (err instanceof TargetNotFoundError) return undefined;
      throw err;
    });
    if (!trip) {
      expect(scenarios.find((s) => s.name === name)?.description ?? '').toMatch(/not exist|missing|no such|not found|deleted|wrong/i);
      return;
    }
    const { original, replay, recording } = trip;
    const was = outcome(original.report);
    const now = outcome(replay.report);
    expect(recording.bytes).toBeLessThan(8 * 1024 * 1024);
    if (TIMING.has(name)) {
      expect(now.findings).toEqual(was.findings);
      return;
    }
    expect(now).toEqual(was);
  });
});
