import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { LedgerStore } from './client.js';
import { epochSeconds } from './day.js';
import { isConditionFailed } from './errors.js';

/**
 * One investigation per alarm episode, and a cap on how many an alarm storm starts, by
 * conditional writes only (two workers handling the same event, or fifty events at once, agree
 * without a lock):
 * - `ALARM#<alarm ARN>` / `EPISODE`: the alarm's current episode. It opens on an ALARM transition
 *   when there is none, or when the last one recovered longer ago than the quiet period (or is
 *   older than the investigation it started); otherwise an ALARM is a re-fire of it (or a
 *   duplicate delivery, recognised by its state-change time) and an OK closes it.
 * - `ALARMCAP#<api>` / `HOUR#<yyyy-mm-ddThh>`: the episodes that started an investigation on that
 *   API in that clock hour, a set, so a retried event is counted once.
 * - `ALARMCAP#<api>` / `HOUR#<hour>#NOTICE#<channel>`: what the cap skipped there, and the one
 *   message that says so.
 */
export interface AlarmEpisode {
  alarmKey: string;
  /** `<alarm key>@<ISO of the ALARM transition that opened it>`. */
  episodeId: string;
  alarmName: string;
  alarmArn?: string;
  startedAt: string;
  lastFiredAt: string;
  firings: number;
  recoveredAt?: string;
  /** `investigating`: an investigation was (or is being) started; `skipped`: the storm cap stopped it. */
  status: 'investigating' | 'skipped';
  investigationId: string;
  channel: string;
  /** `<account>:<region>:<api id>`: what the storm cap counts by. */
  apiKey: string;
  /** The parent message, once posted. */
  parentTs?: string;
  threshold?: string;
  via: string;
  route?: string;
  /** The investigation's request (the API and the window ending at the first ALARM), as JSON. */
  request: EpisodeRequest;
}

export interface EpisodeRequest {
  restApiId: string;
  stage?: string;
  region?: string;
  account?: string;
  sinceMs: number;
  /** ISO 8601. */
  until: string;
}

export type NewEpisode = Omit<AlarmEpisode, 'episodeId' | 'startedAt' | 'lastFiredAt' | 'firings' | 'status' | 'recoveredAt' | 'parentTs'>;

export type OpenOutcome =
  | { outcome: 'opened'; episode: AlarmEpisode }
  /** The same ALARM transition delivered again (or an older one): nothing new. */
  | { outcome: 'duplicate'; episode: AlarmEpisode }
  /** A new ALARM transition within the episode: it fired again. */
  | { outcome: 'refire'; episode: AlarmEpisode };

export type RecoverOutcome = { outcome: 'recovered'; episode: AlarmEpisode } | { outcome: 'duplicate' | 'stale'; episode: AlarmEpisode } | { outcome: 'none' };

/** An episode that has not recovered stays open: its quiet period ends at the end of time. */
const OPEN = Number.MAX_SAFE_INTEGER;
const SK = 'EPISODE';
/** Episode records outlive their investigation by a week: long enough to tell a re-fire from a new incident. */
const KEEP_MS = 7 * 86_400_000;

const episodeKey = (alarmKey: string) => ({ pk: `ALARM#${alarmKey}`, sk: SK });
const ms = (iso: string) => Date.parse(iso);

function toEpisode(item: Record<string, unknown>): AlarmEpisode {
  const { pk: _pk, sk: _sk, expiresAt: _e, quietUntil: _q, startedAtMs: _s, lastFiredAtMs: _l, ...rest } = item;
  return rest as unknown as AlarmEpisode;
}

export class AlarmEpisodes {
  constructor(private readonly store: LedgerStore) {}

  async get(alarmKey: string): Promise<AlarmEpisode | undefined> {
    const res = await this.store.doc.send(new GetCommand({ TableName: this.store.tableName, Key: episodeKey(alarmKey), ConsistentRead: true }));
    return res.Item ? toEpisode(res.Item) : undefined;
  }

  /**
   * Whether an ALARM at `at` belongs to `episode` (a duplicate or a re-fire) rather than opening a
   * new one: the episode has not recovered, or recovered less than `quietMs` before, and is younger
   * than `maxAgeMs`.
   */
  static belongsTo(episode: AlarmEpisode, at: Date, quietMs: number, maxAgeMs: number): boolean {
    if (at.getTime() - ms(episode.startedAt) >= maxAgeMs) return false;
    if (at.getTime() <= ms(episode.lastFiredAt)) return true;
    return episode.recoveredAt === undefined || at.getTime() < ms(episode.recoveredAt) + quietMs;
  }

  /** Opens an episode for an ALARM at `at`, or says which episode it belongs to and how. */
  async open(input: NewEpisode, at: Date, options: { quietMs: number; maxAgeMs: number }): Promise<OpenOutcome> {
    const iso = at.toISOString();
    const episode: AlarmEpisode = { ...input, episodeId: `${input.alarmKey}@${iso}`, startedAt: iso, lastFiredAt: iso, firings: 1, status: 'investigating' };
    try {
      await this.store.doc.send(
        new PutCommand({
          TableName: this.store.tableName,
          Item: { ...episodeKey(input.alarmKey), ...episode, quietUntil: OPEN, startedAtMs: at.getTime(), lastFiredAtMs: at.getTime(), expiresAt: epochSeconds(new Date(at.getTime() + KEEP_MS)) },
          ConditionExpression: 'attribute_not_exists(pk) OR quietUntil <= :at OR startedAtMs <= :oldest',
          ExpressionAttributeValues: { ':at': at.getTime(), ':oldest': at.getTime() - options.maxAgeMs },
        }),
      );
      return { outcome: 'opened', episode };
    } catch (err) {
      if (!isConditionFailed(err)) throw err;
    }
    const current = await this.get(input.alarmKey);
    if (!current) return this.open(input, at, options);
    return this.refire(current, at);
  }

  /** A later ALARM transition in `current`: counted once, whoever delivers it. */
  async refire(current: AlarmEpisode, at: Date): Promise<OpenOutcome> {
    if (at.getTime() <= ms(current.lastFiredAt)) return { outcome: 'duplicate', episode: current };
    try {
      const res = await this.store.doc.send(
        new UpdateCommand({
          TableName: this.store.tableName,
          Key: episodeKey(current.alarmKey),
          UpdateExpression: 'SET lastFiredAt = :iso, lastFiredAtMs = :at, firings = firings + :one, quietUntil = :open REMOVE recoveredAt',
          ConditionExpression: 'episodeId = :episode AND lastFiredAtMs < :at',
          ExpressionAttributeValues: { ':iso': at.toISOString(), ':at': at.getTime(), ':one': 1, ':open': OPEN, ':episode': current.episodeId },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return { outcome: 'refire', episode: toEpisode(res.Attributes ?? {}) };
    } catch (err) {
      if (!isConditionFailed(err)) throw err;
      return { outcome: 'duplicate', episode: (await this.get(current.alarmKey)) ?? current };
    }
  }

  /** The OK transition: the episode recovered at `at` (once), and its quiet period starts. */
  async recover(alarmKey: string, at: Date, quietMs: number): Promise<RecoverOutcome> {
    try {
      const res = await this.store.doc.send(
        new UpdateCommand({
          TableName: this.store.tableName,
          Key: episodeKey(alarmKey),
          UpdateExpression: 'SET recoveredAt = :iso, quietUntil = :quiet',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(recoveredAt) AND lastFiredAtMs <= :at',
          ExpressionAttributeValues: { ':iso': at.toISOString(), ':quiet': at.getTime() + quietMs, ':at': at.getTime() },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return { outcome: 'recovered', episode: toEpisode(res.Attributes ?? {}) };
    } catch (err) {
      if (!isConditionFailed(err)) throw err;
    }
    const current = await this.get(alarmKey);
    if (!current) return { outcome: 'none' };
    return { outcome: current.recoveredAt ? 'duplicate' : 'stale', episode: current };
  }

  /** Records the parent message of this episode's investigation (only on this episode). */
  async attachParent(episode: Pick<AlarmEpisode, 'alarmKey' | 'episodeId'>, parentTs: string): Promise<void> {
    await this.setOnEpisode(episode, 'parentTs', parentTs);
  }

  async markSkipped(episode: Pick<AlarmEpisode, 'alarmKey' | 'episodeId'>): Promise<void> {
    await this.setOnEpisode(episode, 'status', 'skipped');
  }

  private async setOnEpisode(episode: Pick<AlarmEpisode, 'alarmKey' | 'episodeId'>, name: string, value: string): Promise<void> {
    try {
      await this.store.doc.send(
        new UpdateCommand({
          TableName: this.store.tableName,
          Key: episodeKey(episode.alarmKey),
          UpdateExpression: 'SET #name = :value',
          ConditionExpression: 'episodeId = :episode',
          ExpressionAttributeNames: { '#name': name },
          ExpressionAttributeValues: { ':value': value, ':episode': episode.episodeId },
        }),
      );
    } catch (err) {
      // A newer episode replaced this one: nothing of it to record.
      if (!isConditionFailed(err)) throw err;
    }
  }
}

/** What the storm cap skipped in one channel this hour, and the notice that says so. */
export interface StormNotice {
  apiKey: string;
  hour: string;
  channel: string;
  /** `<alarm name> <HH:MM>` of each skipped episode, sorted. */
  skipped: string[];
  noticeTs?: string;
}

const capKey = (apiKey: string) => `ALARMCAP#${apiKey}`;
/** The clock hour an event falls in (UTC): `2024-05-01T11`. */
export const hourOf = (at: Date): string => at.toISOString().slice(0, 13);

export class AlarmStormCap {
  constructor(private readonly store: LedgerStore) {}

  /**
   * Counts `episodeId` against the API's hour: true while fewer than `cap` episodes started an
   * investigation there (or this one already did, for a retried event).
   */
  async take(apiKey: string, at: Date, episodeId: string, cap: number): Promise<boolean> {
    try {
      await this.store.doc.send(
        new UpdateCommand({
          TableName: this.store.tableName,
          Key: { pk: capKey(apiKey), sk: `HOUR#${hourOf(at)}` },
          UpdateExpression: 'ADD episodes :episode SET expiresAt = :expires',
          ConditionExpression: 'attribute_not_exists(episodes) OR size(episodes) < :cap OR contains(episodes, :id)',
          ExpressionAttributeValues: { ':episode': new Set([episodeId]), ':id': episodeId, ':cap': cap, ':expires': epochSeconds(at) + 2 * 86_400 },
        }),
      );
      return true;
    } catch (err) {
      if (isConditionFailed(err)) return false;
      throw err;
    }
  }

  /** Adds a skipped alarm to the channel's notice; `first` for exactly one caller, who posts it. */
  async skip(apiKey: string, at: Date, channel: string, label: string): Promise<{ notice: StormNotice; first: boolean }> {
    const hour = hourOf(at);
    const key = { pk: capKey(apiKey), sk: `HOUR#${hour}#NOTICE#${channel}` };
    const res = await this.store.doc.send(
      new UpdateCommand({
        TableName: this.store.tableName,
        Key: key,
        UpdateExpression: 'ADD skipped :label SET expiresAt = :expires',
        ExpressionAttributeValues: { ':label': new Set([label]), ':expires': epochSeconds(at) + 2 * 86_400 },
        ReturnValues: 'ALL_NEW',
      }),
    );
    const notice = this.noticeOf(apiKey, hour, channel, res.Attributes ?? {});
    let first = false;
    if (!res.Attributes?.claimed) {
      try {
        await this.store.doc.send(
          new UpdateCommand({ TableName: this.store.tableName, Key: key, UpdateExpression: 'SET claimed = :yes', ConditionExpression: 'attribute_not_exists(claimed)', ExpressionAttributeValues: { ':yes': true } }),
        );
        first = true;
      } catch (err) {
        if (!isConditionFailed(err)) throw err;
      }
    }
    return { notice, first };
  }

  async notice(apiKey: string, hour: string, channel: string): Promise<StormNotice> {
    const res = await this.store.doc.send(new GetCommand({ TableName: this.store.tableName, Key: { pk: capKey(apiKey), sk: `HOUR#${hour}#NOTICE#${channel}` }, ConsistentRead: true }));
    return this.noticeOf(apiKey, hour, channel, res.Item ?? {});
  }

  async noticePosted(notice: Pick<StormNotice, 'apiKey' | 'hour' | 'channel'>, ts: string): Promise<void> {
    await this.store.doc.send(
      new UpdateCommand({
        TableName: this.store.tableName,
        Key: { pk: capKey(notice.apiKey), sk: `HOUR#${notice.hour}#NOTICE#${notice.channel}` },
        UpdateExpression: 'SET noticeTs = :ts',
        ExpressionAttributeValues: { ':ts': ts },
      }),
    );
  }

  private noticeOf(apiKey: string, hour: string, channel: string, item: Record<string, unknown>): StormNotice {
    const skipped = item.skipped instanceof Set ? [...(item.skipped as Set<string>)].sort() : [];
    return { apiKey, hour, channel, skipped, ...(typeof item.noticeTs === 'string' ? { noticeTs: item.noticeTs } : {}) };
  }
}
