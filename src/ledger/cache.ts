import { createHash } from 'node:crypto';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { LedgerStore } from './client.js';
import { epochSeconds } from './day.js';

/**
 * Exact-match answer cache. The key covers everything that decides the answer: the redacted
 * bundle (by its sha256), the model and the prompt version; a change in any of them is a miss.
 * Semantic caching is deliberately absent: a wrong cached diagnosis costs more than a call.
 */
export function answerCacheKey(bundleSha256: string, modelId: string, promptVersion: string): string {
  return createHash('sha256').update(`${bundleSha256}\n${modelId}\n${promptVersion}`).digest('hex');
}

export const cacheItemKey = (key: string): string => `CACHE#${key}`;

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
