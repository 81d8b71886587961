import { createHash } from 'node:crypto';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { queryPartition, type LedgerStore } from './client.js';
import { epochSeconds } from './day.js';

/**
 * Answer cache, in two steps (docs/answer-cache.md).
 *
 * Exact: the key covers everything that decides the answer: the redacted bundle (by its sha256),
 * the model and the prompt version; a change in any of them is a miss.
 *
 * Fingerprint: an index by incident fingerprint (findings, configuration, error templates,
 * coverage, context; never times or counts) and prompt version, one entry per answering model,
 * with who asked, when, and the error count then. It is not semantic caching: two bundles match
 * only if every fact that identifies the situation is equal, so a changed finding, configuration
 * line, error template or context is a miss; only the clock-bound parts may differ.
 */
export function answerCacheKey(bundleSha256: string, modelId: string, promptVersion: string): string {
  return createHash('sha256').update(`${bundleSha256}\n${modelId}\n${promptVersion}`).digest('hex');
}

export const cacheItemKey = (key: string): string => `CACHE#${key}`;

/** The fingerprint index's partition: one per fingerprint (with context) and prompt version. */
export function fingerprintIndexKey(fingerprint: string, promptVersion: string): string {
  return `FPRINT#${createHash('sha256').update(`${fingerprint}\n${promptVersion}`).digest('hex')}`;
}

/** One earlier answer to the same incident, by the model that wrote it. */
export interface FingerprintEntry<T> {
  value: T;
  /** The model that produced the answer (an escalated answer is the large model's). */
  modelId: string;
  /** Who approved (and paid for) it. */
  askedBy: string;
  /** ISO instant it was stored. */
  askedAt: string;
  investigationId: string;
  /** The bundle's error count then ("the error count went from X to Y"). */
  errorCount: number;
}

const ANSWER_SK = 'ANSWER';

export interface CachedEntry<T> {
  value: T;
  storedAt: string;
}

export class AnswerCache {
  constructor(
    private readonly store: LedgerStore,
    private readonly options: { ttlSeconds?: number; now?: () => Date } = {},
  ) {}

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }

  /** The cached value, or undefined on a miss or when the entry has expired (TTL only cleans up). */
  async get<T>(key: string): Promise<CachedEntry<T> | undefined> {
    const { Item } = await this.store.doc.send(
      new GetCommand({ TableName: this.store.tableName, Key: { pk: cacheItemKey(key), sk: ANSWER_SK } }),
    );
    if (!Item || Number(Item.expiresAt) <= epochSeconds(this.now())) return undefined;
    return { value: JSON.parse(String(Item.value)) as T, storedAt: String(Item.storedAt) };
  }

  /**
   * The answers stored for this fingerprint no earlier than `notBefore`, newest first. The
   * freshness limit is the caller's (configuration may change it); TTL only cleans up.
   */
  async findByFingerprint<T>(indexKey: string, notBefore: Date): Promise<FingerprintEntry<T>[]> {
    const now = epochSeconds(this.now());
    return (await queryPartition(this.store, indexKey))
      .filter((item) => Number(item.expiresAt) > now && Date.parse(String(item.storedAt)) >= notBefore.getTime())
      .map((item) => ({
        value: JSON.parse(String(item.value)) as T,
        modelId: String(item.modelId),
        askedBy: String(item.askedBy),
        askedAt: String(item.storedAt),
        investigationId: String(item.investigationId),
        errorCount: Number(item.errorCount ?? 0),
      }))
      .sort((a, b) => b.askedAt.localeCompare(a.askedAt));
  }

  /** Indexes an answer by fingerprint; a newer answer of the same model replaces the older one. */
  async putFingerprint<T>(indexKey: string, entry: Omit<FingerprintEntry<T>, 'askedAt'>, ttlSeconds = this.options.ttlSeconds ?? 6 * 3_600): Promise<void> {
    const now = this.now();
    await this.store.doc.send(
      new PutCommand({
        TableName: this.store.tableName,
        Item: {
          pk: indexKey,
          sk: `MODEL#${entry.modelId}`,
          value: JSON.stringify(entry.value),
          modelId: entry.modelId,
          askedBy: entry.askedBy,
          investigationId: entry.investigationId,
          errorCount: entry.errorCount,
          storedAt: now.toISOString(),
          expiresAt: epochSeconds(now) + ttlSeconds,
        },
      }),
    );
  }

  async put<T>(key: string, value: T, ttlSeconds = this.options.ttlSeconds ?? 6 * 3_600): Promise<void> {
    const now = this.now();
    await this.store.doc.send(
      new PutCommand({
        TableName: this.store.tableName,
        Item: {
          pk: cacheItemKey(key),
          sk: ANSWER_SK,
          // A JSON string keeps the answer's shape exact (no number/set marshalling surprises).
          value: JSON.stringify(value),
          storedAt: now.toISOString(),
          expiresAt: epochSeconds(now) + ttlSeconds,
        },
      }),
    );
  }
}
