import { DeleteCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { LedgerStore } from './client.js';
import { isConditionFailed } from './errors.js';

/**
 * "Do this at most once" markers: a conditional put that exactly one caller wins. Used for the
 * worker (Lambda async invoke delivers at least once) and for the weekly summary (one per ISO week
 * and channel, however many timers, instances or scheduler retries fire).
 */
export class OnceMarkers {
  constructor(
    private readonly store: LedgerStore,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** True when this caller is the first to claim `key`; the marker is kept for `keepSeconds`. */
  async claim(key: string, keepSeconds: number, details: Record<string, unknown> = {}): Promise<boolean> {
    const at = this.now();
    try {
      await this.store.doc.send(
        new PutCommand({
          TableName: this.store.tableName,
          Item: { pk: `ONCE#${key}`, sk: 'ONCE', ...details, claimedAt: at.toISOString(), expiresAt: Math.floor(at.getTime() / 1000) + keepSeconds },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (err) {
      if (isConditionFailed(err)) return false;
      throw err;
    }
  }

  /**
   * Claims a job attempt with a lease: true when no attempt holds the job, the previous attempt's
   * lease ran out (its Lambda crashed or timed out without a word) or it gave the job back as
   * `failed-retryable`. A `done` job, or one whose attempt is still within its lease, stays taken,
   * so a duplicate delivery never runs it twice at once.
   */
  async claimLease(key: string, options: { leaseSeconds: number; keepSeconds: number }, details: Record<string, unknown> = {}): Promise<boolean> {
    const at = this.now();
    const nowSeconds = Math.floor(at.getTime() / 1000);
    try {
      await this.store.doc.send(
        new PutCommand({
          TableName: this.store.tableName,
          Item: {
            pk: `ONCE#${key}`,
            sk: 'ONCE',
            ...details,
            status: 'running',
            leaseUntil: nowSeconds + options.leaseSeconds,
            claimedAt: at.toISOString(),
            expiresAt: nowSeconds + options.keepSeconds,
          },
          ConditionExpression: 'attribute_not_exists(pk) OR #status = :retryable OR (#status = :running AND #leaseUntil <= :now)',
          ExpressionAttributeNames: { '#status': 'status', '#leaseUntil': 'leaseUntil' },
          ExpressionAttributeValues: { ':retryable': 'failed-retryable', ':running': 'running', ':now': nowSeconds },
        }),
      );
      return true;
    } catch (err) {
      if (isConditionFailed(err)) return false;
      throw err;
    }
  }

  /** Ends a leased attempt: `done` for good, or `failed-retryable` so the next delivery may run it. */
  async settleLease(key: string, status: 'done' | 'failed-retryable'): Promise<void> {
    await this.store.doc.send(
      new UpdateCommand({
        TableName: this.store.tableName,
        Key: { pk: `ONCE#${key}`, sk: 'ONCE' },
        UpdateExpression: 'SET #status = :status, settledAt = :at',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':status': status, ':at': this.now().toISOString() },
      }),
    );
  }

  /** Gives a claim back, so a retry after a failure can do the work. */
  async release(key: string): Promise<void> {
    await this.store.doc.send(new DeleteCommand({ TableName: this.store.tableName, Key: { pk: `ONCE#${key}`, sk: 'ONCE' } }));
  }
}
