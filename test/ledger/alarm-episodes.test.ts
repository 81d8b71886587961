import { describe, expect, it } from 'vitest';
import { AlarmEpisodes, AlarmStormCap, type NewEpisode } from '../../src/ledger/alarm-episodes.js';
import { useDynalite } from '../support/dynalite.js';

/** Episodes and the storm cap on dynalite's real conditional writes, concurrent callers included. */
const db = useDynalite();
const KEY = 'arn:aws:cloudwatch:us-east-1:111111111111:alarm:apigw-5xx';
const T0 = new Date('2024-05-01T11:40:00Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);
const QUIET = { quietMs: 30 * 60_000, maxAgeMs: 24 * 3_600_000 };

function episode(id = 'inv1'): NewEpisode {
  return {
    alarmKey: KEY,
    alarmName: 'apigw-5xx',
    investigationId: id,
    channel: 'C0SHOPAPI',
    apiKey: 'home:us-east-1:a1b2c3d4e5',
    via: 'dimension ApiId',
    request: { restApiId: 'a1b2c3d4e5', sinceMs: 7_200_000, until: T0.toISOString() },
  };
}

describe('alarm episodes', () => {
  it('opens one episode for concurrent deliveries of the same ALARM; the others see a duplicate', async () => {
    const episodes = new AlarmEpisodes(await db.freshStore());
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => episodes.open(episode(`inv${i}`), T0, QUIET)));
    expect(results.filter((r) => r.outcome === 'opened')).toHaveLength(1);
    expect(results.filter((r) => r.outcome === 'duplicate')).toHaveLength(7);
    const winner = results.find((r) => r.outcome === 'opened')!.episode.investigationId;
    expect(results.every((r) => r.episode.investigationId === winner)).toBe(true);
  });

  it('counts a re-fire once however often it is delivered, recovers once, and opens anew only after the quiet period', async () => {
    const episodes = new AlarmEpisodes(await db.freshStore());
    await episodes.open(episode(), T0, QUIET);
    const opened = (await episodes.get(KEY))!;
    const refires = await Promise.all([episodes.refire(opened, at(5)), episodes.refire(opened, at(5)), episodes.refire(opened, at(5))]);
    expect(refires.map((r) => r.outcome).sort()).toEqual(['duplicate', 'duplicate', 'refire']);
    expect((await episodes.get(KEY))?.firings).toBe(2);
    // An OK older than the last ALARM is stale; the real one recovers once.
    expect((await episodes.recover(KEY, at(3), QUIET.quietMs)).outcome).toBe('stale');
    expect((await episodes.recover(KEY, at(20), QUIET.quietMs)).outcome).toBe('recovered');
    expect((await episodes.recover(KEY, at(20), QUIET.quietMs)).outcome).toBe('duplicate');
    const recovered = (await episodes.get(KEY))!;
    expect(recovered.recoveredAt).toBe(at(20).toISOString());
    expect(AlarmEpisodes.belongsTo(recovered, at(49), QUIET.quietMs, QUIET.maxAgeMs)).toBe(true);
    expect(AlarmEpisodes.belongsTo(recovered, at(50), QUIET.quietMs, QUIET.maxAgeMs)).toBe(false);
    // Within the quiet period the put is refused (the episode stands); after it, a new one opens.
    expect((await episodes.open(episode('inv2'), at(40), QUIET)).outcome).toBe('refire');
    await episodes.recover(KEY, at(45), QUIET.quietMs);
    const next = await episodes.open(episode('inv3'), at(76), QUIET);
    expect(next.outcome).toBe('opened');
    expect(next.episode).toMatchObject({ investigationId: 'inv3', firings: 1, startedAt: at(76).toISOString() });
    expect(await episodes.recover('arn:aws:cloudwatch:us-east-1:111111111111:alarm:never', at(1), QUIET.quietMs)).toEqual({ outcome: 'none' });
  });

  it('starts a new episode when the open one is older than its investigation', async () => {
    const episodes = new AlarmEpisodes(await db.freshStore());
    await episodes.open(episode(), T0, QUIET);
    expect((await episodes.open(episode('later'), at(25 * 60), QUIET)).outcome).toBe('opened');
  });

  it('records the parent only on its own episode', async () => {
    const episodes = new AlarmEpisodes(await db.freshStore());
    const first = (await episodes.open(episode(), T0, QUIET)).episode;
    await episodes.attachParent(first, '1714563600.000100');
    expect((await episodes.get(KEY))?.parentTs).toBe('1714563600.000100');
    await episodes.attachParent({ alarmKey: KEY, episodeId: 'someone-else' }, '9');
    expect((await episodes.get(KEY))?.parentTs).toBe('1714563600.000100');
  });
});

describe('the alarm storm cap', () => {
  it('lets exactly the cap through under 50 concurrent episodes, per API and clock hour, and counts a retried episode once', async () => {
    const cap = new AlarmStormCap(await db.freshStore());
    const taken = await Promise.all(Array.from({ length: 50 }, (_, i) => cap.take('home:us-east-1:a1b2c3d4e5', at(i % 15), `ep${i}`, 5)));
    expect(taken.filter(Boolean)).toHaveLength(5);
    const winner = taken.indexOf(true);
    expect(await cap.take('home:us-east-1:a1b2c3d4e5', at(1), `ep${winner}`, 5)).toBe(true);
    // Another API, and the next hour, have their own counts.
    expect(await cap.take('home:us-east-1:k8h2t4p6v1', at(1), 'other', 5)).toBe(true);
    expect(await cap.take('home:us-east-1:a1b2c3d4e5', at(21), 'next-hour', 5)).toBe(true);
  });

  it('lists what it skipped per channel, and gives the notice to exactly one caller', async () => {
    const cap = new AlarmStormCap(await db.freshStore());
    const skips = await Promise.all(Array.from({ length: 20 }, (_, i) => cap.skip('home:us-east-1:a1b2c3d4e5', T0, 'C0SHOPAPI', `alarm-${String(i).padStart(2, '0')} 11:40`)));
    expect(skips.filter((s) => s.first)).toHaveLength(1);
    const notice = await cap.notice('home:us-east-1:a1b2c3d4e5', '2024-05-01T11', 'C0SHOPAPI');
    expect(notice.skipped).toHaveLength(20);
    await cap.noticePosted(notice, '1714563600.000200');
    expect((await cap.notice('home:us-east-1:a1b2c3d4e5', '2024-05-01T11', 'C0SHOPAPI')).noticeTs).toBe('1714563600.000200');
    // A retried skip adds nothing.
    expect((await cap.skip('home:us-east-1:a1b2c3d4e5', T0, 'C0SHOPAPI', 'alarm-00 11:40')).notice.skipped).toHaveLength(20);
  });
});
